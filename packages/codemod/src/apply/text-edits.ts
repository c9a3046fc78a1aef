// Collected text edits for one file, applied in one pass. An expression that moves (an origin going into
// `run({ key: expr })`) takes the edits inside it along, rendered into its new text.
import type { Range } from '../types.js';

export interface TextEdit extends Range {
  text: string;
  /** Orders insertions at one offset: lower first (an outer call's `run(` before an inner one's). */
  rank?: number;
}

export class FileEdits {
  private edits: TextEdit[] = [];

  add(edit: TextEdit): void {
    if (this.edits.some((e) => e.start === edit.start && e.end === edit.end && e.text === edit.text && e.start !== e.end)) return;
    this.edits.push(edit);
  }

  get size(): number {
    return this.edits.length;
  }

  /** Removes and returns the edits inside `range` (insertions on its bounds included). */
  take(range: Range): TextEdit[] {
    const inside = this.edits.filter((e) => e.start >= range.start && e.end <= range.end);
    this.edits = this.edits.filter((e) => !inside.includes(e));
    return inside;
  }

  /**
   * Drops the edits a deletion of `range` swallows. Insertions on its bounds belong to the neighbours
   * (the next argument's `run(` prefix, the previous one's closing parenthesis) and stay.
   */
  dropInside(range: Range): void {
    this.edits = this.edits.filter(
      (e) => !(e.start >= range.start && e.end <= range.end) || (e.start === e.end && (e.start === range.start || e.start === range.end)),
    );
  }

  /** The text of `range` with the edits inside it applied; those edits leave this set. */
  renderRange(text: string, range: Range): string {
    return applyEdits(text.slice(range.start, range.end), this.take(range).map((e) => ({ ...e, start: e.start - range.start, end: e.end - range.start })));
  }

  apply(text: string): string {
    return applyEdits(text, this.edits);
  }
}

/** Applies non-overlapping edits; insertions at one offset keep the order they were added in. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const ordered = edits.map((e, i) => ({ e, i })).sort((a, b) => a.e.start - b.e.start || a.e.end - b.e.end || (a.e.rank ?? 0) - (b.e.rank ?? 0) || a.i - b.i);
  let out = '';
  let cursor = 0;
  for (const { e } of ordered) {
    if (e.start < cursor) throw new Error(`overlapping edits at offset ${e.start}`);
    out += text.slice(cursor, e.start) + e.text;
    cursor = e.end;
  }
  return out + text.slice(cursor);
}
