// The keep rules of decide(), each on the smallest project that shows it, through the inline harness:
// the reasons and where they were found, and that a kept function's file stays as it was.
import { describe, expect, it } from 'vitest';
import { unthreadInline } from '../test/inline.js';

const LOG_LAST = 'export function log(message: string, requestId: string): string {\n  return `${requestId} ${message}`;\n}\n';

describe('decide: keeps from call sites', () => {
  it('keeps a callee whose moved value would run before a side effect that came first', () => {
    const run = unthreadInline({
      'src/log.ts': LOG_LAST,
      'src/app.ts': "import { log } from './log.js';\n\nlet n = 0;\nconst next = (): string => String(n++);\n\nexport const a = log(next(), next());\n",
    });
    expect(run.keeps('log')).toEqual([
      { reason: 'evaluation-order', at: 'src/app.ts:6', detail: 'moving the value before the call would reorder side effects' },
    ]);
    expect(run.output).toEqual({});
  });

  it('moves the same impure value when everything before it is pure', () => {
    const run = unthreadInline({
      'src/log.ts': LOG_LAST,
      'src/app.ts': "import { log } from './log.js';\n\nlet n = 0;\nconst next = (): string => String(n++);\n\nexport const a = log('m', next());\n",
    });
    expect(run.fn('log').decision).toBe('strip');
    expect(run.output['src/app.ts']).toBe(
      "import { log } from './log.js';\nimport { request } from './context.js';\n\nlet n = 0;\nconst next = (): string => String(n++);\n\nexport const a = request.run({ requestId: next() }, () => log('m'));\n",
    );
  });

  it('keeps a callee whose argument awaits: the await cannot move into the run() callback', () => {
    const run = unthreadInline({
      'src/log.ts': 'export function log(requestId: string): string {\n  return requestId;\n}\n',
      'src/app.ts': "import { log } from './log.js';\n\nexport async function main(id: Promise<string>): Promise<string> {\n  return log(await id);\n}\n",
    });
    expect(run.keeps('log')).toEqual([{ reason: 'evaluation-order', at: 'src/app.ts:4', detail: 'the call awaits or yields in its arguments' }]);
    expect(run.output).toEqual({});
  });

  it('keeps a callee that a spread passes the value to', () => {
    const run = unthreadInline({
      'src/log.ts': 'export function log(requestId: string, message: string): string {\n  return requestId + message;\n}\n',
      'src/app.ts': "import { log } from './log.js';\n\nconst args: [string, string] = ['r', 'm'];\nexport const a = log(...args);\n",
    });
    expect(run.keeps('log')).toEqual([{ reason: 'unknown-argument', at: 'src/app.ts:4', detail: 'a spread or an options object that is not a literal' }]);
  });

  it('keeps a callee called from a file outside the paths, and changes nothing', () => {
    const run = unthreadInline(
      {
        'src/lib/log.ts': 'export function log(requestId: string): string {\n  return requestId;\n}\n',
        'src/app.ts': "import { log } from './lib/log.js';\n\nexport const a = log('r');\n",
      },
      { paths: ['src/lib'] },
    );
    expect(run.keeps('log')).toEqual([{ reason: 'called-from-untransformed-file', at: 'src/app.ts:3' }]);
    expect(run.output).toEqual({});
  });
});

describe('decide: keeps along signatures', () => {
  it('a kept implementation keeps the interface member, and through it every other implementation', () => {
    const run = unthreadInline({
      'src/svc.ts': [
        'export interface Handler {',
        '  handle(requestId: string): string;',
        '}',
        'export class A implements Handler {',
        '  handle(requestId: string): string {',
        '    return requestId;',
        '  }',
        '}',
        'export class B implements Handler {',
        '  handle(requestId: string): string {',
        '    return requestId + arguments.length;',
        '  }',
        '}',
        "export const run = (h: Handler): string => h.handle('r');",
        '',
      ].join('\n'),
    });
    expect(run.keeps('B.handle')).toEqual([
      { reason: 'uses-arguments', at: 'src/svc.ts:11' },
      { reason: 'shares-signature-with-kept', at: 'src/svc.ts:2', detail: 'Handler.handle' },
    ]);
    expect(run.keeps('Handler.handle')).toEqual([{ reason: 'shares-signature-with-kept', at: 'src/svc.ts:10', detail: 'B.handle' }]);
    expect(run.keeps('A.handle')).toEqual([{ reason: 'shares-signature-with-kept', at: 'src/svc.ts:2', detail: 'Handler.handle' }]);
    expect(run.output).toEqual({});
  });
});
