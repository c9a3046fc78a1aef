// Assertions on test doubles spell the stubbed function's argument list: they lose the argument with
// the parameter, or keep the function when the argument cannot be told apart.
import { describe, expect, it } from 'vitest';
import { unthreadInline } from '../test/inline.js';

/** Just enough of sinon, chai and jest for the assertions to type-check. */
const SHIMS = [
  'export interface Stub { calledWith(...args: unknown[]): boolean; calledOnceWithExactly(...args: unknown[]): boolean; resolves(value: unknown): Stub }',
  'export declare const sinon: {',
  '  stub<T, K extends keyof T>(object: T, method: K): Stub;',
  '  assert: { calledWith(stub: Stub, ...args: unknown[]): void };',
  '  match: { any: unknown };',
  '};',
  'export interface Matchers { toHaveBeenCalledWith(...args: unknown[]): void; toHaveBeenNthCalledWith(n: number, ...args: unknown[]): void }',
  'export declare function expect(value: unknown): Matchers & { to: { have: { been: { calledWith(...args: unknown[]): void } } } };',
  'export declare const jest: { spyOn<T, K extends keyof T>(object: T, method: K): unknown };',
  '',
].join('\n');

const SERVICE = [
  'export const sessions = {',
  '  async find(requestId: string, email: string): Promise<string> {',
  '    return `${requestId}:${email}`;',
  '  },',
  '};',
  '',
  'export async function login(requestId: string, email: string): Promise<string> {',
  '  return sessions.find(requestId, email);',
  '}',
  '',
].join('\n');

describe('assertions on test doubles', () => {
  it('keeps a function whose same-named double comes from a fake object the checker cannot tie to it', () => {
    const test = [
      "import { expect } from './shims.js';",
      "import { login } from './service.js';",
      '',
      '// A fake built by a helper and handed over untyped, as tests do with DI containers.',
      'const fakeSessions = () => ({ find: (..._args: unknown[]) => Promise.resolve(\'s\') });',
      '',
      'export async function loginTest(): Promise<void> {',
      '  const fake = fakeSessions();',
      "  await login('r1', 'a@b.c');",
      "  expect(fake.find).toHaveBeenCalledWith('r1', 'a@b.c');",
      '}',
      '',
    ].join('\n');
    const run = unthreadInline({ 'src/shims.ts': SHIMS, 'src/service.ts': SERVICE, 'src/service.test.ts': test });
    expect(run.fn('sessions.find').keeps.map((k) => k.reason)).toEqual(['unknown-argument']);
    expect(run.output['src/service.test.ts'] ?? '').not.toContain("toHaveBeenCalledWith('a@b.c')");
  });

  it('drops the argument from sinon, chai-sinon and jest assertions on doubles of a stripped function', () => {
    const test = [
      "import { expect, jest, sinon } from './shims.js';",
      "import { login, sessions } from './service.js';",
      '',
      'export async function loginTest(): Promise<void> {',
      "  const stub = sinon.stub(sessions, 'find').resolves('s');",
      "  await login('r1', 'a@b.c');",
      "  stub.calledWith('r1', 'a@b.c');",
      "  stub.calledOnceWithExactly(sinon.match.any, 'a@b.c');",
      "  sinon.assert.calledWith(stub, 'r1', 'a@b.c');",
      "  expect(stub).to.have.been.calledWith('r1', 'a@b.c');",
      "  jest.spyOn(sessions, 'find');",
      "  expect(sessions.find).toHaveBeenCalledWith('r1', 'a@b.c');",
      "  expect(sessions.find).toHaveBeenNthCalledWith(1, 'r1', 'a@b.c');",
      '}',
      '',
    ].join('\n');
    const run = unthreadInline({ 'src/shims.ts': SHIMS, 'src/service.ts': SERVICE, 'src/service.test.ts': test });
    expect(run.fn('sessions.find').keeps).toEqual([]);
    expect(run.output['src/service.test.ts']).toBe(
      [
        "import { expect, jest, sinon } from './shims.js';",
        "import { login, sessions } from './service.js';",
        "import { request } from './context.js';",
        '',
        'export async function loginTest(): Promise<void> {',
        "  const stub = sinon.stub(sessions, 'find').resolves('s');",
        "  await request.run({ requestId: 'r1' }, () => login('a@b.c'));",
        "  stub.calledWith('a@b.c');",
        "  stub.calledOnceWithExactly('a@b.c');",
        "  sinon.assert.calledWith(stub, 'a@b.c');",
        "  expect(stub).to.have.been.calledWith('a@b.c');",
        "  jest.spyOn(sessions, 'find');",
        "  expect(sessions.find).toHaveBeenCalledWith('a@b.c');",
        "  expect(sessions.find).toHaveBeenNthCalledWith(1, 'a@b.c');",
        '}',
        '',
      ].join('\n'),
    );
  });

  it('keeps the function when an assertion spreads its arguments', () => {
    const test = [
      "import { sinon } from './shims.js';",
      "import { sessions } from './service.js';",
      '',
      'export function spreadTest(args: [string, string]): void {',
      "  const stub = sinon.stub(sessions, 'find');",
      '  stub.calledWith(...args);',
      '}',
      '',
    ].join('\n');
    const run = unthreadInline({ 'src/shims.ts': SHIMS, 'src/service.ts': SERVICE, 'src/service.test.ts': test });
    expect(run.keeps('sessions.find')).toEqual([
      { reason: 'unknown-argument', at: 'src/service.test.ts:6', detail: 'an assertion on a test double spreads its arguments' },
    ]);
    expect(run.output['src/service.test.ts']).toBeUndefined();
  });

  it('drops the argument from assertions on a stand-in member of a grouped interface, and keeps for a test outside the paths', () => {
    const store = [
      'export interface Store {',
      '  find(requestId: string, email: string): Promise<string>;',
      '}',
      '',
      'export async function login(store: Store, requestId: string, email: string): Promise<string> {',
      '  return store.find(requestId, email);',
      '}',
      '',
    ].join('\n');
    const test = [
      "import { expect, jest } from '../src/shims.js';",
      "import { login, type Store } from '../src/store.js';",
      '',
      'export async function standInTest(): Promise<void> {',
      '  const store = { find: jest.fn() } as unknown as Store;',
      "  await login(store, 'r1', 'a@b.c');",
      "  expect(store.find).toHaveBeenCalledWith('r1', 'a@b.c');",
      '}',
      '',
    ].join('\n');
    const shims = SHIMS.replace('spyOn<T, K extends keyof T>(object: T, method: K): unknown', 'fn(): unknown');
    const files = { 'src/shims.ts': shims, 'src/store.ts': store, 'test/store.test.ts': test };
    const inside = unthreadInline(files);
    expect(inside.fn('Store.find').keeps).toEqual([]);
    expect(inside.output['test/store.test.ts']).toContain("  expect(store.find).toHaveBeenCalledWith('a@b.c');\n");
    const outside = unthreadInline(files, { paths: ['src'] });
    expect(outside.keeps('Store.find').map((k) => [k.reason, k.at, k.detail])).toContainEqual([
      'called-from-untransformed-file',
      'test/store.test.ts:7',
      'an assertion on a test double names the argument',
    ]);
    expect(outside.output['test/store.test.ts']).toBeUndefined();
  });
});
