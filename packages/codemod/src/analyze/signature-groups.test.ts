// A threaded signature and every function that implements it change together or not at all, decided
// from the declarations (a function with fewer parameters type-checks against a wider signature).
import { describe, expect, it } from 'vitest';
import { unthreadInline } from '../test/inline.js';

describe('signature groups', () => {
  it('an implementation that names the parameter otherwise (`_logger`) loses it with the interface', () => {
    const run = unthreadInline(
      {
        'src/jobs.ts': [
          'export interface Job {',
          '  run(logger: string, attempt: number): number;',
          '}',
          'export class Cleanup implements Job {',
          '  run(_logger: string, attempt: number): number {',
          '    return attempt + 1;',
          '  }',
          '}',
          'export class Report implements Job {',
          '  run(log: string, attempt: number): number {',
          '    return log.length + attempt;',
          '  }',
          '}',
          'export function schedule(job: Job, logger: string): number {',
          '  return job.run(logger, 1);',
          '}',
          '',
        ].join('\n'),
      },
      { params: ['logger'] },
    );
    expect(run.plan.functions.map((f) => [f.name, f.decision])).toEqual([
      ['Job.run', 'strip'],
      ['schedule', 'strip'],
      ['Cleanup.run', 'strip'],
      ['Report.run', 'strip'],
    ]);
    expect(run.output['src/jobs.ts']).toBe(
      [
        "import { request } from './context.js';",
        '',
        'export interface Job {',
        '  run(attempt: number): number;',
        '}',
        'export class Cleanup implements Job {',
        '  run(attempt: number): number {',
        '    return attempt + 1;',
        '  }',
        '}',
        'export class Report implements Job {',
        '  run(attempt: number): number {',
        "    const log = request.get('logger');",
        '    return log.length + attempt;',
        '  }',
        '}',
        'export function schedule(job: Job): number {',
        '  return job.run(1);',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('an interface that names the parameter otherwise loses it with the implementations that thread it', () => {
    const run = unthreadInline(
      {
        'src/jobs.ts': [
          'export interface Job {',
          '  run(_logger: string, attempt: number): number;',
          '}',
          'export class Report implements Job {',
          '  run(logger: string, attempt: number): number {',
          '    return logger.length + attempt;',
          '  }',
          '}',
          "export const schedule = (job: Job): number => job.run('L', 1);",
          '',
        ].join('\n'),
      },
      { params: ['logger'] },
    );
    expect(run.plan.functions.filter((f) => f.decision === 'keep')).toEqual([]);
    expect(run.output['src/jobs.ts']).toBe(
      [
        "import { request } from './context.js';",
        '',
        'export interface Job {',
        '  run(attempt: number): number;',
        '}',
        'export class Report implements Job {',
        '  run(attempt: number): number {',
        "    const logger = request.get('logger');",
        '    return logger.length + attempt;',
        '  }',
        '}',
        "export const schedule = (job: Job): number => request.run({ logger: 'L' }, () => job.run(1));",
        '',
      ].join('\n'),
    );
  });

  it("a value assigned to a base class's function-typed property changes with it, and so does its initializer", () => {
    const run = unthreadInline({
      'src/consumer.ts': [
        'export class Consumer {',
        '  onMessage: (requestId: string, body: string) => void = (_id, body) => console.log(body);',
        '  deliver(requestId: string, body: string): void {',
        '    this.onMessage(requestId, body);',
        '  }',
        '}',
        'export class Audit extends Consumer {',
        '  constructor() {',
        '    super();',
        '    this.onMessage = (id: string, body: string) => console.log(id, body);',
        '  }',
        '}',
        "export const start = (c: Consumer): void => c.deliver('r-1', 'hello');",
        '',
      ].join('\n'),
    });
    expect(run.plan.functions.filter((f) => f.decision === 'keep')).toEqual([]);
    expect(run.output['src/consumer.ts']).toBe(
      [
        "import { request } from './context.js';",
        '',
        'export class Consumer {',
        '  onMessage: (body: string) => void = (body) => console.log(body);',
        '  deliver(body: string): void {',
        '    this.onMessage(body);',
        '  }',
        '}',
        'export class Audit extends Consumer {',
        '  constructor() {',
        '    super();',
        "    this.onMessage = (body: string) => { const id = request.get('requestId'); return console.log(id, body); };",
        '  }',
        '}',
        "export const start = (c: Consumer): void => request.run({ requestId: 'r-1' }, () => c.deliver('hello'));",
        '',
      ].join('\n'),
    );
  });

  it('test doubles cast to the class (`as unknown as`) and jest.fn implementations change with the method', () => {
    const run = unthreadInline(
      {
        'src/mailer.ts': [
          'export class Mailer {',
          '  send(sessionId: string, to: string): string {',
          '    return `${sessionId}:${to}`;',
          '  }',
          '}',
          'export function notify(mailer: Mailer, sessionId: string): string {',
          "  return mailer.send(sessionId, 'ops@example.com');",
          '}',
          '',
        ].join('\n'),
        'src/mailer.test.ts': [
          "import { notify, type Mailer } from './mailer.js';",
          'declare const jest: { fn<T>(implementation?: T): T };',
          'const literal = { send(sid: string, to: string) { return sid + to; } } as unknown as Mailer;',
          'const double = { send: jest.fn((_sid: string, to: string) => to) } as unknown as Mailer;',
          'const bare = { send: jest.fn() } as unknown as Mailer;',
          "export const sent = [notify(literal, 's-1'), notify(double, 's-2'), notify(bare, 's-3')];",
          '',
        ].join('\n'),
      },
      { params: ['sessionId'] },
    );
    expect(run.plan.functions.filter((f) => f.decision === 'keep')).toEqual([]);
    expect(run.output['src/mailer.test.ts']).toBe(
      [
        "import { notify, type Mailer } from './mailer.js';",
        "import { request } from './context.js';",
        'declare const jest: { fn<T>(implementation?: T): T };',
        "const literal = { send(to: string) { const sid = request.get('sessionId'); return sid + to; } } as unknown as Mailer;",
        'const double = { send: jest.fn((to: string) => to) } as unknown as Mailer;',
        'const bare = { send: jest.fn() } as unknown as Mailer;',
        "export const sent = [request.run({ sessionId: 's-1' }, () => notify(literal)), request.run({ sessionId: 's-2' }, () => notify(double)), request.run({ sessionId: 's-3' }, () => notify(bare))];",
        '',
      ].join('\n'),
    );
  });

  it('members of a jest.mock/vi.mock factory change with the exports they stand in for; a double without a body stays', () => {
    const run = unthreadInline(
      {
        'src/mailer.ts': [
          'export async function sendEmail(sessionId: string, to: string): Promise<string> {',
          '  return `${sessionId}:${to}`;',
          '}',
          'export async function sendSms(sessionId: string, to: string): Promise<string> {',
          '  return `${sessionId}:${to}`;',
          '}',
          '',
        ].join('\n'),
        'src/signup.ts': [
          "import { sendEmail, sendSms } from './mailer.js';",
          'export async function signup(sessionId: string, to: string): Promise<string[]> {',
          '  return [await sendEmail(sessionId, to), await sendSms(sessionId, to)];',
          '}',
          '',
        ].join('\n'),
        'src/signup.test.ts': [
          "import { signup } from './signup.js';",
          "import { sendEmail } from './mailer.js';",
          'declare const jest: { mock(path: string, factory?: () => unknown): void; mocked<T>(fn: T): T; fn<T>(implementation?: T): T & { mockResolvedValue(v: unknown): T } };',
          'const sendSms = jest.fn().mockResolvedValue(\'sms\');',
          "jest.mock('./mailer.js', () => ({",
          '  sendEmail: jest.fn(async (sessionId: string, to: string) => `mock:${sessionId}:${to}`),',
          '  sendSms,',
          '}));',
          "export const result = [signup('s-1', 'a@example.com'), jest.mocked(sendEmail)];",
          '',
        ].join('\n'),
      },
      { params: ['sessionId'] },
    );
    expect(run.fn('sendEmail').decision).toBe('strip');
    expect(run.fn('sendSms').decision).toBe('strip');
    expect(run.output['src/signup.test.ts']).toContain(
      "  sendEmail: jest.fn(async (to: string) => { const sessionId = request.get('sessionId'); return `mock:${sessionId}:${to}`; }),",
    );
  });

  it('an implementation that cannot change (made by a call) keeps the whole group, with one reason', () => {
    const run = unthreadInline({
      'src/handlers.ts': [
        'export interface Handlers {',
        '  audit(requestId: string, event: string): string;',
        '}',
        'const makeAudit = () => (id: string, event: string): string => id + event;',
        'export const handlers: Handlers = { audit: makeAudit() };',
        'export const other: Handlers = { audit(requestId, event) { return requestId + event; } };',
        "export const fire = (h: Handlers, requestId: string): string => h.audit(requestId, 'login');",
        '',
      ].join('\n'),
    });
    expect(run.keeps('Handlers.audit')).toEqual([
      { reason: 'implementation-not-rewritable', at: 'src/handlers.ts:2', detail: 'handlers.ts:5 is not a function the repo declares' },
      { reason: 'shares-signature-with-kept', at: 'src/handlers.ts:6', detail: 'other.audit' },
    ]);
    expect(run.keeps('other.audit')).toEqual([{ reason: 'shares-signature-with-kept', at: 'src/handlers.ts:2', detail: 'Handlers.audit' }]);
    // Every member keeps it; only the caller of the signature loses its own parameter.
    expect(run.output['src/handlers.ts']).toBe(
      [
        "import { request } from './context.js';",
        '',
        'export interface Handlers {',
        '  audit(requestId: string, event: string): string;',
        '}',
        'const makeAudit = () => (id: string, event: string): string => id + event;',
        'export const handlers: Handlers = { audit: makeAudit() };',
        'export const other: Handlers = { audit(requestId, event) { return requestId + event; } };',
        "export const fire = (h: Handlers): string => h.audit(request.get('requestId'), 'login');",
        '',
      ].join('\n'),
    );
  });
});

describe('members the repo does not own keep their parameter in every direction', () => {
  const library = {
    'node_modules/store-kit/package.json': '{ "name": "store-kit", "version": "1.0.0", "types": "index.d.ts" }',
    'node_modules/store-kit/index.d.ts': [
      'export interface Creates<T> { create(correlationId: string, item: T): Promise<T>; }',
      'export interface Finds<T> { find(correlationId: string, id: string): Promise<T | undefined>; }',
      'export declare class MemoryRepository<T> {',
      '  create(correlationId: string, item: T): Promise<T>;',
      '  find(correlationId: string, id: string): Promise<T | undefined>;',
      '}',
      '',
    ].join('\n'),
  };

  it('a repo interface extending package interfaces, implemented by a class that inherits from a package base', () => {
    const run = unthreadInline(
      {
        ...library,
        'src/orders.ts': [
          "import { MemoryRepository, type Creates, type Finds } from 'store-kit';",
          'export interface Order { id: string }',
          'export interface OrderRepository extends Creates<Order>, Finds<Order> {',
          '  create(correlationId: string, item: Order): Promise<Order>;',
          '}',
          'export class OrderStore extends MemoryRepository<Order> implements OrderRepository {}',
          'export async function place(orders: OrderRepository, correlationId: string): Promise<Order> {',
          "  return orders.create(correlationId, { id: 'o-1' });",
          '}',
          '',
        ].join('\n'),
      },
      { params: ['correlationId'] },
    );
    expect(run.keeps('OrderRepository.create').map((k) => k.reason)).toEqual(['implemented-by-unowned-code', 'implements-unowned-signature']);
    expect(run.keeps('OrderRepository.create')[0]!.detail).toBe('../node_modules/store-kit/index.d.ts:4 (inherited or implemented outside the repo)');
    // The caller still loses its parameter: the kept member is passed the value read from the context.
    expect(run.output['src/orders.ts']).toContain("  return orders.create(request.get('correlationId'), { id: 'o-1' });");
    expect(run.output['src/orders.ts']).toContain('  create(correlationId: string, item: Order): Promise<Order>;');
  });

  it("a repo class's own implementation of a member a package interface declares keeps it", () => {
    const run = unthreadInline(
      {
        ...library,
        'src/users.ts': [
          "import type { Finds } from 'store-kit';",
          'export interface UserFinder extends Finds<string> {',
          '  find(correlationId: string, id: string): Promise<string | undefined>;',
          '}',
          'export class Users implements UserFinder {',
          '  async find(correlationId: string, id: string): Promise<string | undefined> {',
          '    return correlationId + id;',
          '  }',
          '}',
          '',
        ].join('\n'),
      },
      { params: ['correlationId'] },
    );
    expect(run.fn('UserFinder.find').decision).toBe('keep');
    expect(run.fn('Users.find').decision).toBe('keep');
    expect(run.output).toEqual({});
  });
});
