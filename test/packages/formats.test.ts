// Every published package ships one CommonJS build and, for each public entry, an ESM file that
// re-exports it. These tests read each package.json as Node and TypeScript do, check that every
// entry has both formats and their own types, and load each entry both ways in one Node process to
// see that both give the very same objects (one copy of the package, whatever mix of import and
// require an application and its dependencies use).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

interface Target {
  types: string;
  default: string;
}
interface Manifest {
  name: string;
  main: string;
  types: string;
  exports: Record<string, string | { import: Target; require: Target }>;
  typesVersions?: Record<string, Record<string, string[]>>;
}

const packages = ['packages/context', 'packages/eslint-plugin', 'packages/codemod'].map((dir) => {
  const manifest = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as Manifest;
  const entries = Object.entries(manifest.exports).flatMap(([subpath, target]) =>
    typeof target === 'string' ? [] : [{ subpath, specifier: manifest.name + subpath.slice(1), ...target }],
  );
  return { dir: join(root, dir), name: manifest.name, manifest, entries };
});

describe.each(packages)('$name', ({ dir, manifest, entries }) => {
  it('builds its CommonJS output as CommonJS', () => {
    expect(JSON.parse(readFileSync(join(dir, 'dist/package.json'), 'utf8'))).toEqual({ type: 'commonjs' });
  });

  it('gives every entry an import and a require target, each with its own existing types', () => {
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) {
      expect(entry.import.default, entry.subpath).toMatch(/\.mjs$/);
      expect(entry.import.types, entry.subpath).toMatch(/\.d\.mts$/);
      expect(entry.require.default, entry.subpath).toMatch(/\.c?js$/);
      expect(entry.require.types, entry.subpath).toMatch(/\.d\.c?ts$/);
      for (const file of [entry.import.default, entry.import.types, entry.require.default, entry.require.types]) {
        expect(existsSync(join(dir, file)), `${entry.subpath} → ${file}`).toBe(true);
      }
    }
  });

  it('points main, types and typesVersions at the require targets, for resolvers that ignore exports', () => {
    const [main, ...subpaths] = entries;
    expect(main?.subpath).toBe('.');
    expect(manifest.main).toBe(main?.require.default);
    expect(manifest.types).toBe(main?.require.types);
    const mapped = manifest.typesVersions?.['*'] ?? {};
    expect(mapped).toEqual(Object.fromEntries(subpaths.map((entry) => [entry.subpath.slice(2), [entry.require.types]])));
  });

  it('gives import and require the same objects in one process', () => {
    // Run from the package folder, where Node resolves the package's own name through its exports.
    const script = `
      import { createRequire } from 'node:module';
      const require = createRequire(process.cwd() + '/');
      const report = {};
      for (const specifier of ${JSON.stringify(entries.map((entry) => entry.specifier))}) {
        const imported = await import(specifier);
        const required = require(specifier);
        // A CommonJS module.exports that is a single object (the ESLint plugin) is the ESM default.
        const names = Object.keys(required).filter((name) => name !== '__esModule');
        const plain = !('__esModule' in required);
        report[specifier] = plain
          ? { names: ['default'], different: imported.default === required ? [] : ['default'] }
          : { names, different: names.filter((name) => imported[name] !== required[name]) };
      }
      process.stdout.write(JSON.stringify(report));
    `;
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8' });
    const report = JSON.parse(output) as Record<string, { names: string[]; different: string[] }>;
    expect(Object.keys(report)).toEqual(entries.map((entry) => entry.specifier));
    for (const [specifier, { names, different }] of Object.entries(report)) {
      expect(names.length, `${specifier} exports nothing`).toBeGreaterThan(0);
      expect(different, `${specifier}: import and require give different objects`).toEqual([]);
    }
  });
});

describe('@unthread/eslint-plugin from CommonJS', () => {
  it('is the plugin itself, not a { default } wrapper', () => {
    const script = `const plugin = require('@unthread/eslint-plugin');
      process.stdout.write(JSON.stringify({ configs: Object.keys(plugin.configs), namespace: plugin.meta.namespace, rules: Object.keys(plugin.rules).length }));`;
    const output = execFileSync(process.execPath, ['-e', script], { cwd: join(root, 'packages/eslint-plugin'), encoding: 'utf8' });
    const plugin = JSON.parse(output) as { configs: string[]; namespace: string; rules: number };
    expect(plugin.configs).toEqual(expect.arrayContaining(['recommended', 'strict']));
    expect(plugin.namespace).toBe('unthread');
    expect(plugin.rules).toBeGreaterThan(0);
  });
});
