import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Linter } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';
import rule from './no-unsupported-storage-api.js';
import { createCommonJsRuleTester, createRuleTester, JS_FILE } from '../test/rule-tester.js';

const ruleTester = createRuleTester();

// Real projects on disk: the rule reads the nearest package.json that declares engines.node.
const projects = mkdtempSync(join(tmpdir(), 'unthread-engines-'));
afterAll(() => rmSync(projects, { recursive: true, force: true }));
function project(name: string, packageJson: object): string {
  const root = join(projects, name);
  mkdirSync(join(root, 'src', 'nested'), { recursive: true });
  writeFileSync(join(root, 'package.json'), JSON.stringify(packageJson));
  // A package.json without engines on the way up is skipped.
  writeFileSync(join(root, 'src', 'package.json'), JSON.stringify({ type: 'module' }));
  return join(root, 'src', 'nested', 'context.ts');
}
const oldEngines = project('old', { engines: { node: '>=20.19' } });
const newEngines = project('new', { engines: { node: '>=24.20' } });

const node20 = { unthread: { nodeVersion: '^20.19 || >=22.12' } };
const node24 = { unthread: { nodeVersion: '>=24.0.0' } };
const defaultValue = {
  option: 'defaultValue',
  since: '24.0',
  consequence: '`getStore()` stays undefined outside `run()`',
  source: 'settings.unthread.nodeVersion',
  range: '^20.19 || >=22.12',
  oldest: '20.19.0',
};

ruleTester.run('no-unsupported-storage-api', rule, {
  valid: [
    { code: `import { AsyncLocalStorage } from 'node:async_hooks'; new AsyncLocalStorage({ defaultValue: {} });`, settings: node24 },
    { code: `import { AsyncLocalStorage } from 'node:async_hooks'; new AsyncLocalStorage();`, settings: node20 },
    // withScope needs 24.20, which the range requires.
    {
      code: `import { AsyncLocalStorage } from 'node:async_hooks'; const als = new AsyncLocalStorage(); als.withScope({});`,
      settings: { unthread: { nodeVersion: '>=24.20' } },
    },
    { code: `import { AsyncLocalStorage } from 'node:async_hooks'; const als = new AsyncLocalStorage({ name: 'request' }); als.withScope({});`, filename: newEngines },
    // Not Node's AsyncLocalStorage.
    { code: `class AsyncLocalStorage { constructor(_: object) {} } new AsyncLocalStorage({ name: 'x' });`, settings: node20 },
    { code: `const scope = { withScope(_: object) {} }; scope.withScope({});`, settings: node20 },
  ],
  invalid: [
    {
      code: `import { AsyncLocalStorage } from 'node:async_hooks';
export const als = new AsyncLocalStorage({ defaultValue: { requestId: 'none' }, name: 'request' });`,
      settings: node20,
      errors: [
        { messageId: 'ignoredOption', data: defaultValue, line: 2, column: 44, endColumn: 79 },
        {
          messageId: 'ignoredOption',
          data: { ...defaultValue, option: 'name', consequence: '`name` is undefined' },
          line: 2,
          column: 81,
        },
      ],
    },
    {
      code: `import * as hooks from 'async_hooks';
const als = new hooks.AsyncLocalStorage<string>();
export function enter() { using _scope = als.withScope('a'); }`,
      settings: { unthread: { nodeVersion: '24' } },
      errors: [
        {
          messageId: 'missingMethod',
          data: { method: 'withScope', since: '24.20', source: 'settings.unthread.nodeVersion', range: '24', oldest: '24.0.0' },
          line: 3,
          column: 46,
          endColumn: 55,
        },
      ],
    },
    {
      // From the nearest package.json with engines.node.
      code: `import { AsyncLocalStorage } from 'node:async_hooks';
export const als = new AsyncLocalStorage({ 'name': 'request' });`,
      filename: oldEngines,
      errors: [
        {
          messageId: 'ignoredOption',
          line: 2,
          column: 44,
        },
      ],
    },
  ],
});

createCommonJsRuleTester().run('no-unsupported-storage-api (CommonJS)', rule, {
  valid: [],
  invalid: [
    {
      code: `const { AsyncLocalStorage } = require('node:async_hooks');
module.exports = new AsyncLocalStorage({ defaultValue: 0 });`,
      filename: JS_FILE,
      settings: node20,
      errors: [{ messageId: 'ignoredOption', data: { ...defaultValue }, line: 2, column: 42 }],
    },
  ],
});

describe('no-unsupported-storage-api message', () => {
  it('names the package.json whose engines.node allows the old version', () => {
    const linter = new Linter({ configType: 'flat', cwd: projects });
    const messages = linter.verify(
      `import { AsyncLocalStorage } from 'node:async_hooks';\nnew AsyncLocalStorage({ name: 'request' });`,
      {
        plugins: { unthread: { rules: { 'no-unsupported-storage-api': rule } } },
        rules: { 'unthread/no-unsupported-storage-api': 'error' },
      } as unknown as Linter.Config,
      oldEngines.replace(/\.ts$/u, '.js'),
    );
    expect(messages.map((message) => message.message)).toEqual([
      expect.stringMatching(/^The `name` option needs Node >= 24\.0; .* engines\.node in old\/package\.json `>=20\.19` allows Node 20\.19\.0\.$/u),
    ]);
  });
});
