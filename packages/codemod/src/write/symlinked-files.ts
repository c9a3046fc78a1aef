// Files the codemod must not change because of symlinks, moved from the transformable set to the
// skipped files before the analysis, so the functions they call keep their parameters like those
// called from any file this run does not change.
import path from 'node:path';
import type { LoadedProject } from '../load/load-project.js';
import { repositoryRoot, symlinkReasons } from './symlinks.js';

export function leaveSymlinkedFiles(loaded: LoadedProject): void {
  // Library and declaration files are never changed and cannot be a second name of a changed one.
  const ownFiles = loaded.program
    .getSourceFiles()
    .filter((sf) => !sf.isDeclarationFile)
    .map((sf) => path.resolve(sf.fileName))
    .filter((file) => !file.split(path.sep).includes('node_modules'));
  const reasons = symlinkReasons(loaded.transformable, ownFiles, repositoryRoot(loaded.root));
  for (const [file, reason] of reasons) {
    loaded.transformable.delete(file);
    loaded.skippedFiles.push({ file, reason });
  }
}
