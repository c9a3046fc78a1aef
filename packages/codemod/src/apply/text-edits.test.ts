import { describe, expect, it } from 'vitest';
import { applyEdits, FileEdits } from './text-edits.js';

describe('applyEdits', () => {
  it('applies deletions and insertions in one pass, insertions at one offset by rank', () => {
    const text = 'f(a, b)';
    const out = applyEdits(text, [
      { start: 7, end: 7, text: ')', rank: 7 },
      { start: 2, end: 5, text: '' },
      { start: 0, end: 0, text: 'run(() => ', rank: -7 },
      { start: 0, end: 0, text: 'outer(', rank: -10 },
    ]);
    expect(out).toBe('outer(run(() => f(b))');
  });

  it('refuses overlapping edits instead of writing garbage', () => {
    expect(() => applyEdits('abcdef', [{ start: 1, end: 4, text: '' }, { start: 3, end: 5, text: 'x' }])).toThrow('overlapping edits at offset 3');
  });
});

describe('FileEdits', () => {
  it('renders a moved range with the edits inside it and removes them from the file', () => {
    const text = 'g(h(x, y), z)';
    const edits = new FileEdits();
    edits.add({ start: 4, end: 7, text: '' }); // inside h(...)
    edits.add({ start: 11, end: 11, text: '!' }); // outside the moved range
    expect(edits.renderRange(text, { start: 2, end: 9 })).toBe('h(y)');
    expect(edits.apply(text)).toBe('g(h(x, y), !z)');
  });

  it('dropInside keeps the insertions on the bounds of a deleted range', () => {
    const text = 'f(a, g(b))';
    const edits = new FileEdits();
    edits.add({ start: 5, end: 5, text: 'wrap(' });
    edits.add({ start: 2, end: 3, text: 'A' });
    edits.dropInside({ start: 2, end: 5 });
    edits.add({ start: 2, end: 5, text: '' });
    expect(edits.apply(text)).toBe('f(wrap(g(b))');
  });

  it('finds the edits inside a range that spans many blocks of a long text, and no others', () => {
    const edits = new FileEdits();
    const starts = [0, 499, 511, 512, 1023, 1500, 2047, 2048, 3000, 4999];
    for (const start of starts) edits.add({ start, end: start + 1, text: 'y' });
    const taken = edits.take({ start: 511, end: 2048 }).map((e) => e.start);
    // 2047 ends at 2048, inside; 2048 would end past the range.
    expect(taken).toEqual([511, 512, 1023, 1500, 2047]);
    expect(edits.size).toBe(starts.length - taken.length);
    expect(edits.take({ start: 511, end: 2048 })).toEqual([]);
  });

  it('applies a deletion added twice once, and tells where the new text differs', () => {
    const edits = new FileEdits();
    edits.add({ start: 2, end: 5, text: '' });
    edits.add({ start: 2, end: 5, text: '' });
    edits.add({ start: 5, end: 5, text: 'Z' }); // adjoins the deletion: one edited span
    edits.add({ start: 9, end: 10, text: 'NINE' });
    expect(edits.size).toBe(3);
    expect(edits.applyTracked('0123456789')).toEqual({
      text: '01Z5678NINE',
      edited: [
        { before: { start: 2, end: 5 }, after: { start: 2, end: 3 } },
        { before: { start: 9, end: 10 }, after: { start: 7, end: 11 } },
      ],
    });
  });
});
