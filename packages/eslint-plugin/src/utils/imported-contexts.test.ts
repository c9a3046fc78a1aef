// Instances imported from the project's own modules, on real files on disk: a small service layout is
// written to a temporary folder and each case is linted as a file next to it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRule } from './create-rule.js';
import { getAsyncContext } from './async-context.js';
import { getImportedContexts, resolveRelativeModule } from './imported-contexts.js';
import { createCommonJsRuleTester, createRuleTester } from '../test/rule-tester.js';
import noUnsafeEnterWith from '../rules/no-unsafe-enter-with.js';
import requireStoreGuard from '../rules/require-store-guard.js';

const root = mkdtempSync(path.join(tmpdir(), 'unthread-imported-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const files: Record<string, string> = {
  'src/context.ts': `import { AsyncLocalStorage } from 'node:async_hooks';
export const als: AsyncLocalStorage<{ id: string }> = new AsyncLocalStorage();
export const settings = { run() {}, getStore() { return {}; } };
`,
  'src/request.ts': `import { createContext } from '@unthread/context';
export const request = createContext<{ id: string }>({ name: 'request' });
`,
  // A barrel re-exporting a module that exports its instance under another name.
  'src/store/index.ts': `export * from './storage.js';
export { helper } from './helper.js';
`,
  'src/store/storage.ts': `import * as hooks from 'async_hooks';
const storage = new hooks.AsyncLocalStorage<{ id: string }>();
export { storage as requestStorage };
`,
  'src/store/helper.ts': `export const helper = { run(_store: unknown, fn: () => void) { fn(); } };
`,
  'src/default-storage.mts': `import { AsyncLocalStorage } from 'node:async_hooks';
export default new AsyncLocalStorage();
`,
  // Same text, but AsyncLocalStorage is a local class: not Node's.
  'src/fake.ts': `class AsyncLocalStorage { run() {} getStore() { return {}; } }
export const als = new AsyncLocalStorage();
`,
  'lib/legacy.js': `const { AsyncLocalStorage } = require('async_hooks');
exports.als = new AsyncLocalStorage();
const context = new AsyncLocalStorage();
module.exports = { ...module.exports, context };
`,
};
for (const [name, text] of Object.entries(files)) {
  const file = path.join(root, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}
/** The linted file: it need not exist, only its folder. */
const service = path.join(root, 'src', 'service.ts');
const legacyService = path.join(root, 'lib', 'service.js');

const probe = createRule<[], 'call'>({
  name: 'probe',
  meta: {
    type: 'problem',
    docs: { description: 'Reports the context calls the recogniser sees' },
    schema: [],
    messages: { call: '{{ kind }}.{{ method }}' },
  },
  defaultOptions: [],
  create(context) {
    const asyncContext = getAsyncContext(context);
    return {
      CallExpression(node) {
        const call = asyncContext.getContextCall(node);
        if (call) context.report({ node, messageId: 'call', data: { kind: call.kind, method: call.method } });
      },
    };
  },
});

const seen = (kind: string, method: string, line = 2) => ({ messageId: 'call' as const, data: { kind, method }, line });

createRuleTester().run('recogniser: instances imported from relative modules', probe, {
  valid: [
    // An unrelated object with the same method names.
    { filename: service, code: `import { settings } from './context.js';\nsettings.run(); settings.getStore();` },
    { filename: service, code: `import { helper } from './store';\nhelper.run({}, () => {});` },
    // A missing module: not recognised, no crash.
    { filename: service, code: `import { als } from './missing.js';\nals.run({}, () => {}); als.enterWith({});` },
    { filename: service, code: `import { als } from '../../../../nowhere/context';\nals.getStore();` },
    // A class that only shares the name.
    { filename: service, code: `import { als } from './fake';\nals.run(); als.getStore();` },
    // Type-only imports hold no value.
    { filename: service, code: `import type { als } from './context.js';\ndeclare const x: typeof als; x.run();` },
    // A package specifier is never read from disk.
    { filename: service, code: `import { als } from 'context';\nals.run({}, () => {});` },
    // A local shadows the import.
    { filename: service, code: `import { als } from './context.js';\nfunction f(als) { als.run({}, () => {}); }` },
  ],
  invalid: [
    {
      // NodeNext: the `.js` specifier names `context.ts` on disk.
      filename: service,
      code: `import { als } from './context.js';\nals.run({ id: 'a' }, () => als.getStore()); als.enterWith({ id: 'b' });`,
      errors: [seen('storage', 'run'), seen('storage', 'getStore'), seen('storage', 'enterWith')],
    },
    {
      filename: service,
      code: `import { als as storage } from './context';\nstorage.exit(() => {});`,
      errors: [seen('storage', 'exit')],
    },
    {
      filename: service,
      code: `import { request } from './request.js';\nrequest.get('id'); request.run({ id: 'a' }, () => {});`,
      errors: [seen('context', 'get'), seen('context', 'run')],
    },
    {
      // `./store` is `store/index.ts`, which re-exports `storage.ts`'s instance under a new name.
      filename: service,
      code: `import { requestStorage } from './store';\nrequestStorage.getStore();`,
      errors: [seen('storage', 'getStore')],
    },
    {
      filename: service,
      code: `import * as context from './context.js';\ncontext.als.getStore(); context.settings.getStore();`,
      errors: [seen('storage', 'getStore')],
    },
    {
      filename: service,
      code: `import storage from './default-storage.mjs';\nstorage.disable();`,
      errors: [seen('storage', 'disable')],
    },
  ],
});

createCommonJsRuleTester().run('recogniser: instances required from relative modules', probe, {
  valid: [{ filename: legacyService, code: `const { other } = require('./legacy');\nother.run();` }],
  invalid: [
    {
      filename: legacyService,
      code: `const { als, context: ctx } = require('./legacy');\nals.getStore(); ctx.run({}, () => {});`,
      errors: [seen('storage', 'getStore'), seen('storage', 'run')],
    },
    {
      filename: legacyService,
      code: `const legacy = require('./legacy.js');\nlegacy.als.enterWith({});`,
      errors: [seen('storage', 'enterWith')],
    },
  ],
});

// The rules see imported instances as they see local ones: the mistakes a service makes most.
createRuleTester().run('no-unsafe-enter-with on an imported instance', noUnsafeEnterWith, {
  valid: [{ filename: service, code: `import { als } from './context.js';\napp.use((req, res, next) => als.run({ id: req.id }, next));` }],
  invalid: [
    {
      filename: service,
      code: `import { als } from './context.js';\napp.use((req, res, next) => { als.enterWith({ id: req.id }); next(); });`,
      errors: [
        {
          messageId: 'handler',
          line: 2,
          suggestions: [
            {
              messageId: 'useRun',
              data: { instance: 'als' },
              output: `import { als } from './context.js';\napp.use((req, res, next) => { als.run({ id: req.id }, () => next()); });`,
            },
          ],
        },
      ],
    },
  ],
});

createRuleTester().run('require-store-guard on an imported instance', requireStoreGuard, {
  valid: [{ filename: service, code: `import { als } from './context.js';\nexport const id = () => als.getStore()?.id;` }],
  invalid: [
    {
      filename: service,
      code: `import { als } from './context.js';\nexport const id = () => als.getStore().id;`,
      errors: [
        {
          messageId: 'unguardedAccess',
          line: 2,
          suggestions: [{ messageId: 'useOptionalChain', output: `import { als } from './context.js';\nexport const id = () => als.getStore()?.id;` }],
        },
      ],
    },
  ],
});

describe('getImportedContexts', () => {
  it('resolves specifiers the way NodeNext and bundlers do', () => {
    expect(resolveRelativeModule(service, './context.js')).toBe(path.join(root, 'src/context.ts'));
    expect(resolveRelativeModule(service, './store')).toBe(path.join(root, 'src/store/index.ts'));
    expect(resolveRelativeModule(service, './default-storage.mjs')).toBe(path.join(root, 'src/default-storage.mts'));
    expect(resolveRelativeModule(service, './missing')).toBeUndefined();
    expect(resolveRelativeModule('<input>', './context')).toBeUndefined();
  });

  it('reads a changed module again', () => {
    const file = path.join(root, 'src', 'changing.ts');
    writeFileSync(file, `export const later = 1;\n`);
    expect([...getImportedContexts(service, './changing.js').keys()]).toEqual([]);
    writeFileSync(file, `import { AsyncLocalStorage } from 'node:async_hooks';\nexport const later = new AsyncLocalStorage();\n`);
    expect([...getImportedContexts(service, './changing.js')]).toEqual([['later', 'storage']]);
  });

  it('stops at a cycle of re-exports', () => {
    writeFileSync(path.join(root, 'src', 'cycle-a.ts'), `export * from './cycle-b.js';\n`);
    writeFileSync(path.join(root, 'src', 'cycle-b.ts'), `export * from './cycle-a.js';\nexport * from './context.js';\n`);
    expect([...getImportedContexts(service, './cycle-a.js')]).toEqual([['als', 'storage']]);
  });
});
