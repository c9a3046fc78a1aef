// The recogniser tested through a probe rule that reports what it recognises, so each case states in
// its expected message exactly which call was seen as which kind of context method.
import { createRule } from './create-rule.js';
import { getAsyncContext } from './async-context.js';
import { createCommonJsRuleTester, createRuleTester, createTypedRuleTester, JS_FILE } from '../test/rule-tester.js';

const probe = createRule<[], 'call' | 'binding'>({
  name: 'probe',
  meta: {
    type: 'problem',
    docs: { description: 'Reports what the async-context recogniser sees' },
    schema: [],
    messages: { call: '{{ kind }}.{{ method }}', binding: 'binding {{ kind }}' },
  },
  defaultOptions: [],
  create(context) {
    const asyncContext = getAsyncContext(context);
    return {
      CallExpression(node) {
        const call = asyncContext.getContextCall(node);
        if (call) context.report({ node, messageId: 'call', data: { kind: call.kind, method: call.method } });
        const binding = asyncContext.getBindingKind(node);
        if (binding) context.report({ node, messageId: 'binding', data: { kind: binding } });
      },
    };
  },
});

const seen = (kind: string, method: string, line = 2) => ({ messageId: 'call' as const, data: { kind, method }, line });
const bound = (kind: string, line = 2) => ({ messageId: 'binding' as const, data: { kind }, line });

createRuleTester().run('async-context recogniser', probe, {
  valid: [
    // Same method names on things that are not instances.
    `const als = { run() {}, getStore() {} }; als.run(); als.getStore();`,
    `import { AsyncLocalStorage } from 'node:async_hooks';
     const als = new AsyncLocalStorage();
     function f(als) { als.run({}, () => {}); }`, // a parameter shadows the module instance
    `class AsyncLocalStorage { run() {} } new AsyncLocalStorage().run();`,
    `import { createContext } from 'some-other-lib'; const c = createContext(); c.run();`,
    `import { AsyncLocalStorage } from 'node:async_hooks';
     class A { als = new AsyncLocalStorage(); other() { return function () { this.als.run(); }; } }`,
    `import { AsyncLocalStorage } from 'node:async_hooks'; const key = 'run'; new AsyncLocalStorage()[key]();`,
  ],
  invalid: [
    {
      code: `import { AsyncLocalStorage } from 'node:async_hooks';
const als = new AsyncLocalStorage(); als.run({}, () => als.getStore()); als?.enterWith({});`,
      errors: [seen('storage', 'run'), seen('storage', 'getStore'), seen('storage', 'enterWith')],
    },
    {
      code: `import hooks from 'async_hooks';
let als; als = new hooks.AsyncLocalStorage(); als.exit(() => {});`,
      errors: [seen('storage', 'exit')],
    },
    {
      code: `import * as hooks from 'node:async_hooks';
const als = new hooks.AsyncLocalStorage() as hooks.AsyncLocalStorage<number>; als!.disable();`,
      errors: [seen('storage', 'disable')],
    },
    {
      code: `import { AsyncLocalStorage } from 'node:async_hooks';
class Manager {
  static als = new AsyncLocalStorage();
  #own = new AsyncLocalStorage();
  other: AsyncLocalStorage<string>;
  constructor(private readonly injected: AsyncLocalStorage<number>) { this.other = new AsyncLocalStorage(); }
  handle() { Manager.als.run({}, () => this.#own.getStore()); this.other['enterWith'](1); return () => this.injected.getStore(); }
}`,
      errors: [seen('storage', 'run', 7), seen('storage', 'getStore', 7), seen('storage', 'enterWith', 7), seen('storage', 'getStore', 7)],
    },
    {
      code: `import type { AsyncLocalStorage } from 'node:async_hooks';
export function read(als: AsyncLocalStorage<string>) { return als.getStore(); }`,
      errors: [seen('storage', 'getStore')],
    },
    {
      code: `import { createContext, bindCallback, bindEmitter, snapshot } from '@unthread/context';
const request = createContext({ name: 'request' }); request.run({}, () => request.get('id'));
bindCallback(() => {}); bindEmitter(emitter, request); snapshot(); request.bind(() => {});`,
      errors: [
        seen('context', 'run'),
        seen('context', 'get'),
        bound('bind-callback', 3),
        bound('bind-emitter', 3),
        bound('context-snapshot', 3),
        seen('context', 'bind', 3),
        bound('context-bind', 3),
      ],
    },
    {
      code: `import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
emitter.on('x', AsyncLocalStorage.bind(() => {})); const s = AsyncLocalStorage.snapshot(); AsyncResource.bind(() => {});`,
      errors: [bound('storage-bind'), bound('storage-snapshot'), bound('resource-bind')],
    },
    {
      // express-http-context's shape: an instance kept on a global key and read through an alias.
      code: `import { AsyncLocalStorage } from 'node:async_hooks';
const KEY = Symbol.for('ctx'); globalThis[KEY] = globalThis[KEY] ?? new AsyncLocalStorage();
const storage = globalThis[KEY]; const again = storage; storage.run(new Map(), next); again.getStore(); globalThis[KEY].exit(f);`,
      errors: [seen('storage', 'run', 3), seen('storage', 'getStore', 3), seen('storage', 'exit', 3)],
    },
    {
      // An alias of a field; a reassigned variable is not an alias.
      code: `import { AsyncLocalStorage } from 'node:async_hooks';
class S { als = new AsyncLocalStorage(); m() { const als = this.als; als.enterWith(1); let other = this.als; other = x; other.run(); } }`,
      errors: [seen('storage', 'enterWith')],
    },
    {
      // Names the user lists in settings: an instance imported from another module.
      code: `import { als, request } from './context.js';
als.run({}, () => {}); request.get('id'); this.storage.getStore(); other.run();`,
      settings: { unthread: { asyncContexts: ['als', 'this.storage', { name: 'request', kind: 'context' }] } },
      errors: [seen('storage', 'run'), seen('context', 'get'), seen('storage', 'getStore')],
    },
    {
      code: `import { AsyncLocalStorage } from 'node:async_hooks';
export const als = new AsyncLocalStorage(); als.run({}, () => {});`,
      filename: JS_FILE,
      errors: [seen('storage', 'run')],
    },
  ],
});

createCommonJsRuleTester().run('async-context recogniser (CommonJS)', probe, {
  valid: [`const { AsyncLocalStorage } = require('./not-node'); new AsyncLocalStorage().run();`],
  invalid: [
    {
      code: `const { AsyncLocalStorage: Storage } = require('node:async_hooks');
const als = new Storage(); als.run({}, () => {});`,
      errors: [seen('storage', 'run')],
    },
    {
      code: `const hooks = require('async_hooks');
const als = new hooks.AsyncLocalStorage(); als.enterWith({}); hooks.AsyncLocalStorage.bind(() => {});`,
      errors: [seen('storage', 'enterWith'), bound('storage-bind')],
    },
    {
      code: `const { createContext } = require('@unthread/context');
const job = createContext({ name: 'job' }); job.tryGet('id');`,
      errors: [seen('context', 'tryGet')],
    },
  ],
});

createTypedRuleTester().run('async-context recogniser (type information)', probe, {
  valid: [
    // A look-alike type without enterWith is not a storage.
    `declare const fake: { run(): void; getStore(): void }; fake.run();`,
  ],
  invalid: [
    {
      // Only the checker knows what `getStorage()` returns and what was imported from elsewhere.
      code: `import { AsyncLocalStorage } from 'node:async_hooks';
declare function getStorage(): AsyncLocalStorage<string>; getStorage().run('x', () => {});
import type { Context } from '@unthread/context';
declare const request: Context<{ id: string }>; request.tryGet('id');`,
      errors: [seen('storage', 'run'), seen('context', 'tryGet', 4)],
    },
  ],
});
