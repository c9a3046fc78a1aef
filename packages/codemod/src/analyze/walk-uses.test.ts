// What counts as a use that keeps a function's parameter, and what does not.
import { describe, expect, it } from 'vitest';
import { unthreadInline } from '../test/inline.js';

const LOAD = 'export function load(requestId: string, key: string): string {\n  return requestId + key;\n}\n';

describe('uses that keep, and mentions that do not', () => {
  it('reading fn.name neither calls nor passes fn; fn.length depends on its parameters and keeps it', () => {
    const run = unthreadInline({
      'src/load.ts': LOAD + 'export function save(requestId: string, key: string): string {\n  return requestId + key;\n}\n',
      'src/app.ts': [
        "import { load, save } from './load.js';",
        'export function handle(requestId: string): string {',
        '  console.log(`calling ${load.name}`, save.length);',
        "  return load(requestId, 'a') + save(requestId, 'b');",
        '}',
        '',
      ].join('\n'),
    });
    expect(run.fn('load').decision).toBe('strip');
    expect(run.keeps('save')).toEqual([{ reason: 'used-as-value', at: 'src/app.ts:3' }]);
  });

  it('jest.mocked(fn) and vi.mocked(ns.fn) look the function up for a test double: not value uses', () => {
    const run = unthreadInline({
      'src/load.ts': LOAD,
      'src/app.ts': "import { load } from './load.js';\nexport const main = (requestId: string): string => load(requestId, 'k');\n",
      'src/app.test.ts': [
        "import * as loader from './load.js';",
        "import { load } from './load.js';",
        'declare const jest: { mocked<T>(fn: T): T };',
        'declare const vi: { mocked<T>(fn: T): T };',
        'export const doubles = [jest.mocked(load), vi.mocked(loader.load)];',
        '',
      ].join('\n'),
    });
    expect(run.keeps('load')).toEqual([]);
    expect(run.fn('load').decision).toBe('strip');
  });

  it('a file that does not parse keeps every function its text names, even where the parser lost the call', () => {
    const run = unthreadInline({
      'src/load.ts': LOAD,
      'src/ok.ts': "import { load } from './load.js';\nexport const main = (requestId: string): string => load(requestId, 'k');\n",
      'src/broken.ts': "import { load } from './load.js';\nexport function handler(key: string, requestId: string {\n  return load(requestId, key);\n}\n",
    });
    expect(run.keeps('load')).toEqual([
      { reason: 'called-from-untransformed-file', at: 'src/broken.ts:1', detail: 'named in a file that does not parse (broken.ts)' },
    ]);
    expect(run.output['src/load.ts']).toBeUndefined();
  });
});
