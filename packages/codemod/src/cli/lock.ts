// One writing run per repository at a time. Two runs that overlap would each read the files before
// the other wrote them, and the later write would silently undo the earlier one. The lock is a file
// created exclusively, holding the owner's pid and host; the codemod's work is synchronous (no
// heartbeat can run meanwhile), so a lock counts as stale only when its owner process is gone.
import { existsSync, linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { InputError } from '../errors.js';
import type { GitRepository } from './git.js';

interface Owner {
  pid: number;
  host: string;
  started: string;
}

export interface Lock {
  file: string;
  release(): void;
}

/**
 * Inside git: in the repository's own folder (never in `git status`). Outside: at the project's root,
 * the nearest folder above `dir` with a package.json (else `dir`), so runs on two of its folders meet.
 */
export function lockFileFor(repository: GitRepository | undefined, dir: string): string {
  if (repository !== undefined) return path.join(repository.gitDir, 'unthread.lock');
  for (let current = dir; ; current = path.dirname(current)) {
    if (existsSync(path.join(current, 'package.json'))) return path.join(current, '.unthread.lock');
    if (path.dirname(current) === current) return path.join(dir, '.unthread.lock');
  }
}

/** Takes the lock or refuses (exit 2) naming the lock file and the run that holds it. */
export function acquireLock(file: string): Lock {
  const owner: Owner = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
  // Written whole beside the lock, then linked to its name: linking fails when the name exists, so
  // the lock appears with its owner in it and no other run can read it half-written.
  const staged = `${file}.${process.pid}.tmp`;
  writeFileSync(staged, `${JSON.stringify(owner)}\n`);
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        createWith(staged, file, owner);
        return { file, release: () => releaseIfOurs(file) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = readOwner(file);
      if (holder !== undefined && !isGone(holder)) {
        throw new InputError(
          `another unthread run (pid ${holder.pid} on ${holder.host}, started ${holder.started}) is writing this repository and holds ${file}; ` +
            'wait for it to finish, or delete that file if no run is active',
        );
      }
      rmSync(file, { force: true }); // Left by a run that was killed: nothing holds it.
    }
    throw new InputError(`cannot take the lock ${file}: another run keeps replacing it; try again`);
  } finally {
    rmSync(staged, { force: true });
  }
}

/** Links `staged` to `file`; on a file system without hard links, creates `file` exclusively instead. */
function createWith(staged: string, file: string, owner: Owner): void {
  try {
    linkSync(staged, file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw error;
    writeFileSync(file, `${JSON.stringify(owner)}\n`, { flag: 'wx' });
  }
}

function releaseIfOurs(file: string): void {
  if (readOwner(file)?.pid === process.pid) rmSync(file, { force: true });
}

function readOwner(file: string): Owner | undefined {
  try {
    const owner = JSON.parse(readFileSync(file, 'utf8')) as Partial<Owner>;
    return typeof owner.pid === 'number' && typeof owner.host === 'string' ? { pid: owner.pid, host: owner.host, started: String(owner.started) } : undefined;
  } catch {
    return undefined; // Not a lock this program wrote: treated as stale, like one whose owner is gone.
  }
}

/** Only a process on this host can be checked; one elsewhere (a shared disk) is assumed alive. */
function isGone(owner: Owner): boolean {
  if (owner.host !== hostname()) return false;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
