// What git says about the folder the codemod runs on: the repository it belongs to (for the lock and
// the clean-tree guard), and the uncommitted changes under the paths.
import { execFileSync } from 'node:child_process';
import { InputError } from '../errors.js';

export interface GitRepository {
  /** The working tree's top folder. */
  toplevel: string;
  /** The repository's own folder (`.git`, or the worktree's folder under it). */
  gitDir: string;
}

/** The repository `dir` is in, or undefined outside git (or without git installed). */
export function gitRepositoryOf(dir: string): GitRepository | undefined {
  try {
    const out = execFileSync('git', ['rev-parse', '--show-toplevel', '--absolute-git-dir'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const [toplevel, gitDir] = out.trim().split('\n');
    return toplevel !== undefined && gitDir !== undefined ? { toplevel, gitDir } : undefined;
  } catch {
    return undefined;
  }
}

/** Refuses (exit 2) when the working tree has uncommitted changes under `paths`. */
export function refuseDirtyTree(paths: readonly string[], cwd: string): void {
  let status: string;
  try {
    status = execFileSync('git', ['status', '--porcelain', '--', ...paths], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return; // The paths are outside the repository: there is nothing of it to protect.
  }
  const dirty = status.split('\n').filter((l) => l.trim() !== '');
  if (dirty.length > 0) {
    throw new InputError(
      `the git working tree has ${dirty.length} uncommitted change(s) (${dirty[0]!.slice(3)}${dirty.length > 1 ? ', ...' : ''}); commit or stash them first, or pass --force`,
    );
  }
}
