/**
 * What loading the plugin costs a lint run before any rule runs: it must not load the scope manager
 * (about 0.2 s, from the package entry of @typescript-eslint/utils) nor TypeScript (over a second, from
 * the TypeScript parser, which the configs load only for a TypeScript file). Asked of a fresh process,
 * from the built package as ESLint loads it.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const entry = fileURLToPath(new URL('../dist/index.mjs', import.meta.url));

const PROBE = `
const { createRequire } = await import('node:module');
const plugin = (await import(process.argv[1])).default;
const loaded = Object.keys(createRequire(import.meta.url).cache);
console.log(JSON.stringify({
  rules: Object.keys(plugin.rules).length,
  scopeManager: loaded.some((file) => file.includes('@typescript-eslint/scope-manager')),
  typescript: loaded.some((file) => /[\\\\/]node_modules[\\\\/]typescript[\\\\/]/.test(file)),
  typescriptEstree: loaded.some((file) => file.includes('@typescript-eslint/typescript-estree')),
}));
`;

describe('loading the plugin', () => {
  it('loads neither the scope manager nor TypeScript', async () => {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', PROBE, entry], {
      cwd: fileURLToPath(new URL('../../../', import.meta.url)),
    });
    const report = JSON.parse(stdout) as Record<string, unknown>;
    expect(report['rules']).toBeGreaterThan(10);
    expect(report).toMatchObject({ scopeManager: false, typescript: false, typescriptEstree: false });
  });
});
