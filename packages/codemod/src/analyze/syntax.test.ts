import { ts } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { isPure, listRemovalRanges } from './syntax.js';

function callOf(source: string): { sf: ts.SourceFile; call: ts.CallExpression } {
  const sf = ts.createSourceFile('x.ts', source, ts.ScriptTarget.Latest, true);
  const statement = sf.statements[0] as ts.ExpressionStatement;
  return { sf, call: statement.expression as ts.CallExpression };
}

function removeArgs(source: string, removed: number[]): string {
  const { sf, call } = callOf(source);
  const ranges = listRemovalRanges(call.arguments, removed, sf).sort((a, b) => b.start - a.start);
  return ranges.reduce((text, r) => text.slice(0, r.start) + text.slice(r.end), source);
}

describe('listRemovalRanges', () => {
  it('takes the comma after an item, or before it when it ends the list', () => {
    expect(removeArgs('f(a, b, c)', [0])).toBe('f(b, c)');
    expect(removeArgs('f(a, b, c)', [1])).toBe('f(a, c)');
    expect(removeArgs('f(a, b, c)', [2])).toBe('f(a, b)');
    expect(removeArgs('f(a, b, c)', [0, 2])).toBe('f(b)');
    expect(removeArgs('f(a, b, c)', [1, 2])).toBe('f(a)');
    expect(removeArgs('f(a, b)', [0, 1])).toBe('f()');
    expect(removeArgs('f(a,)', [0])).toBe('f()');
  });

  it('keeps a list written one item a line that way, with its comments and its trailing comma or none', () => {
    expect(removeArgs('f(\n  a,\n  // about b\n  b,\n);', [0])).toBe('f(\n  // about b\n  b,\n);');
    expect(removeArgs('f(\n  a, // about a\n  b,\n);', [0])).toBe('f(\n  b,\n);');
    expect(removeArgs('f(\n  a,\n  b,\n);', [1])).toBe('f(\n  a,\n);');
    expect(removeArgs('f(\n  a, // about a\n  b\n);', [1])).toBe('f(\n  a // about a\n);');
    expect(removeArgs('f(\r\n  a,\r\n  b\r\n);', [1])).toBe('f(\r\n  a\r\n);');
    expect(removeArgs('f(\n  a,\n);', [0])).toBe('f();');
    expect(removeArgs('f(\n  a,\n  b,\n);', [0, 1])).toBe('f();');
    // Items sharing a line with what stays fall back to the comma rule.
    expect(removeArgs('f(a,\n  b, c);', [1])).toBe('f(a,\n  c);');
  });
});

describe('isPure', () => {
  const expr = (source: string): ts.Expression => (callOf(`f(${source})`).call.arguments[0]!);
  it('accepts what can move without reordering side effects', () => {
    for (const source of ['id', "'x'", '`${a.b}/child`', 'this.id', '() => g()', '{ a, b: 1 }']) expect(isPure(expr(source)), source).toBe(true);
  });
  it('rejects calls, assignments, element access and spreads', () => {
    for (const source of ['g()', 'i++', 'a = 1', "h['x']", '[...xs]', 'new C()', 'await p']) expect(isPure(expr(source)), source).toBe(false);
  });
});
