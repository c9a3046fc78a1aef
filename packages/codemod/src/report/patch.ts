// A file change as a structured unified-diff patch (the `diff` library's `StructuredPatch`), built in
// time proportional to the file's size.
//
// The library's `diffLines` is Myers' algorithm: its cost grows with the file's length times the
// number of changed lines, which is quadratic for one big file where every function changed. The
// apply stage knows exactly which parts of the text it edited, so only those parts (widened to whole
// lines) are diffed, each on its own; the lines between them are equal by construction. A change
// without that record (a created file, a module extended by hand) is diffed whole by the library.
import { diffLines, type StructuredPatch, type StructuredPatchHunk } from 'diff';
import type { EditedSpan, FileChange } from '../public-types.js';

/** A run of lines (each with its line break, the last one possibly without) that are equal, added or removed. */
interface Part {
  kind: 'same' | 'added' | 'removed';
  lines: string[];
}

export function patchOf(change: FileChange, oldName: string, newName: string, context: number): StructuredPatch {
  const parts = partsOf(change);
  return { oldFileName: oldName, newFileName: newName, oldHeader: undefined, newHeader: undefined, hunks: hunksOf(parts, context) };
}

function partsOf(change: FileChange): Part[] {
  if (change.before === undefined) return [{ kind: 'added', lines: splitLines(change.after) }];
  if (change.edited === undefined) {
    return diffLines(change.before, change.after).map((c) => ({ kind: c.added ? 'added' : c.removed ? 'removed' : 'same', lines: splitLines(c.value) }));
  }
  return partsFromEdits(change.before, change.after, change.edited);
}

/** Line `i` starts at `starts[i]`; a text ending with a line break has one more, empty, line at its end. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
  return starts;
}

/** The index of the line holding `offset`: the line breaks before it. */
function lineOf(starts: readonly number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid]! <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}

interface LineRegion {
  before: [first: number, last: number];
  after: [first: number, last: number];
}

/**
 * Edits on neighbouring lines are diffed together (up to this many lines), so consecutive changed lines
 * read as removals then additions, as a whole-file diff shows them; the bound keeps each diff small.
 */
const MAX_JOINED_LINES = 200;

/**
 * The edited spans widened to the lines they touch; spans sharing a line make one region. The text
 * between two spans is the same in both files, so the lines between two regions are too.
 */
function lineRegions(before: readonly number[], after: readonly number[], spans: readonly EditedSpan[]): LineRegion[] {
  const regions: LineRegion[] = [];
  for (const span of spans) {
    const region: LineRegion = {
      before: [lineOf(before, span.before.start), lineOf(before, span.before.end)],
      after: [lineOf(after, span.after.start), lineOf(after, span.after.end)],
    };
    const previous = regions[regions.length - 1];
    const shares = previous !== undefined && region.before[0] <= previous.before[1];
    const touches = previous !== undefined && region.before[0] === previous.before[1] + 1 && region.before[1] - previous.before[0] < MAX_JOINED_LINES;
    if (previous !== undefined && (shares || touches)) {
      previous.before[1] = region.before[1];
      previous.after[1] = region.after[1];
    } else {
      regions.push(region);
    }
  }
  return regions;
}

function partsFromEdits(before: string, after: string, spans: readonly EditedSpan[]): Part[] {
  const beforeStarts = lineStarts(before);
  const afterStarts = lineStarts(after);
  const slice = (text: string, starts: readonly number[], first: number, last: number): string =>
    first > last ? '' : text.slice(starts[first], starts[last + 1] ?? text.length);
  const parts: Part[] = [];
  const push = (kind: Part['kind'], value: string): void => {
    if (value === '') return;
    const lines = splitLines(value);
    const previous = parts[parts.length - 1];
    if (previous?.kind === kind) previous.lines.push(...lines);
    else parts.push({ kind, lines });
  };
  let nextLine = 0;
  for (const region of lineRegions(beforeStarts, afterStarts, spans)) {
    push('same', slice(before, beforeStarts, nextLine, region.before[0] - 1));
    const oldText = slice(before, beforeStarts, region.before[0], region.before[1]);
    const newText = slice(after, afterStarts, region.after[0], region.after[1]);
    for (const c of diffLines(oldText, newText)) push(c.added ? 'added' : c.removed ? 'removed' : 'same', c.value);
    nextLine = region.before[1] + 1;
  }
  push('same', slice(before, beforeStarts, nextLine, beforeStarts.length - 1));
  return parts;
}

/** Lines with their line breaks, as the `diff` library splits them. */
function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n').map((line) => `${line}\n`);
  const last = lines.pop()!;
  if (last !== '\n') lines.push(last.slice(0, -1));
  return lines;
}

/**
 * Hunks with `context` equal lines around each change, joined when two changes are at most twice
 * that apart: the same hunks the `diff` library's `structuredPatch` makes from its own line diff.
 */
function hunksOf(parts: readonly Part[], context: number): StructuredPatchHunk[] {
  const hunks: StructuredPatchHunk[] = [];
  let current: { oldStart: number; newStart: number; lines: string[] } | undefined;
  let oldLine = 1;
  let newLine = 1;
  parts.forEach((part, index) => {
    if (part.kind !== 'same') {
      if (current === undefined) {
        const contextLines = context > 0 && index > 0 ? parts[index - 1]!.lines.slice(-context) : [];
        current = { oldStart: oldLine - contextLines.length, newStart: newLine - contextLines.length, lines: contextLines.map((l) => ` ${l}`) };
      }
      const sign = part.kind === 'added' ? '+' : '-';
      for (const line of part.lines) current.lines.push(`${sign}${line}`);
      if (part.kind === 'added') newLine += part.lines.length;
      else oldLine += part.lines.length;
      return;
    }
    if (current !== undefined) {
      const last = index === parts.length - 1;
      if (part.lines.length <= context * 2 && !last) {
        for (const line of part.lines) current.lines.push(` ${line}`);
      } else {
        const trailing = part.lines.slice(0, context);
        for (const line of trailing) current.lines.push(` ${line}`);
        hunks.push(closeHunk(current, oldLine + trailing.length, newLine + trailing.length));
        current = undefined;
      }
    }
    oldLine += part.lines.length;
    newLine += part.lines.length;
  });
  if (current !== undefined) hunks.push(closeHunk(current, oldLine, newLine));
  return hunks;
}

/** Line breaks leave the lines; a last line without one gets the usual marker after it. */
function closeHunk(hunk: { oldStart: number; newStart: number; lines: string[] }, oldEnd: number, newEnd: number): StructuredPatchHunk {
  const lines: string[] = [];
  for (const line of hunk.lines) {
    if (line.endsWith('\n')) lines.push(line.slice(0, -1));
    else lines.push(line, '\\ No newline at end of file');
  }
  return { oldStart: hunk.oldStart, oldLines: oldEnd - hunk.oldStart, newStart: hunk.newStart, newLines: newEnd - hunk.newStart, lines };
}
