// Writes a group of statements that share one `run()`: `run({ ... }, () => {` before them, `});` after,
// one more indentation step on each of their lines (blank lines stay blank). Statements that await are
// awaited in an `async` callback; statements that return from the function return what `run` returns.
import type { RunGroup } from '../types.js';
import type { FileEdits } from './text-edits.js';

export function addRunGroup(group: RunGroup, set: FileEdits, text: string, contextName: string, semicolon: string): void {
  const entries = group.keys.map(({ key, text: value }) => (value === key ? key : `${key}: ${value}`)).join(', ');
  const lead = `${group.returns ? 'return ' : ''}${group.awaits ? 'await ' : ''}`;
  const open = `${lead}${contextName}.run({ ${entries} }, ${group.awaits ? 'async ' : ''}() => {${group.newline}${group.indent}${group.indentUnit}`;
  // Before everything else inserted at these offsets: a call's own `run(` or hoisted consts belong inside.
  set.add({ start: group.range.start, end: group.range.start, text: open, rank: -Infinity });
  for (const at of group.lineStarts) {
    if (text[at] === '\n' || text[at] === '\r') continue;
    set.add({ start: at, end: at, text: group.indentUnit, rank: -Infinity });
  }
  set.add({ start: group.range.end, end: group.range.end, text: `${group.newline}${group.indent}})${semicolon}`, rank: Infinity });
}
