// Files the codemod must not change because of symlinks, moved from the transformable set to the
// skipped files before the analysis, so the functions they call keep their parameters like those
// called from any file this run does not change.
import path from 'node:path';
import type { LoadedProject } from '../load/load-project.js';
import { repositoryRoot, symlinkReason } from './symlinks.js';

export function leaveSymlinkedFiles(loaded: LoadedProject): void {
  const repository = repositoryRoot(loaded.root);
  const inProgram = new Set(loaded.program.getSourceFiles().map((sf) => path.resolve(sf.fileName)));
  for (const file of [...loaded.transformable]) {
    const reason = symlinkReason(file, repository, inProgram);
    if (reason === undefined) continue;
    loaded.transformable.delete(file);
    loaded.skippedFiles.push({ file, reason });
  }
}
