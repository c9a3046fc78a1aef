// Formats the changed files with the repository's prettier, in a child process: prettier 3 formats
// asynchronously and the codemod's run is synchronous, and the repository's prettier (2 or 3, with
// the plugins its configuration loads) runs as the repository runs it, from its own folder.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FileChange } from '../public-types.js';
import { firstLine, type FormatResult } from './format-result.js';
import type { RepoFormatter } from './repo-formatter.js';

interface Job {
  packageDir: string;
  ignorePath: string | null;
  files: { file: string; before: string | null; after: string; spans: { start: number; end: number }[] }[];
}

/**
 * Per file: skipped when `.prettierignore` names it or prettier has no parser for it; formatted whole
 * when prettier leaves its text before the change as it is (or the file is new); else formatted in the
 * ranges the change edited, last first so the earlier ranges keep their offsets.
 */
const SCRIPT = `
const fs = require('node:fs');
const job = JSON.parse(fs.readFileSync(0, 'utf8'));
const prettier = require(job.packageDir);
(async () => {
  const results = [];
  for (const f of job.files) {
    try {
      const info = await prettier.getFileInfo(f.file, job.ignorePath === null ? {} : { ignorePath: job.ignorePath });
      if (info.ignored || info.inferredParser == null) { results.push({}); continue; }
      const options = { ...((await prettier.resolveConfig(f.file, { editorconfig: true })) || {}), filepath: f.file };
      let after = f.after;
      if (f.before === null || (await prettier.format(f.before, options)) === f.before) after = await prettier.format(after, options);
      else for (const span of f.spans) after = await prettier.format(after, { ...options, rangeStart: span.start, rangeEnd: span.end });
      results.push({ after });
    } catch (error) {
      results.push({ error: String((error && error.message) || error).split('\\n')[0] });
    }
  }
  process.stdout.write(JSON.stringify(results));
})().catch((error) => { process.stderr.write(String((error && error.stack) || error)); process.exit(1); });
`;

export function runPrettier(formatter: RepoFormatter, changes: readonly FileChange[]): FormatResult[] {
  const job: Job = {
    packageDir: formatter.packageDir,
    ignorePath: ignoreFileFor(formatter.cwd),
    files: changes.map((change) => ({
      file: change.file,
      before: change.before ?? null,
      after: change.after,
      spans: (change.edited ?? [{ before: { start: 0, end: 0 }, after: { start: 0, end: change.after.length } }])
        .map((span) => span.after)
        .sort((a, b) => b.start - a.start),
    })),
  };
  try {
    const output = execFileSync(process.execPath, ['-e', SCRIPT], {
      cwd: formatter.cwd,
      input: JSON.stringify(job),
      encoding: 'utf8',
      maxBuffer: 1 << 30,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    return JSON.parse(output) as FormatResult[];
  } catch (error) {
    const reason = firstLine(error);
    return changes.map(() => ({ error: reason }));
  }
}

/** The `.prettierignore` beside the configuration, which prettier's own command line reads. */
function ignoreFileFor(dir: string): string | null {
  const file = path.join(dir, '.prettierignore');
  return existsSync(file) ? file : null;
}
