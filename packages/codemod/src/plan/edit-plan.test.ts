// The planning rules, through the inline harness: what each call becomes (in the plan and in the text
// apply writes from it), and the context module's shape.
import { describe, expect, it } from 'vitest';
import { unthreadInline } from '../test/inline.js';

const NEW_CONTEXT = (shape: string): string =>
  '// The request context (AsyncLocalStorage via @unthread/context). Created by unthread; later runs add keys here.\n' +
  "import { createContext } from '@unthread/context';\n\n" +
  `export const request = createContext<${shape}>({ name: 'request' });\n`;

describe('plan: call sites', () => {
  it('a chain: the stripped caller drops its argument, the origin moves into run(), the body reads the context', () => {
    const run = unthreadInline({
      'src/log.ts': 'export function log(requestId: string, message: string): string {\n  return `${requestId} ${message}`;\n}\n',
      'src/app.ts':
        "import { log } from './log.js';\n\nexport function handle(requestId: string): string {\n  return log(requestId, 'handled');\n}\n\n" +
        'export const main = (): string => handle(`req-${Date.now()}`);\n',
    });
    expect(run.plan.calls.map((c) => [c.calleeName, c.action, c.dropped, c.wrapped])).toEqual([
      ['log', 'drop-argument', ['requestId'], []],
      ['handle', 'wrap-in-run', [], [{ key: 'requestId', expression: '`req-${Date.now()}`' }]],
    ]);
    expect(run.output).toEqual({
      'src/log.ts': "import { request } from './context.js';\n\nexport function log(message: string): string {\n  const requestId = request.get('requestId');\n  return `${requestId} ${message}`;\n}\n",
      'src/app.ts':
        "import { log } from './log.js';\nimport { request } from './context.js';\n\nexport function handle(): string {\n  return log('handled');\n}\n\n" +
        'export const main = (): string => request.run({ requestId: `req-${Date.now()}` }, () => handle());\n',
      'src/context.ts': NEW_CONTEXT('{ requestId: string }'),
    });
  });

  it('a call that leaves an optional parameter out runs with the key unset, and the shape admits undefined', () => {
    const run = unthreadInline({
      'src/log.ts': 'export function log(message: string, requestId?: string): string {\n  return `${requestId ?? "-"} ${message}`;\n}\n',
      'src/app.ts':
        "import { log } from './log.js';\n\nexport function handle(requestId: string): string {\n  log('start');\n  return log('done', requestId);\n}\n\n" +
        "export const main = (): string => handle('r1');\n",
    });
    expect(run.plan.calls.map((c) => [c.line, c.action, c.unset, c.dropped])).toEqual([
      [4, 'wrap-in-run', ['requestId'], []],
      [5, 'drop-argument', [], ['requestId']],
      [8, 'wrap-in-run', [], []],
    ]);
    expect(run.output['src/app.ts']).toBe(
      "import { log } from './log.js';\nimport { request } from './context.js';\n\nexport function handle(): string {\n" +
        "  request.run({ requestId: undefined }, () => log('start'));\n  return log('done');\n}\n\n" +
        "export const main = (): string => request.run({ requestId: 'r1' }, () => handle());\n",
    );
    expect(run.output['src/log.ts']).toContain("const requestId = request.tryGet('requestId');\n");
    expect(run.output['src/context.ts']).toBe(NEW_CONTEXT('{ requestId?: string | undefined }'));
  });

  it('a kept callee of a stripped caller is passed the value read from the context', () => {
    const run = unthreadInline({
      'src/log.ts': 'export function log(requestId: string): string {\n  return requestId;\n}\nexport const handlers = [log];\n',
      'src/app.ts': "import { log } from './log.js';\n\nexport function handle(requestId: string): string {\n  return log(requestId);\n}\n",
    });
    expect(run.keeps('log')).toEqual([{ reason: 'used-as-value', at: 'src/log.ts:4' }]);
    expect(run.plan.calls.map((c) => [c.calleeName, c.action, c.passed])).toEqual([['log', 'pass-from-context', ['requestId']]]);
    expect(run.output['src/app.ts']).toBe(
      "import { log } from './log.js';\nimport { request } from './context.js';\n\nexport function handle(): string {\n  return log(request.get('requestId'));\n}\n",
    );
    expect(run.output['src/log.ts']).toBeUndefined();
  });

  it('super(): the argument is dropped in the call, the value moves into run() around `new`', () => {
    const run = unthreadInline({
      'src/base.ts': [
        'export class Base {',
        '  constructor(readonly name: string, requestId: string) {',
        '    console.log(requestId);',
        '  }',
        '}',
        'export class Child extends Base {',
        '  constructor(requestId: string) {',
        "    super('child', requestId);",
        '  }',
        '}',
        "export const make = (): Child => new Child('r');",
        '',
      ].join('\n'),
    });
    expect(run.output['src/base.ts']).toBe(
      [
        "import { request } from './context.js';",
        '',
        'export class Base {',
        '  constructor(readonly name: string) {',
        "    const requestId = request.get('requestId');",
        '    console.log(requestId);',
        '  }',
        '}',
        'export class Child extends Base {',
        '  constructor() {',
        "    super('child');",
        '  }',
        '}',
        "export const make = (): Child => request.run({ requestId: 'r' }, () => new Child());",
        '',
      ].join('\n'),
    );
  });
});

describe('plan: the edit of each call', () => {
  it('a key left out is unset, the stripped caller\'s own value dropped, a new value moved, in argument order', () => {
    const run = unthreadInline({
      'src/log.ts': 'export function log(message: string, requestId?: string): string {\n  return message + (requestId ?? "");\n}\n',
      'src/app.ts': "import { log } from './log.js';\n\nexport function handle(requestId: string): string {\n  return log('a') + log('b', requestId) + log('c', 'origin');\n}\n",
    });
    expect(run.edits.calls.map((c) => ({ action: c.action, keys: c.runKeys.map((k) => [k.key, k.value?.text]), dropped: c.dropped, deletions: c.deletions.length }))).toEqual([
      { action: 'wrap-in-run', keys: [['requestId', undefined]], dropped: [], deletions: 0 },
      { action: 'drop-argument', keys: [], dropped: ['requestId'], deletions: 1 },
      { action: 'wrap-in-run', keys: [['requestId', "'origin'"]], dropped: [], deletions: 1 },
    ]);
    expect(run.edits.unsetKeys).toEqual(['requestId']);
    expect(run.output['src/app.ts']).toContain(
      "return request.run({ requestId: undefined }, () => log('a')) + log('b') + request.run({ requestId: 'origin' }, () => log('c'));\n",
    );
  });
});
