// The import of one of the runtime's subpaths (`@unthread/context/pino`), written in the file's style
// and placed among its package imports (see FileStyle.packageImportSlot), not after its local ones.
import type { FileStyle } from '../types.js';
import type { TextEdit } from './text-edits.js';

/** `import { name } from 'specifier'` or its `require`, as the file writes imports. */
export function packageImportStatement(style: FileStyle, binding: string, specifier: string): string {
  const q = style.quote;
  const end = style.semicolon ? ';' : '';
  return style.module === 'cjs' ? `const { ${binding} } = require(${q}${specifier}${q})${end}` : `import { ${binding} } from ${q}${specifier}${q}${end}`;
}

/**
 * The edit that adds `statement` (an import of `specifier`). `fallback` is the text after the file's
 * last import when its imports give no order to follow (or it has none).
 */
export function packageImportEdit(style: FileStyle, specifier: string, statement: string, fallback: string): TextEdit {
  const slot = style.packageImportSlot;
  const nl = style.newline;
  if (slot === undefined) return { start: style.importInsertAt, end: style.importInsertAt, text: fallback, rank: -Infinity };
  // Only the file's own files are imported: the package goes above them, as a group of its own.
  if ('before' in slot) return { start: slot.before, end: slot.before, text: `${statement}${nl}${nl}`, rank: -Infinity };
  const next = slot.sorted ? slot.run.find((i) => i.specifier.toLowerCase() > specifier.toLowerCase()) : undefined;
  if (next !== undefined) return { start: next.start, end: next.start, text: `${statement}${nl}`, rank: -Infinity };
  const last = slot.run[slot.run.length - 1]!;
  return { start: last.end, end: last.end, text: `${nl}${statement}`, rank: -Infinity };
}
