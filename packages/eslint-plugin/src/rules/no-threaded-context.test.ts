import rule from './no-threaded-context.js';
import { createCommonJsRuleTester, createRuleTester, JS_FILE } from '../test/rule-tester.js';

const ruleTester = createRuleTester();
const threaded = (name: string, line: number, column: number) => ({
  messageId: 'threaded' as const,
  data: { name },
  line,
  column,
  endLine: line,
  endColumn: column + name.length,
});

ruleTester.run('no-threaded-context', rule, {
  valid: [
    // The function uses the value itself.
    `export function audit(requestId: string, action: string) { console.log(requestId, action); return requestId.length; }`,
    `export function header(requestId: string) { return { 'x-request-id': requestId }; }`,
    `export const tag = (requestId: string) => \`[\${requestId}]\`;`,
    // Written into an object the caller handed over: where the value is used (cls-rtracer).
    `const setHeader = (res: { setHeader(name: string, value: string): void }, name: string, requestId: string) => { res.setHeader(name, requestId); };`,
    `export function log(logger: { child(b: object): { info(m: string): void } }, requestId: string) { logger.child({ requestId }).info('start'); }`,
    // An inline callback: the value is born where it is called back, as a loop variable is.
    `export const cancelAll = (ids: string[]) => ids.forEach((requestId) => cancel(requestId));`,
    `export const next = (lookup: Promise<string>) => lookup.then((correlationId) => publish(correlationId));`,
    // Stored or sent: the value ends there (TypeScript's tsserver queues and sends its request ids).
    `export function enqueue(requestId: number, names: string[]) { pending.unshift({ requestId, names }); run(); }`,
    `export function complete(requestId: number) { events.emit('done', requestId); }`,
    // Under another key it is a field of a message.
    `export function completed(requestId: number) { send({ request_seq: requestId }); }`,
    // Where the value enters context: the migrated form.
    `import { createContext } from '@unthread/context';
     const request = createContext<{ requestId: string }>({ name: 'request' });
     export const handle = (requestId: string, next: () => void) => request.run({ requestId }, next);`,
    `import { AsyncLocalStorage } from 'node:async_hooks';
     const als = new AsyncLocalStorage<{ requestId: string }>();
     export function enter(requestId: string) { als.enterWith({ requestId }); }`,
    // An instance from another module, in the shape of run(store, fn).
    `import { requestContext } from './context.js';
     export const handle = (requestId: string, next: () => void) => requestContext.run({ requestId }, next);`,
    // Unused, reassigned, or another name.
    `export function ignore(requestId: string) { return 1; }`,
    `export function normalise(requestId: string) { requestId = requestId.trim(); return save(requestId); }`,
    `export function save(userId: string) { return db.save(userId); }`,
    // A declaration without a body.
    `export declare function save(requestId: string): void;`,
    `export function save(requestId: string): void; export function save(requestId: string) { return requestId.length; }`,
    { code: `export function save(traceId: string) { return db.save(traceId); }`, options: [{ names: ['requestId'] }] },
  ],
  invalid: [
    {
      code: `export async function getUser(requestId: string, id: string) {
  return db.query('select * from users where id = $1', [id], requestId);
}`,
      errors: [threaded('requestId', 1, 31)],
    },
    {
      code: `export const handler = (req: unknown, correlationId: string) => {
  validate(req, correlationId);
  return new Job({ correlationId, kind: 'sync' }).start(correlationId);
};`,
      errors: [threaded('correlationId', 1, 39)],
    },
    {
      // Destructured and defaulted parameters.
      code: `export function charge({ reqId, amount }: { reqId: string; amount: number }, request_id = 'none') {
  return payments.charge(amount, { reqId }, request_id);
}`,
      errors: [threaded('reqId', 1, 26), threaded('request_id', 1, 78)],
    },
    {
      code: `class Orders { place(order: object, requestId: string) { return this.repository.save(order, requestId); } }`,
      errors: [threaded('requestId', 1, 37)],
    },
    {
      code: `export function save(traceId) { return db.save(traceId); }`,
      filename: JS_FILE,
      options: [{ names: ['traceId'] }],
      errors: [threaded('traceId', 1, 22)],
    },
  ],
});

createCommonJsRuleTester().run('no-threaded-context (CommonJS)', rule, {
  valid: [],
  invalid: [
    {
      code: `module.exports = function load(id, requestId) { return repo.find(id, requestId); };`,
      filename: JS_FILE,
      errors: [threaded('requestId', 1, 36)],
    },
  ],
});
