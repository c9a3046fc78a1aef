// Where a change may be written. A file reached through a symlink (the file itself, or a folder on
// its path) is written at its real place, so the link stays a link; when that place is outside the
// repository the file is not the repository's to change, and git would not even show the change.
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';

/** The repository around `dir`: the nearest folder above holding `.git`, else `dir` itself. */
export function repositoryRoot(dir: string): string {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    if (existsSync(path.join(current, '.git'))) return current;
    if (path.dirname(current) === current) return path.resolve(dir);
  }
}

/** `file` with every symlink on its path resolved; for a file not yet created, its nearest existing folder's. */
export function realPathOf(file: string): string {
  let existing = file;
  const rest: string[] = [];
  while (!existsSync(existing) && path.dirname(existing) !== existing) {
    rest.unshift(path.basename(existing));
    existing = path.dirname(existing);
  }
  return path.join(realpathSync(existing), ...rest);
}

export function isInside(file: string, folder: string): boolean {
  const relative = path.relative(folder, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * Why `file` must be left alone, or undefined when it may be changed: its real place is outside
 * `repository`, or it is a second name (a symlink) of another file in `others` that changes instead.
 */
export function symlinkReason(file: string, repository: string, others: ReadonlySet<string>): string | undefined {
  const real = realPathOf(file);
  if (real === file) return undefined;
  const realRepository = realPathOf(repository);
  if (!isInside(real, realRepository)) return `reached through a symlink to ${real}, outside the repository; left unchanged`;
  const target = path.join(repository, path.relative(realRepository, real));
  if (target !== file && others.has(target)) return `a symlink to ${path.relative(repository, target)}, which is changed instead; left unchanged`;
  return undefined;
}
