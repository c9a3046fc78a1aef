/**
 * Typed mode with a program that lacks Node's types: the checker sees `any` for AsyncLocalStorage, so
 * the plugin says so once per run instead of quietly finding nothing; with the types, it says nothing.
 */
import { fileURLToPath } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import { afterEach, describe, expect, it, vi } from 'vitest';

const tsParser = (await import('@typescript-eslint/parser')).default;

async function warningsWhileLinting(folder: string, file: string): Promise<string[]> {
  // A fresh module graph per case: the warning is once per process, as a lint run is.
  vi.resetModules();
  const plugin = (await import('../src/index.js')).default;
  const warnings: string[] = [];
  const spy = vi.spyOn(process, 'emitWarning').mockImplementation((warning: string | Error) => {
    warnings.push(String(warning));
  });
  const config: Linter.Config[] = [
    { files: ['**/*.ts'], languageOptions: { parser: tsParser, parserOptions: { project: './tsconfig.json', tsconfigRootDir: folder } } },
    plugin.configs['recommended-type-checked'] as Linter.Config,
  ];
  const eslint = new ESLint({ overrideConfigFile: true, overrideConfig: config, cwd: folder });
  await eslint.lintFiles([file, file]);
  spy.mockRestore();
  return warnings;
}

afterEach(() => vi.restoreAllMocks());

describe('typed mode without Node types', () => {
  it('warns once that the program lacks Node types', async () => {
    const folder = fileURLToPath(new URL('fixture-no-node-types', import.meta.url));
    const warnings = await warningsWhileLinting(folder, `${folder}/service.ts`);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('has no Node.js types');
    expect(warnings[0]).toContain('compilerOptions.types');
  });

  it('says nothing when the program has them', async () => {
    const folder = fileURLToPath(new URL('fixture', import.meta.url));
    expect(await warningsWhileLinting(folder, `${folder}/typed-middleware.ts`)).toEqual([]);
  });
});
