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
 * The files of `files` that must be left alone, with why: their real place is outside `repository`,
 * or the program holds the same file under two names (a symlink and its target). Those two are one
 * file on disk that the program sees twice; a change to one name would reach callers of the other
 * that the analysis saw unchanged, so neither name changes.
 */
export function symlinkReasons(files: Iterable<string>, programFiles: Iterable<string>, repository: string): Map<string, string> {
  const realRepository = realPathOf(repository);
  const names = new Map<string, string[]>();
  for (const file of programFiles) {
    const real = realPathOf(file);
    const known = names.get(real);
    if (known === undefined) names.set(real, [file]);
    else if (!known.includes(file)) known.push(file);
  }
  const reasons = new Map<string, string>();
  for (const file of files) {
    const real = realPathOf(file);
    if (real !== file && !isInside(real, realRepository)) {
      reasons.set(file, `reached through a symlink to ${real}, outside the repository; left unchanged`);
      continue;
    }
    const others = (names.get(real) ?? []).filter((name) => name !== file);
    if (others.length > 0) {
      const other = path.relative(repository, others[0]!);
      reasons.set(file, `the same file as ${other} (a symlink joins them), which the program sees as two; left unchanged`);
    }
  }
  return reasons;
}
