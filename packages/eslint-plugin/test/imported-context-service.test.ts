// A service as services are written: the instance lives in src/context.ts and every other module
// imports it. Linted from disk through ESLint and the `strict` config, without settings or types, the
// mistakes planted in the importing modules must all be found.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ESLint, type Linter } from 'eslint';
import { afterAll, expect, it } from 'vitest';
import plugin from '../src/index.js';

const tsParser = (await import('@typescript-eslint/parser')).default;
const root = mkdtempSync(path.join(tmpdir(), 'unthread-service-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const files: Record<string, string> = {
  'src/context.ts': `import { AsyncLocalStorage } from 'node:async_hooks';
export interface Store { id: string; user?: string }
export const als = new AsyncLocalStorage<Store>();
`,
  'src/middleware.ts': `import { als } from './context.js';
export function middleware(req: { id: string }, res: unknown, next: () => void) {
  als.enterWith({ id: req.id });
  next();
}
`,
  'src/log.ts': `import { als } from './context.js';
export const requestId = () => als.getStore().id;
`,
  'src/auth.ts': `import { als } from './context.js';
export function login(user: string) {
  const store = als.getStore();
  if (store) store.user = user;
}
`,
  // The correct forms of the same three things: nothing to report.
  'src/correct.ts': `import { als } from './context.js';
export const middleware = (req: { id: string }, res: unknown, next: () => void) => als.run({ id: req.id }, next);
export const requestId = () => als.getStore()?.id;
`,
};
for (const [name, text] of Object.entries(files)) {
  const file = path.join(root, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

it('finds the planted mistakes in modules that import the instance', async () => {
  const config: Linter.Config[] = [
    { files: ['**/*.ts'], languageOptions: { parser: tsParser } },
    plugin.configs.strict as Linter.Config,
  ];
  const eslint = new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: config });
  const results = await eslint.lintFiles(['src/**/*.ts']);
  const found = results
    .flatMap((result) => result.messages.map((m) => `${path.relative(root, result.filePath)}:${m.line} ${m.ruleId ?? m.message}`))
    .sort();
  expect(found).toEqual([
    'src/auth.ts:4 unthread/no-store-mutation',
    'src/log.ts:2 unthread/require-store-guard',
    'src/middleware.ts:3 unthread/no-unsafe-enter-with',
  ]);
});
