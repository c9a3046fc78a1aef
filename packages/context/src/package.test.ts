import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * What a user installs is `dist/` and package.json, not these sources: check that shape. The test
 * command builds (`npm run build`) before it runs the tests. test/packages/ checks the import and
 * require targets of every package.
 */
const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const dist = join(packageRoot, 'dist');
interface Manifest {
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}
const manifest = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as Manifest;

function distFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? distFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/** What each built file loads: require('...') in the CommonJS build, `from '...'` in the ESM entries. */
function specifiersIn(file: string): string[] {
  const code = readFileSync(file, 'utf8');
  const pattern = file.endsWith('.mjs') ? /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'/g : /\brequire\("([^"]+)"\)/g;
  return [...code.matchAll(pattern)].map((match) => match[1]!);
}

describe('the published package', () => {
  it('is built', () => {
    expect(existsSync(join(dist, 'index.js')), 'dist/ is missing: run `npm run build` at the workspace root').toBe(true);
  });

  it('has no runtime dependencies, and its code loads only Node built-ins, its own files (the Nest entry: optional peers too)', () => {
    expect(manifest.dependencies).toBeUndefined();
    const files = distFiles(dist).filter((file) => file.endsWith('.js') || file.endsWith('.mjs'));
    const specifiers = files.flatMap(specifiersIn);
    expect(files.filter((file) => file.endsWith('.mjs')).every((file) => specifiersIn(file).length > 0)).toBe(true);
    expect(specifiers.length).toBeGreaterThan(files.length);
    // The one exception: the Nest entry calls Nest's own APIs, from optional peers every Nest app has.
    const external = Object.fromEntries(
      files.flatMap((file) => {
        const names = specifiersIn(file).filter((specifier) => !specifier.startsWith('node:') && !specifier.startsWith('.'));
        return names.length === 0 ? [] : [[file.slice(dist.length + 1), names]];
      }),
    );
    expect(external).toEqual({ 'adapters/nest.js': ['@nestjs/common', '@nestjs/core', 'rxjs'] });
    for (const name of external['adapters/nest.js'] ?? []) {
      expect(manifest.peerDependencies?.[name], name).toBeDefined();
      expect(manifest.peerDependenciesMeta?.[name]?.optional, name).toBe(true);
    }
  });

  it('keeps one copy of its state when an ESM app uses a CommonJS dependency of it', () => {
    // The context is made through the ESM entry; the middleware, the job runner and the error class
    // come through require(), as they would from a CommonJS library. Two copies of the package would
    // show here: runJob refuses a context another copy made, and instanceof fails across copies.
    const script = `
      import { createServer } from 'node:http';
      import { createRequire } from 'node:module';
      import { createContext } from '@unthread/context';
      const require = createRequire(process.cwd() + '/');
      const { requestContext } = require('@unthread/context/express');
      const { runJob, MissingContextError } = require('@unthread/context');
      const request = createContext({ name: 'request' });
      const middleware = requestContext(request);
      const server = createServer((req, res) => middleware(req, res, () => res.end(request.get('requestId'))));
      await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
      const response = await fetch('http://127.0.0.1:' + server.address().port + '/', { headers: { 'x-request-id': 'req-1' } });
      const served = await response.text();
      server.close();
      const job = runJob(request, () => request.get('requestId'), { id: 'job-1' });
      let sameErrorClass = false;
      try { request.get('requestId'); } catch (error) { sameErrorClass = error instanceof MissingContextError; }
      process.stdout.write(JSON.stringify({ served, job, sameErrorClass }));
    `;
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: packageRoot,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(JSON.parse(output)).toEqual({ served: 'req-1', job: 'job-1', sameErrorClass: true });
  });
});
