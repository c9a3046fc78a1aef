// What a context key's type is and which parameters hold its value, through the inline harness: the
// type the context module names (and imports), the parameters kept because they hold another value or
// a type the module cannot name, and where a read must use tryGet.
import { describe, expect, it } from 'vitest';
import { unthreadInline } from '../test/inline.js';

const contextOf = (run: ReturnType<typeof unthreadInline>): string => run.output['src/context.ts'] ?? '';

describe('analyze: the type of a context key', () => {
  it('a value passed down a chain to a wider parameter: the key holds the most specific type, and the name is imported', () => {
    const run = unthreadInline({
      'src/requests.ts':
        'export interface BaseRequest { id: string }\nexport interface AdminRequest extends BaseRequest { admin: true }\n',
      'src/audit.ts':
        "import type { BaseRequest } from './requests.js';\n\nexport function audit(req: BaseRequest, action: string): string {\n  return `${req.id} ${action}`;\n}\n",
      'src/admin.ts':
        "import { audit } from './audit.js';\nimport type { AdminRequest } from './requests.js';\n\n" +
        "export function purge(req: AdminRequest): string {\n  return audit(req, req.admin ? 'purge' : 'none');\n}\n\n" +
        "export const main = (): string => purge({ id: 'r1', admin: true });\n",
    }, { params: ['req'] });
    expect(run.plan.functions.map((f) => [f.name, f.decision])).toEqual([
      ['audit', 'strip'],
      ['purge', 'strip'],
    ]);
    expect(contextOf(run)).toContain("import type { AdminRequest } from './requests.js';\n");
    expect(contextOf(run)).toContain('createContext<{ req: AdminRequest }>');
  });

  it('unconnected parameters of one name and one generic type share the key with its type arguments; other arguments are another value', () => {
    const run = unthreadInline({
      'src/box.ts': 'export interface Box<T> { value: T }\n',
      'src/a.ts':
        "import type { Box } from './box.js';\n\nexport function first(box: Box<number>): number {\n  return box.value;\n}\n" +
        "export function second(box: Box<number>): number {\n  return box.value + 1;\n}\n" +
        "export function label(box: Box<string>): string {\n  return box.value;\n}\n" +
        "export const main = (): string => `${first({ value: 1 })}${second({ value: 2 })}${label({ value: 'x' })}`;\n",
    }, { params: ['box'] });
    expect(run.fn('label').decision).toBe('keep');
    expect(run.keeps('label')).toEqual([
      { reason: 'another-value', at: 'src/a.ts:9', detail: "box: Box<string> is another value than the context's box: Box<number>" },
    ]);
    expect(contextOf(run)).toContain('createContext<{ box: Box<number> }>');
  });

  it('a tie between values moves neither until --param name:Type picks one', () => {
    const files = {
      'src/jobs.ts':
        'export interface QueueItem { id: number }\nexport interface Session { user: string }\n\n' +
        'export function retry(req: QueueItem): number {\n  return req.id;\n}\n' +
        'export function greet(req: Session): string {\n  return req.user;\n}\n' +
        "export const main = (): string => `${retry({ id: 1 })}${greet({ user: 'u' })}`;\n",
    };
    const tie = unthreadInline(files, { params: ['req'] });
    expect(tie.plan.functions.map((f) => [f.name, f.decision, f.keeps.map((k) => k.detail)])).toEqual([
      ['retry', 'keep', ['req names 2 values, QueueItem (1 function(s)), Session (1 function(s)): choose one with --param req:<type>']],
      ['greet', 'keep', ['req names 2 values, QueueItem (1 function(s)), Session (1 function(s)): choose one with --param req:<type>']],
    ]);
    expect(tie.output).toEqual({});

    const chosen = unthreadInline(files, { params: ['req:Session'] });
    expect(chosen.plan.params).toEqual(['req']);
    expect(chosen.plan.functions.map((f) => [f.name, f.decision])).toEqual([
      ['retry', 'keep'],
      ['greet', 'strip'],
    ]);
    expect(chosen.keeps('retry')[0]?.detail).toBe("req: QueueItem is another value than the context's req: Session");
    expect(contextOf(chosen)).toContain("import type { Session } from './jobs.js';");
  });

  it('keeps a parameter whose type the context module cannot name: a type parameter, a type its file does not export', () => {
    const run = unthreadInline({
      'src/a.ts':
        'interface Hidden { id: string }\n\n' +
        'export function hidden(ctx: Hidden): string {\n  return ctx.id;\n}\n' +
        'export function generic<T extends { id: string }>(ctx: T): string {\n  return ctx.id;\n}\n' +
        "export const main = (): string => hidden({ id: 'a' }) + generic({ id: 'b' });\n",
    }, { params: ['ctx'] });
    expect(run.keeps('hidden')).toEqual([{ reason: 'type-not-nameable', at: 'src/a.ts:3', detail: 'ctx: `Hidden` is not exported from a.ts' }]);
    expect(run.keeps('generic')).toEqual([
      { reason: 'type-not-nameable', at: 'src/a.ts:6', detail: 'ctx: `T` is a type parameter: each call may pass another type' },
    ]);
  });

  it('an existing context module keeps the keys it declares and imports a new key\'s type under a name it does not use yet', () => {
    const run = unthreadInline({
      'src/context.ts':
        "import { createContext } from '@unthread/context';\n\nexport type Logger = { tag: string };\n\n" +
        "export const request = createContext<{ requestId: string }>({ name: 'request' });\n",
      'src/log.ts': 'export interface Logger {\n  info(message: string): void;\n}\n',
      'src/app.ts':
        "import type { Logger } from './log.js';\n\nexport function work(logger: Logger, requestId: `r-${string}`): void {\n  logger.info(requestId);\n}\n" +
        "export const main = (): void => work({ info: () => undefined }, 'r-1');\n",
    }, { params: ['requestId', 'logger'] });
    expect(contextOf(run)).toBe(
      "import { createContext } from '@unthread/context';\nimport type { Logger as Logger2 } from './log.js';\n\nexport type Logger = { tag: string };\n\n" +
        "export const request = createContext<{ requestId: string; logger: Logger2 }>({ name: 'request' });\n",
    );
  });
});

describe('analyze: reads where undefined was legal', () => {
  it('without strictNullChecks every parameter may hold undefined: the body reads with tryGet', () => {
    const run = unthreadInline({
      'tsconfig.json': JSON.stringify({
        compilerOptions: { target: 'ES2022', lib: ['ES2022'], module: 'NodeNext', moduleResolution: 'NodeNext', strict: false, noEmit: true, types: [] },
      }),
      'src/a.ts':
        'export function log(requestId: string): string {\n  return `[${requestId}]`;\n}\n' +
        'export function handle(requestId: string): string {\n  return log(requestId);\n}\n' +
        'export const main = (): string => handle(undefined);\n',
    });
    expect(run.output['src/a.ts']).toContain("const requestId = request.tryGet('requestId');");
    expect(run.output['src/a.ts']).not.toContain("request.get('requestId')");
  });

  it('under strictNullChecks a required parameter reads with get, one whose type admits undefined with tryGet', () => {
    const run = unthreadInline({
      'src/a.ts':
        'export function strict(requestId: string): string {\n  return requestId;\n}\n' +
        'export function loose(requestId: string | undefined): string {\n  return requestId ?? "-";\n}\n' +
        "export const main = (): string => strict('a') + loose(undefined);\n",
    });
    expect(run.output['src/a.ts']).toContain("export function strict(): string {\n  const requestId = request.get('requestId');");
    expect(run.output['src/a.ts']).toContain("export function loose(): string {\n  const requestId = request.tryGet('requestId');");
    expect(contextOf(run)).toContain('createContext<{ requestId: string | undefined }>');
  });
});
