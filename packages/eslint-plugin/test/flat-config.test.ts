// The plugin as users load it: through ESLint itself, from a flat config, on syntax of every kind.
import { fileURLToPath } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import plugin from '../src/index.js';

const fixtureDir = fileURLToPath(new URL('fixture', import.meta.url));

async function lint(code: string, config: Linter.Config[], filePath = 'src/app.ts'): Promise<ESLint.LintResult> {
  const eslint = new ESLint({ overrideConfigFile: true, overrideConfig: config, cwd: process.cwd() });
  const [result] = await eslint.lintText(code, { filePath });
  return result!;
}

const tsParser = (await import('@typescript-eslint/parser')).default;
const withTs = (config: Linter.Config): Linter.Config[] => [
  { files: ['**/*.ts', '**/*.tsx'], languageOptions: { parser: tsParser } },
  config,
];

describe('flat config', () => {
  it('reports through `recommended` with the namespaced rule id', async () => {
    const result = await lint(
      `import { AsyncLocalStorage } from 'node:async_hooks';
const als = new AsyncLocalStorage<{ id: string }>();
export const middleware = (req: { id: string }, res: unknown, next: () => void) => {
  als.enterWith({ id: req.id });
  next();
};`,
      withTs(plugin.configs.recommended as Linter.Config),
    );
    expect(result.messages.map((m) => [m.ruleId, m.line])).toEqual([['unthread/no-unsafe-enter-with', 4]]);
  });

  it('reports strict-only rules only through `strict`', async () => {
    const code = `import { AsyncLocalStorage } from 'node:async_hooks';
const als = new AsyncLocalStorage();
export const middleware = (req, res, next) => als.run({ req }, next);`;
    const recommended = await lint(code, [plugin.configs.recommended as Linter.Config], 'src/app.js');
    const strict = await lint(code, [plugin.configs.strict as Linter.Config], 'src/app.js');
    expect(recommended.messages).toEqual([]);
    expect(strict.messages.map((m) => m.ruleId)).toEqual(['unthread/no-large-store']);
  });
});

describe('recommended-type-checked', () => {
  const typed: Linter.Config = {
    files: ['**/*.ts'],
    languageOptions: {
      parser: tsParser,
      parserOptions: { project: './tsconfig.json', tsconfigRootDir: fixtureDir },
    },
  };

  it('falls back to syntax where the parser has no program', async () => {
    const result = await lint(
      `import { AsyncLocalStorage } from 'node:async_hooks';
const als = new AsyncLocalStorage();
export const middleware = (req, res, next) => { als.enterWith({}); next(); };`,
      [plugin.configs['recommended-type-checked'] as Linter.Config],
      'src/app.js',
    );
    expect(result.messages.map((m) => [m.ruleId, m.line])).toEqual([['unthread/no-unsafe-enter-with', 3]]);
  });

  it('finds through the checker what the syntactic config cannot see', async () => {
    // Linted from disk: the instance is visible only through a type alias, which the syntactic
    // config cannot see and the type-checked one asks the checker about because its settings say so.
    const filePath = `${fixtureDir}/typed-middleware.ts`;
    const eslint = (config: Linter.Config) =>
      new ESLint({ overrideConfigFile: true, overrideConfig: [typed, config], cwd: fixtureDir }).lintFiles([filePath]);
    const [withTypes] = await eslint(plugin.configs['recommended-type-checked'] as Linter.Config);
    const [withoutTypes] = await eslint(plugin.configs.recommended as Linter.Config);
    expect(withTypes!.messages.map((m) => [m.ruleId, m.line])).toEqual([['unthread/no-unsafe-enter-with', 7]]);
    expect(withoutTypes!.messages).toEqual([]);
  });
});

/** Syntax a rule might not expect: none may crash any rule. */
const EXOTIC = [
  `import { AsyncLocalStorage as A } from 'node:async_hooks';
   const a = new A();
   export default class extends Base { static #s = new A(); #p = 1; static { a.run({}, () => {}); }
     @decorator method(@inject() x: unknown) { return this.#p; } accessor field = a; }`,
  `import * as h from 'async_hooks'; const s = new h.AsyncLocalStorage();
   label: for (const x of xs) { if (x) continue label; else break label; }
   s[Symbol.iterator]?.(); s?.['run']?.({}, () => {}); (s.run)({}, async function* () { yield* other(); });`,
  `const { AsyncLocalStorage } = require('async_hooks');
   module.exports = async () => { using r = getResource(); await using q = other(); new AsyncLocalStorage().enterWith(); };`,
  `import { createContext } from '@unthread/context';
   const c = createContext<{ a: string }>({ name: 'c' });
   type T = typeof c; enum E { A = 1 } namespace N { export const x = 1; }
   export = c; c.run({ ...spread }, ...args); c.run(); c.get(\`\${1}\`);`,
  `x = y => ({ ...y }); [a, b] = [b, a]; ({ a = 1, ...rest } = obj); tag\`t\${1}\`; new.target; import.meta.url;
   pool.getConnection(); pool.getConnection(...cbs); queue.push(); emitter.on(); emitter.on('x');
   class C { constructor(private readonly als: AsyncLocalStorage<string>) {} m() { this.als.enterWith('x'); } }`,
];

const JSX = `import { AsyncLocalStorage } from 'node:async_hooks';
const als = new AsyncLocalStorage();
export const App = (props: { req: unknown }) => als.run({ req: props.req }, () => <div onClick={() => als.enterWith({})}>{als.getStore()}</div>);`;

describe('robustness', () => {
  it('no rule crashes on JSX', async () => {
    const everyRule = Object.fromEntries(Object.keys(plugin.rules).map((id) => [`unthread/${id}`, 'error' as const]));
    const result = await lint(JSX, withTs({ plugins: { unthread: plugin as unknown as ESLint.Plugin }, rules: everyRule }), 'src/app.tsx');
    expect(result.messages.filter((message) => message.fatal === true)).toEqual([]);
    expect(result.messages.map((message) => message.ruleId)).toContain('unthread/no-large-store');
  });

  const everyRule = Object.fromEntries(Object.keys(plugin.rules).map((id) => [`unthread/${id}`, 'error' as const]));
  it.each(EXOTIC.map((code, index) => [index, code] as const))('no rule crashes on exotic syntax #%i', async (_index, code) => {
    const result = await lint(
      code,
      withTs({ plugins: { unthread: plugin as unknown as ESLint.Plugin }, rules: everyRule, settings: { unthread: { asyncContexts: ['this.als', 's', { name: 'c', kind: 'context' }] } } }),
    );
    const fatal = result.messages.filter((message) => message.fatal === true || message.ruleId === null);
    expect(fatal.map((message) => message.message)).toEqual([]);
  });
});
