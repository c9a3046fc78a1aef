import rule from './no-storage-per-call.js';
import { createCommonJsRuleTester, createRuleTester, JS_FILE } from '../test/rule-tester.js';

const ruleTester = createRuleTester();
const storageWhat = { what: '`new AsyncLocalStorage()`' };
const contextWhat = { what: '`createContext()`' };

ruleTester.run('no-storage-per-call', rule, {
  valid: [
    // Module scope, in every import form.
    `import { AsyncLocalStorage } from 'node:async_hooks';
     export const als = new AsyncLocalStorage<{ id: string }>();`,
    `import * as hooks from 'async_hooks';
     const als = new hooks.AsyncLocalStorage();`,
    `import { createContext } from '@unthread/context';
     export const request = createContext<{ requestId: string }>({ name: 'request' });`,
    // A static field and a static block run once, with the class.
    `import { AsyncLocalStorage } from 'node:async_hooks';
     class Manager { static als = new AsyncLocalStorage(); static { Manager.other = new AsyncLocalStorage(); } static other: unknown; }`,
    // A module-level IIFE runs once.
    `import { AsyncLocalStorage } from 'node:async_hooks';
     export const als = (() => { const instance = new AsyncLocalStorage(); return instance; })();`,
    // A class of the same name that is not Node's.
    `class AsyncLocalStorage {}
     function make() { return new AsyncLocalStorage(); }`,
    // A createContext that is not @unthread/context's.
    `import { createContext } from 'react';
     function Provider() { const Ctx = createContext(null); return Ctx; }`,
    // Only the type is used inside the function.
    `import { AsyncLocalStorage } from 'node:async_hooks';
     function use(als: AsyncLocalStorage<string>) { return als.getStore(); }`,
    {
      code: `import { AsyncLocalStorage } from 'node:async_hooks';
             class Service { private readonly als = new AsyncLocalStorage(); }`,
      options: [{ allowInstanceFields: true }],
    },
    {
      code: `const { AsyncLocalStorage } = require('node:async_hooks');
             module.exports.als = new AsyncLocalStorage();`,
      filename: JS_FILE,
    },
  ],
  invalid: [
    {
      code: `import { AsyncLocalStorage } from 'node:async_hooks';
function handle() {
  const als = new AsyncLocalStorage();
  return als;
}`,
      errors: [{ messageId: 'perCall', data: storageWhat, line: 3, column: 15, endLine: 3, endColumn: 38 }],
    },
    {
      code: `import { AsyncLocalStorage as Storage } from 'async_hooks';
export const middleware = (req, res, next) => new Storage().run({}, next);`,
      filename: JS_FILE,
      errors: [{ messageId: 'perCall', data: storageWhat, line: 2, column: 47 }],
    },
    {
      code: `import hooks from 'node:async_hooks';
app.use(function (req, res, next) { const s = new hooks.AsyncLocalStorage(); s.run({}, next); });`,
      errors: [{ messageId: 'perCall', data: storageWhat, line: 2, column: 47 }],
    },
    {
      code: `import * as hooks from 'node:async_hooks';
const make = () => new hooks.AsyncLocalStorage();`,
      errors: [{ messageId: 'perCall', data: storageWhat, line: 2, column: 20 }],
    },
    {
      code: `import { createContext } from '@unthread/context';
export function forRequest(requestId: string) {
  const request = createContext<{ requestId: string }>({ name: 'request' });
  return request.run({ requestId }, () => request.get('requestId'));
}`,
      errors: [{ messageId: 'perCall', data: contextWhat, line: 3, column: 19 }],
    },
    {
      code: `import { AsyncLocalStorage } from 'node:async_hooks';
class Service {
  private readonly als = new AsyncLocalStorage<string>();
  private other: AsyncLocalStorage<string>;
  constructor() { this.other = new AsyncLocalStorage(); }
}`,
      errors: [
        { messageId: 'perInstance', data: storageWhat, line: 3, column: 26 },
        { messageId: 'perInstance', data: storageWhat, line: 5, column: 32 },
      ],
    },
    {
      // A method of a class runs per call even with allowInstanceFields.
      code: `import { AsyncLocalStorage } from 'node:async_hooks';
class Service { handle() { return new AsyncLocalStorage(); } }`,
      options: [{ allowInstanceFields: true }],
      errors: [{ messageId: 'perCall', data: storageWhat, line: 2, column: 35 }],
    },
  ],
});

createCommonJsRuleTester().run('no-storage-per-call (CommonJS)', rule, {
  valid: [
    `const hooks = require('async_hooks'); const als = new hooks.AsyncLocalStorage();`,
    // False reports seen on real code: made once per process, though inside a function.
    // A bundler's module factory (webpack, named and minified; esbuild's path-keyed wrappers).
    `var __webpack_modules__ = { "./src/context.js": (module, exports, __webpack_require__) => {
  const { AsyncLocalStorage } = require('async_hooks'); exports.als = new AsyncLocalStorage(); } };`,
    `(self.webpackChunk = self.webpackChunk || []).push([[1], { 4821: (e, t, r) => {
  const { AsyncLocalStorage } = require('node:async_hooks'); t.storage = new AsyncLocalStorage(); } }]);`,
    `var require_context = __commonJS({ "src/context.ts"(exports) {
  const { AsyncLocalStorage } = require('async_hooks'); exports.als = new AsyncLocalStorage(); } });`,
    // A lazily made singleton behind a once-assignment, with or without an immediately invoked wrapper.
    `const { AsyncLocalStorage } = require('async_hooks');
function storage() { return globalThis.__requestStorage ??= (() => new AsyncLocalStorage())(); }`,
    `const { AsyncLocalStorage } = require('async_hooks');
let als; exports.get = () => als || (als = new AsyncLocalStorage());`,
    `const { AsyncLocalStorage } = require('async_hooks');
const KEY = Symbol.for('ctx'); exports.get = () => globalThis[KEY] ||= new AsyncLocalStorage();`,
  ],
  invalid: [
    {
      code: `const { AsyncLocalStorage } = require('node:async_hooks');
module.exports = function handler() { return new AsyncLocalStorage(); };`,
      errors: [{ messageId: 'perCall', data: storageWhat, line: 2, column: 46 }],
    },
    {
      // A once-assignment to a different holder than the one tested is no guard.
      code: `const { AsyncLocalStorage } = require('async_hooks');
let a; exports.get = () => a || (b = new AsyncLocalStorage());`,
      errors: [{ messageId: 'perCall', data: storageWhat, line: 2, column: 38 }],
    },
    {
      // One parameter named like a bundler's is not a module factory.
      code: `const { AsyncLocalStorage } = require('async_hooks');
exports.wrap = (module) => new AsyncLocalStorage();`,
      errors: [{ messageId: 'perCall', data: storageWhat, line: 2, column: 28 }],
    },
    {
      code: `function make() { return new (require('async_hooks').AsyncLocalStorage)(); }`,
      errors: [{ messageId: 'perCall', data: storageWhat, line: 1, column: 26 }],
    },
    {
      code: `const { createContext } = require('@unthread/context');
exports.make = () => createContext({ name: 'job' });`,
      errors: [{ messageId: 'perCall', data: contextWhat, line: 2, column: 22 }],
    },
  ],
});
