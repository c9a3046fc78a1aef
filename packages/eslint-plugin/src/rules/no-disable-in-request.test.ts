import rule from './no-disable-in-request.js';
import { createCommonJsRuleTester, createRuleTester, JS_FILE } from '../test/rule-tester.js';

const ruleTester = createRuleTester();
const imported = `import { AsyncLocalStorage } from 'node:async_hooks';
const als = new AsyncLocalStorage();
`;

ruleTester.run('no-disable-in-request', rule, {
  valid: [
    `${imported}export async function shutdown() { als.disable(); }`,
    `${imported}export class Tracing { onModuleDestroy() { als.disable(); } [Symbol.dispose]() { als.disable(); } }`,
    `${imported}export const tearDown = () => als.disable();`,
    `${imported}process.on('SIGTERM', () => { als.disable(); process.exit(0); });`,
    `${imported}server.close(() => als.disable());`,
    `${imported}export const manager = { disable() { als.disable(); } };`,
    `${imported}afterEach(() => als.disable());`,
    `${imported}describe('tracing', () => { it.each([1])('runs %s', () => { als.disable(); }); });`,
    // A test file.
    { code: `${imported}export function reset() { als.disable(); } als.disable();`, filename: 'src/tracing.test.ts' },
    { code: `${imported}als.disable();`, filename: 'test/helpers/context.ts' },
    { code: `${imported}als.disable();`, filename: 'test/app.e2e-spec.ts' },
    { code: `${imported}als.disable();`, filename: 'src/setupTests.ts' },
    // A name the user marks as shutdown code.
    { code: `${imported}export function bye() { als.disable(); }`, options: [{ shutdownFunctions: ['bye'] }] },
    // Not an AsyncLocalStorage.
    `export function handle(feature: { disable(): void }) { feature.disable(); }`,
  ],
  invalid: [
    {
      code: `${imported}export function handle(req: unknown, res: { end(): void }) {
  res.end();
  als.disable();
}`,
      errors: [{ messageId: 'disableInRequest', line: 5, column: 3, endColumn: 16 }],
    },
    {
      code: `import * as hooks from 'async_hooks';
const als = new hooks.AsyncLocalStorage();
app.use((req, res, next) => { res.on('finish', () => als.disable()); next(); });`,
      filename: JS_FILE,
      errors: [{ messageId: 'disableInRequest', line: 3, column: 54 }],
    },
    {
      // Only the file name itself decides, not a folder above the working directory.
      code: `${imported}als.disable();`,
      filename: 'src/app.ts',
      options: [{ testFilePatterns: [String.raw`\.e2e\.ts$`] }],
      errors: [{ messageId: 'disableInRequest', line: 3, column: 1 }],
    },
    {
      code: `import { AsyncLocalStorage } from 'node:async_hooks';
class Tracer { private readonly storage = new AsyncLocalStorage(); end() { this.storage.disable(); } }`,
      errors: [{ messageId: 'disableInRequest', line: 2, column: 76 }],
    },
  ],
});

createCommonJsRuleTester().run('no-disable-in-request (CommonJS)', rule, {
  valid: [
    {
      code: `const { AsyncLocalStorage } = require('async_hooks');
const als = new AsyncLocalStorage();
module.exports.close = function () { als.disable(); };`,
      filename: JS_FILE,
    },
  ],
  invalid: [
    {
      code: `const { AsyncLocalStorage } = require('node:async_hooks');
const als = new AsyncLocalStorage();
module.exports.middleware = function (req, res, next) { als.disable(); next(); };`,
      filename: JS_FILE,
      errors: [{ messageId: 'disableInRequest', line: 3, column: 57 }],
    },
  ],
});
