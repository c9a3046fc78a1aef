// The repository a project belongs to: the nearest folder at or above the project root that holds
// `.git` (a folder, or a file in a git worktree), else the project root itself. Nothing the codemod
// writes may lie outside it.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors.js';

export function repositoryRoot(projectRoot: string): string {
  for (let dir = projectRoot; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, '.git'))) return dir;
    if (path.dirname(dir) === dir) return projectRoot;
  }
}

/** `--context-module` names a file the codemod creates or edits: one outside the repository is refused. */
export function checkContextModulePath(contextModule: string, projectRoot: string): void {
  const file = path.resolve(projectRoot, contextModule);
  const repository = repositoryRoot(projectRoot);
  const relative = path.relative(repository, file);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new InputError(`--context-module ${contextModule}: ${file} is outside the repository (${repository}); pass a file inside it`);
  }
}
