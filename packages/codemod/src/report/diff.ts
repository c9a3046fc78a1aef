import path from 'node:path';
import { formatPatch } from 'diff';
import pc from 'picocolors';
import type { FileChange } from '../public-types.js';
import { patchOf } from './patch.js';

/** A unified diff of every change, coloured when `color` (stdout is a terminal). */
export function formatDiff(changes: readonly FileChange[], root: string, color: boolean): string {
  const patches = changes.map((c) => {
    const name = path.relative(root, c.file);
    return formatPatch(patchOf(c, c.before === undefined ? '/dev/null' : `a/${name}`, `b/${name}`, 3));
  });
  const text = patches.join('');
  if (!color) return text;
  return text
    .split('\n')
    .map((line) => {
      if (line.startsWith('+++') || line.startsWith('---')) return pc.bold(line);
      if (line.startsWith('+')) return pc.green(line);
      if (line.startsWith('-')) return pc.red(line);
      if (line.startsWith('@@')) return pc.cyan(line);
      return line;
    })
    .join('\n');
}
