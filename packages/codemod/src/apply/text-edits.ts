// Collected text edits for one file, applied in one pass. An expression that moves (an origin going into
// `run({ key: expr })`) takes the edits inside it along, rendered into its new text.
//
// A file can hold tens of thousands of edits (one per parameter, argument and wrapper), and every
// rewritten call asks for the edits inside its arguments. The edits are therefore kept in buckets by
// the block of text they start in, so such a question looks only at the blocks the range covers and
// the whole file costs time in proportion to its size, not to its size squared.
import type { EditedSpan, Range } from '../types.js';

export interface TextEdit extends Range {
  text: string;
  /** Orders insertions at one offset: lower first (an outer call's `run(` before an inner one's). */
  rank?: number;
}

/** An edit with the order it was added in, which breaks ties between insertions at one offset. */
interface Entry {
  edit: TextEdit;
  seq: number;
}

/** Characters per bucket: small enough that a bucket holds a handful of edits, large enough that a range spans few. */
const BLOCK = 512;

export class FileEdits {
  private readonly buckets = new Map<number, Entry[]>();
  /** Replacements and deletions already present, so the same one added twice applies once. */
  private readonly replacements = new Set<string>();
  private count = 0;
  private seq = 0;

  add(edit: TextEdit): void {
    if (edit.start !== edit.end) {
      const key = replacementKey(edit);
      if (this.replacements.has(key)) return;
      this.replacements.add(key);
    }
    const block = Math.floor(edit.start / BLOCK);
    let bucket = this.buckets.get(block);
    if (bucket === undefined) {
      bucket = [];
      this.buckets.set(block, bucket);
    }
    bucket.push({ edit, seq: this.seq++ });
    this.count++;
  }

  /** A deletion (an edit to nothing) that ends at `offset`, if one was added. */
  deletionEndingAt(offset: number): TextEdit | undefined {
    for (const block of [Math.floor(offset / BLOCK), ...Array.from({ length: 8 }, (_, i) => Math.floor(offset / BLOCK) - i - 1)]) {
      const found = this.buckets.get(block)?.find((e) => e.edit.end === offset && e.edit.start < offset && e.edit.text === '');
      if (found !== undefined) return found.edit;
    }
    return undefined;
  }

  get size(): number {
    return this.count;
  }

  /** Removes and returns the edits inside `range` (insertions on its bounds included), in the order they were added. */
  take(range: Range): TextEdit[] {
    return this.removeWhere(range, () => true)
      .sort((a, b) => a.seq - b.seq)
      .map((e) => e.edit);
  }

  /**
   * Drops the edits a deletion of `range` swallows. Insertions on its bounds belong to the neighbours
   * (the next argument's `run(` prefix, the previous one's closing parenthesis) and stay.
   */
  dropInside(range: Range): void {
    this.removeWhere(range, (e) => !(e.start === e.end && (e.start === range.start || e.start === range.end)));
  }

  /** The text of `range` with the edits inside it applied; those edits leave this set. */
  renderRange(text: string, range: Range): string {
    return applyEdits(text.slice(range.start, range.end), this.take(range).map((e) => ({ ...e, start: e.start - range.start, end: e.end - range.start })));
  }

  apply(text: string): string {
    return this.applyTracked(text).text;
  }

  /** The new text and where it differs from `text`, for a diff that looks only at the edited parts. */
  applyTracked(text: string): { text: string; edited: EditedSpan[] } {
    const all: Entry[] = [];
    for (const bucket of this.buckets.values()) all.push(...bucket);
    return applyOrdered(text, all.sort(compareEntries));
  }

  /** Removes and returns the edits inside `range` that `also` accepts. */
  private removeWhere(range: Range, also: (edit: TextEdit) => boolean): Entry[] {
    const removed: Entry[] = [];
    const last = Math.floor(range.end / BLOCK);
    for (let block = Math.floor(range.start / BLOCK); block <= last; block++) {
      const bucket = this.buckets.get(block);
      if (bucket === undefined) continue;
      const kept: Entry[] = [];
      for (const entry of bucket) {
        const e = entry.edit;
        if (e.start >= range.start && e.end <= range.end && also(e)) removed.push(entry);
        else kept.push(entry);
      }
      if (kept.length === bucket.length) continue;
      if (kept.length === 0) this.buckets.delete(block);
      else this.buckets.set(block, kept);
    }
    for (const { edit } of removed) {
      if (edit.start !== edit.end) this.replacements.delete(replacementKey(edit));
    }
    this.count -= removed.length;
    return removed;
  }
}

/** Applies non-overlapping edits; insertions at one offset keep the order they were added in. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  return applyOrdered(text, edits.map((edit, seq) => ({ edit, seq })).sort(compareEntries)).text;
}

function compareEntries(a: Entry, b: Entry): number {
  return a.edit.start - b.edit.start || a.edit.end - b.edit.end || (a.edit.rank ?? 0) - (b.edit.rank ?? 0) || a.seq - b.seq;
}

function replacementKey(edit: TextEdit): string {
  return `${edit.start}:${edit.end}:${edit.text}`;
}

/** One pass over edits sorted by position; adjoining edits make one edited span. */
function applyOrdered(text: string, ordered: readonly Entry[]): { text: string; edited: EditedSpan[] } {
  const parts: string[] = [];
  const edited: EditedSpan[] = [];
  let cursor = 0;
  let length = 0;
  for (const { edit: e } of ordered) {
    if (e.start < cursor) throw new Error(`overlapping edits at offset ${e.start}`);
    const kept = text.slice(cursor, e.start);
    parts.push(kept, e.text);
    length += kept.length;
    const previous = edited[edited.length - 1];
    if (previous !== undefined && previous.before.end === e.start) {
      previous.before.end = e.end;
      previous.after.end = length + e.text.length;
    } else {
      edited.push({ before: { start: e.start, end: e.end }, after: { start: length, end: length + e.text.length } });
    }
    length += e.text.length;
    cursor = e.end;
  }
  parts.push(text.slice(cursor));
  return { text: parts.join(''), edited };
}
