// biome and dprint, run through their command lines (their only stable interface), which format one
// whole file from standard input.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FileChange } from '../public-types.js';
import { firstLine, type FormatResult } from './format-result.js';
import type { RepoFormatter } from './repo-formatter.js';

/** biome and dprint format whole files from standard input: only files they kept formatted before the change are formatted after it. */
export function formatWithCli(formatter: RepoFormatter, change: FileChange): FormatResult {
  const bin = binOf(formatter.packageDir);
  if (bin === undefined) return { error: 'its executable was not found' };
  const format = (text: string): string => {
    const args = formatter.kind === 'biome' ? ['format', `--stdin-file-path=${change.file}`] : ['fmt', '--stdin', change.file];
    return execFileSync(process.execPath, [bin, ...args], { cwd: formatter.cwd, input: text, encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['pipe', 'pipe', 'pipe'] });
  };
  try {
    if (change.before !== undefined && format(change.before) !== change.before) return {};
    return { after: format(change.after) };
  } catch (error) {
    return { error: firstLine(error) };
  }
}

function binOf(packageDir: string): string | undefined {
  try {
    const manifest = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { bin?: string | Record<string, string> };
    const bin = typeof manifest.bin === 'string' ? manifest.bin : Object.values(manifest.bin ?? {})[0];
    return bin !== undefined ? path.join(packageDir, bin) : undefined;
  } catch {
    return undefined;
  }
}
