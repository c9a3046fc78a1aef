// The changed files, formatted by the repository's own formatter with its own configuration before they
// are verified and written, so the change passes the repository's format check as its maintainers'
// edits do. A file that was not formatted before the change is formatted only where the change
// touched it (prettier), or not at all (biome, dprint, which format whole files), and a file the
// formatter ignores not at all: code the change did not touch stays byte for byte as it was.
import path from 'node:path';
import type { FileChange } from '../public-types.js';
import { formatWithCli } from './cli-formatter.js';
import { runPrettier } from './prettier-process.js';
import { findRepoFormatter } from './repo-formatter.js';

export interface FormattedChanges {
  changes: FileChange[];
  /** What could not be formatted, and why. */
  notes: string[];
}

export function formatChanges(changes: readonly FileChange[], root: string, repository: string): FormattedChanges {
  const formatter = changes.length > 0 ? findRepoFormatter(root, repository) : undefined;
  if (formatter === undefined) return { changes: [...changes], notes: [] };
  const results = formatter.kind === 'prettier' ? runPrettier(formatter, changes) : changes.map((change) => formatWithCli(formatter, change));
  const notes: string[] = [];
  const formatted = changes.map((change, i) => {
    const result = results[i];
    if (result === undefined || result.after === undefined) {
      if (result?.error !== undefined) notes.push(`${formatter.kind} could not format ${path.relative(root, change.file)} (${result.error}); written unformatted.`);
      return change;
    }
    if (result.after === change.after) return change;
    // The edited spans no longer describe the text: the diff compares the whole texts.
    const formatted: FileChange = { file: change.file, before: change.before, after: result.after };
    return formatted;
  });
  return { changes: formatted, notes };
}
