// Generated services live outside the repository (the OS temp dir), so the workspace's own `tsc -b`
// and `eslint .` never see thousands of synthetic files. Their dependencies are symlinked in from
// the workspace, the way an installed node_modules would look, so imports of @unthread/context and
// node: modules type-check there exactly as they would in a user's service.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { benchRoot } from './paths.js';

export const scratchRoot = join(tmpdir(), 'unthread-bench');

/** A fresh, empty directory under the scratch root. */
export function freshDir(name) {
  const dir = join(scratchRoot, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Writes `files` (relative path -> text) under `dir`. */
export function writeTree(dir, files) {
  for (const [path, text] of Object.entries(files)) {
    const target = join(dir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
}

/** node_modules/<name> -> the package as installed for bench/ (pnpm symlinks resolved). */
export function linkDependencies(dir, names) {
  for (const name of names) {
    const source = realpathSync(join(benchRoot, 'node_modules', name));
    const target = join(dir, 'node_modules', name);
    mkdirSync(dirname(target), { recursive: true });
    symlinkSync(source, target, 'dir');
  }
}

/** Makes `dir` a git repository with everything committed: the codemod refuses a dirty tree. */
export function commitAll(dir) {
  const git = (...args) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
  git('init', '--quiet', '--initial-branch=main');
  git('add', '.');
  git('-c', 'user.name=bench', '-c', 'user.email=bench@localhost', '-c', 'commit.gpgsign=false', 'commit', '--quiet', '-m', 'generated service');
}

/** A working copy of a pristine generated service (with its .git), so every round starts clean. */
export function copyTree(from, name) {
  const dir = join(scratchRoot, name);
  rmSync(dir, { recursive: true, force: true });
  cpSync(from, dir, { recursive: true, verbatimSymlinks: true });
  return dir;
}

/** Removes the named directories under the scratch root (each bench removes only its own). */
export function removeScratch(names) {
  for (const name of names) rmSync(join(scratchRoot, name), { recursive: true, force: true });
}
