// The patch built from the edited parts must be the patch of the whole texts: it applies (with the
// `diff` library's own applyPatch) to the old text giving the new one, and for ordinary edits it is
// the very patch the library computes by diffing the whole files.
import { applyPatch, formatPatch, structuredPatch } from 'diff';
import { describe, expect, it } from 'vitest';
import { FileEdits, type TextEdit } from '../apply/text-edits.js';
import { patchOf } from './patch.js';

function change(before: string, edits: TextEdit[]): { before: string; after: string; patch: string; library: string } {
  const set = new FileEdits();
  for (const edit of edits) set.add(edit);
  const { text: after, edited } = set.applyTracked(before);
  const patch = formatPatch(patchOf({ file: 'f.ts', before, after, edited }, 'a/f.ts', 'b/f.ts', 3));
  const library = formatPatch(structuredPatch('a/f.ts', 'b/f.ts', before, after, undefined, undefined, { context: 3 }));
  return { before, after, patch, library };
}

const at = (text: string, needle: string): number => {
  const index = text.indexOf(needle);
  if (index === -1) throw new Error(`${needle} not in text`);
  return index;
};

describe('patchOf', () => {
  const lines = Array.from({ length: 30 }, (_, i) => `line ${i}`);
  const text = `${lines.join('\n')}\n`;

  it('is the library patch for edits on far, near and neighbouring lines', () => {
    const edits: TextEdit[] = [
      { start: at(text, 'line 2'), end: at(text, 'line 2') + 4, text: 'LINE' },
      { start: at(text, 'line 3'), end: at(text, 'line 3') + 4, text: 'LINE' }, // next line: removals, then additions
      { start: at(text, 'line 8'), end: at(text, 'line 8'), text: 'new\n' }, // near: one hunk with the first
      { start: at(text, 'line 25'), end: at(text, 'line 26'), text: '' }, // far: a hunk of its own
    ];
    const { before, after, patch, library } = change(text, edits);
    expect(patch).toBe(library);
    expect(patch.match(/^@@/gm)).toHaveLength(2);
    expect(applyPatch(before, patch)).toBe(after);
  });

  it('is the library patch at the ends of the file: an import on line 1, lines appended, no final line break', () => {
    const noFinalBreak = text.trimEnd();
    for (const before of [text, noFinalBreak]) {
      const { after, patch, library } = change(before, [
        { start: 0, end: 0, text: "import { request } from './context.js';\n\n" },
        { start: before.length, end: before.length, text: before.endsWith('\n') ? 'tail\n' : '\ntail' },
      ]);
      expect(patch).toBe(library);
      expect(applyPatch(before, patch)).toBe(after);
    }
  });

  it('keeps CRLF line breaks in the lines it shows', () => {
    const crlf = text.replaceAll('\n', '\r\n');
    const { before, after, patch, library } = change(crlf, [{ start: at(crlf, 'line 10'), end: at(crlf, 'line 10') + 7, text: 'ten' }]);
    expect(patch).toBe(library);
    expect(patch).toContain('-line 10\r\n+ten\r\n');
    expect(applyPatch(before, patch)).toBe(after);
  });

  it('is the library patch for a file where every function changed', () => {
    let before = '';
    for (let i = 0; i < 300; i++) before += `export function f${i}(requestId: string, n: number): number {\n  return g${i}(requestId, n);\n}\n\n`;
    const edits: TextEdit[] = [];
    for (let i = 0; i < 300; i++) {
      const signature = at(before, `f${i}(requestId`);
      edits.push({ start: signature + `f${i}(`.length, end: signature + `f${i}(requestId: string, `.length, text: '' });
      const call = at(before, `g${i}(requestId`);
      edits.push({ start: call + `g${i}(`.length, end: call + `g${i}(requestId, `.length, text: '' });
    }
    const { after, patch, library } = change(before, edits);
    expect(patch).toBe(library);
    expect(applyPatch(before, patch)).toBe(after);
  });

  it('shows a created file as added lines', () => {
    const patch = formatPatch(patchOf({ file: 'c.ts', before: undefined, after: 'a\nb\n' }, '/dev/null', 'b/c.ts', 3));
    expect(patch).toContain('@@ -0,0 +1,2 @@\n+a\n+b\n');
  });
});
