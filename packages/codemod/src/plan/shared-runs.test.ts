// As few run() wrappers as the semantics allow: none inside another with the same value, one around
// consecutive statements that set the same value, and separate wrappers where moving statements into a
// callback would change what they do.
import { describe, expect, it } from 'vitest';
import { unthreadInline } from '../test/inline.js';

const LIB =
  'export function tag(requestId: string, label: string): string {\n  return `${requestId}:${label}`;\n}\n\n' +
  'export async function save(label: string, requestId: string): Promise<string> {\n  return tag(requestId, label);\n}\n\n' +
  'export function wrap(requestId: string, text: string): string {\n  return `[${requestId}] ${text}`;\n}\n';

const inline = (body: string) => unthreadInline({ 'src/lib.ts': LIB, 'src/use.ts': `import { save, tag, wrap } from './lib.js';\n\n${body}` });
const run = (body: string): string => inline(body).output['src/use.ts'] ?? '';

describe('plan: shared run() wrappers', () => {
  it('a call inside another call that sets the same value needs no run() of its own', () => {
    const out = run("export function page(id: string): string {\n  return wrap(id, tag(id, 'title'));\n}\n");
    expect(out).toContain("return request.run({ requestId: id }, () => wrap(tag('title')));");
  });

  it('another value, a value run() is given, or a callback that may run later keep their own run()', () => {
    const out = run(
      "export function page(id: string, other: string): string {\n  return wrap(id, tag(other, 'a')) + wrap(id, [1].map(() => tag(id, 'b')).join());\n}\n" +
        "export function later(id: string): void {\n  setTimeout(() => wrap(id, tag(id, 'c')), 1);\n}\n",
    );
    expect(out).toContain("request.run({ requestId: id }, () => wrap(request.run({ requestId: other }, () => tag('a'))))");
    expect(out).toContain("request.run({ requestId: id }, () => wrap([1].map(() => request.run({ requestId: id }, () => tag('b'))).join()))");
    expect(out).toContain("setTimeout(() => request.run({ requestId: id }, () => wrap(tag('c'))), 1);");
  });

  it('consecutive statements with the same value share one run(), comments and blank lines kept', () => {
    const result = inline("export function report(id: string): void {\n  console.log(tag(id, 'a'));\n  // between\n\n  console.log(tag(id, 'b'));\n}\n");
    expect(result.plan.summary).toMatchObject({ originsWrapped: 0, sharedRuns: 1 });
    expect(result.plan.calls.filter((c) => c.file === 'src/use.ts').map((c) => [c.action, c.dropped])).toEqual([
      ['drop-argument', ['requestId']],
      ['drop-argument', ['requestId']],
    ]);
    const out = result.output['src/use.ts'] ?? '';
    expect(out).toContain(
      "export function report(id: string): void {\n  request.run({ requestId: id }, () => {\n    console.log(tag('a'));\n    // between\n\n    console.log(tag('b'));\n  });\n}\n",
    );
  });

  it('statements that await are awaited in an async callback; a last return returns what run() returns', () => {
    const out = run(
      "export async function flow(id: string): Promise<void> {\n  await save('a', id);\n  await save('b', id);\n}\n\n" +
        "export function total(id: string): number {\n  tag(id, 'a');\n  return tag(id, 'b').length;\n}\n",
    );
    expect(out).toContain("  await request.run({ requestId: id }, async () => {\n    await save('a');\n    await save('b');\n  });\n");
    expect(out).toContain("  return request.run({ requestId: id }, () => {\n    tag('a');\n    return tag('b').length;\n  });\n");
  });

  it('a declaration read after the statements, a return before the last statement, or a call reading the caller\'s own value keep separate wrappers', () => {
    const out = run(
      "export function declares(id: string): string {\n  const a = tag(id, 'a');\n  console.log(tag(id, 'b'));\n  return a;\n}\n\n" +
        "export function early(id: string, stop: boolean): string {\n  if (stop) return tag(id, 'x');\n  tag(id, 'a');\n  return 'done';\n}\n\n" +
        "export function whole(id: string, stop: boolean): string {\n  if (stop) return tag(id, 'x');\n  return tag(id, 'b');\n}\n\n" +
        "export function mixed(requestId: string, other: string): void {\n  console.log(tag(other, 'a'), tag(requestId, 'own'));\n  console.log(tag(other, 'b'));\n}\n",
    );
    expect(out).toContain("  const a = request.run({ requestId: id }, () => tag('a'));\n  console.log(request.run({ requestId: id }, () => tag('b')));\n");
    expect(out).toContain("  if (stop) return request.run({ requestId: id }, () => tag('x'));\n  request.run({ requestId: id }, () => tag('a'));\n  return 'done';\n");
    // Returns all through to the function's end: every one returns what run() returns.
    expect(out).toContain("  return request.run({ requestId: id }, () => {\n    if (stop) return tag('x');\n    return tag('b');\n  });\n");
    expect(out).toContain("  console.log(request.run({ requestId: other }, () => tag('a')), tag('own'));\n  console.log(request.run({ requestId: other }, () => tag('b')));\n");
  });

  it('a binding the statements declare, read by a closure above them, or declared with the value, or shadowed, is no one value', () => {
    const out = run(
      "export function above(id: string): () => string {\n  const later = (): string => a;\n  const a = tag(id, 'a');\n  console.log(tag(id, 'b'));\n  return later;\n}\n\n" +
        "export function born(): void {\n  const id = 'x', a = tag(id, 'a');\n  console.log(a, tag(id, 'b'));\n}\n\n" +
        "export function shadowed(id: string): void {\n  console.log(tag(id, 'a'));\n  if (tag(id, 'b')) {\n    const id = 'inner';\n    console.log(tag(id, 'c'));\n  }\n}\n",
    );
    expect(out).toContain("  const a = request.run({ requestId: id }, () => tag('a'));\n  console.log(request.run({ requestId: id }, () => tag('b')));\n  return later;");
    expect(out).toContain("  const id = 'x', a = request.run({ requestId: id }, () => tag('a'));\n  console.log(a, request.run({ requestId: id }, () => tag('b')));\n");
    expect(out).toContain(
      "  request.run({ requestId: id }, () => {\n    console.log(tag('a'));\n    if (tag('b')) {\n      const id = 'inner';\n      console.log(request.run({ requestId: id }, () => tag('c')));\n    }\n  });\n",
    );
  });
});
