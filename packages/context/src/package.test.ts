import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * What a user installs is `dist/` and package.json, not these sources: check that shape. The test
 * command builds with `tsc -b` before it runs the tests.
 */
const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const dist = join(packageRoot, 'dist');
interface Manifest {
  dependencies?: Record<string, string>;
  exports: Record<string, string | { types: string; default: string }>;
}
const manifest = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as Manifest;

function distFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? distFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

describe('the published package', () => {
  it('is built', () => {
    expect(existsSync(join(dist, 'index.js')), 'dist/ is missing: run `tsc -b` at the workspace root').toBe(true);
  });

  it('has no runtime dependencies, and its code imports only Node built-ins and its own files', () => {
    expect(manifest.dependencies).toBeUndefined();
    const imports = distFiles(dist)
      .filter((file) => file.endsWith('.js'))
      .flatMap((file) =>
        [...readFileSync(file, 'utf8').matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'/g)].map(
          (match) => match[1]!,
        ),
      );
    expect(imports.length).toBeGreaterThan(0);
    expect(imports.filter((specifier) => !specifier.startsWith('node:') && !specifier.startsWith('.'))).toEqual([]);
  });

  it('every subpath export points at a built file and its types', () => {
    for (const [subpath, target] of Object.entries(manifest.exports)) {
      const files = typeof target === 'string' ? [target] : [target.types, target.default];
      for (const file of files) expect(existsSync(join(packageRoot, file)), `${subpath} → ${file}`).toBe(true);
    }
  });

  it('loads from CommonJS with require() and from ESM with import, on this Node', () => {
    const script = `
      const { createContext } = require('@unthread/context');
      const { requestContext } = require('@unthread/context/express');
      const request = createContext({ name: 'request' });
      process.stdout.write(request.run({ requestId: 'cjs' }, () => request.get('requestId')) + ' ' + typeof requestContext);
    `;
    const run = (args: string[]) =>
      execFileSync(process.execPath, ['--no-warnings', ...args], { cwd: packageRoot, encoding: 'utf8' });
    expect(run(['--input-type=commonjs', '-e', script])).toBe('cjs function');
    const esm = `import { createContext } from '@unthread/context';
      const c = createContext({ name: 'c' }); process.stdout.write(c.run({ k: 'esm' }, () => c.get('k')));`;
    expect(run(['--input-type=module', '-e', esm])).toBe('esm');
  });
});
