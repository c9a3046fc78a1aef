// What a user installs: each package packed as it would be published (pnpm pack), its file list
// checked, then the three tarballs installed with npm into an empty project outside this workspace,
// where the CLI runs, ESLint lints a file through the plugin from a CommonJS and an ESM config, and a
// CommonJS Express service serves a request through @unthread/context/express.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const pnpm = join(root, 'node_modules/pnpm/bin/pnpm.cjs');

interface Manifest {
  name: string;
  version: string;
  main: string;
  types: string;
  bin?: Record<string, string>;
  exports: Record<string, string | Record<'import' | 'require', { types: string; default: string }>>;
}

interface Packed {
  dir: string;
  manifest: Manifest;
  tarball: string;
  /** Paths inside the tarball, without its `package/` prefix. */
  files: string[];
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)));
}

/** Every file a package.json names: main, types, bin and each export's targets. */
function namedFiles(manifest: Manifest): string[] {
  const targets = Object.values(manifest.exports).flatMap((target) =>
    typeof target === 'string' ? [target] : Object.values(target).flatMap((t) => [t.types, t.default]),
  );
  return [manifest.main, manifest.types, ...Object.values(manifest.bin ?? {}), ...targets].map((file) => file.replace(/^\.\//, ''));
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], cwd: string, timeout = 60_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const work = mkdtempSync(join(tmpdir(), 'unthread-tarballs-'));
const app = join(work, 'app');
const packed: Packed[] = [];
let install: Run;

beforeAll(async () => {
  const destination = join(work, 'tarballs');
  mkdirSync(destination);
  for (const name of ['context', 'eslint-plugin', 'codemod']) {
    const dir = join(root, 'packages', name);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
    const before = new Set(readdirSync(destination));
    const result = await run(process.execPath, [pnpm, 'pack', '--pack-destination', destination], dir);
    if (result.code !== 0) throw new Error(`pnpm pack in packages/${name} failed:\n${result.stdout}${result.stderr}`);
    const tarball = readdirSync(destination).find((f) => f.endsWith('.tgz') && !before.has(f));
    if (tarball === undefined) throw new Error(`pnpm pack in packages/${name} wrote no tarball`);
    const files = execFileSync('tar', ['-tzf', join(destination, tarball)], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => line.replace(/^package\//, ''));
    packed.push({ dir, manifest, tarball: join(destination, tarball), files });
  }

  // An empty project, outside the workspace so that nothing resolves from its node_modules. npm takes
  // the tarballs' dependencies from its cache where it can; express and eslint are the app's own.
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), `${JSON.stringify({ name: 'tarball-app', private: true }, null, 2)}\n`);
  install = await run(
    'npm',
    ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error',
      ...packed.map((p) => p.tarball), 'express@^4.21.2', 'eslint@^10.0.0'],
    app,
    240_000,
  );
}, 300_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('each tarball', () => {
  it('holds package.json, README, LICENSE, every file its package.json names, and all of dist/', () => {
    expect(packed.map((p) => p.manifest.name)).toEqual(['@unthread/context', '@unthread/eslint-plugin', 'unthread']);
    for (const { dir, manifest, files } of packed) {
      const distFiles = filesUnder(join(dir, 'dist'))
        .filter((file) => !file.endsWith('.map'))
        .map((file) => `dist/${file}`);
      const must = ['package.json', 'README.md', 'LICENSE', 'dist/package.json', ...namedFiles(manifest), ...distFiles];
      expect(must.filter((file) => !files.includes(file)), manifest.name).toEqual([]);
      expect(files.filter((file) => file.endsWith('.mjs')).length, `${manifest.name}: ESM entries`).toBeGreaterThan(0);
    }
  });

  it('holds the plugin docs', () => {
    const plugin = packed.find((p) => p.manifest.name === '@unthread/eslint-plugin')!;
    const docs = filesUnder(join(plugin.dir, 'docs')).map((file) => `docs/${file}`);
    expect(docs.length).toBeGreaterThan(1);
    expect(docs.filter((file) => !plugin.files.includes(file))).toEqual([]);
  });

  it('holds no tests, sources, source maps or build state', () => {
    const forbidden = /(^|\/)(src|test|dist-test|node_modules)\/|\.test\.|\.tsbuildinfo$|\.map$|(^|\/)tsconfig[^/]*\.json$/;
    for (const { manifest, files } of packed) {
      expect(files.filter((file) => forbidden.test(file)), manifest.name).toEqual([]);
    }
  });
});

describe('the three tarballs installed into an empty project', () => {
  it('install', () => {
    expect(install.stderr).not.toMatch(/ERR!/);
    expect(install.code).toBe(0);
  });

  it('run `unthread --help` and `unthread --version`', async () => {
    const cli = join(app, 'node_modules/.bin/unthread');
    const help = await run(cli, ['--help'], app);
    expect(help.stdout).toMatch(/^Usage: unthread \[options\] \[paths\.\.\.\]/);
    expect(help.code).toBe(0);
    const version = await run(cli, ['--version'], app);
    expect(version.stdout.trim()).toBe(packed.find((p) => p.manifest.name === 'unthread')!.manifest.version);
  });

  it.each([
    ['eslint.config.cjs', "module.exports = [require('@unthread/eslint-plugin').configs.recommended];\n"],
    ['eslint.config.mjs', "import unthread from '@unthread/eslint-plugin';\nexport default [unthread.configs.recommended];\n"],
  ])('lint a file with the plugin from %s', async (config, text) => {
    writeFileSync(join(app, config), text);
    writeFileSync(
      join(app, 'handler.cjs'),
      "const { AsyncLocalStorage } = require('node:async_hooks');\nmodule.exports = function handler() { return new AsyncLocalStorage(); };\n",
    );
    const eslint = join(app, 'node_modules/eslint/bin/eslint.js');
    const result = await run(process.execPath, [eslint, '--config', config, '--format', 'json', 'handler.cjs'], app);
    const [report] = JSON.parse(result.stdout) as { messages: { ruleId: string; line: number }[] }[];
    expect(report?.messages.map(({ ruleId, line }) => ({ ruleId, line }))).toEqual([{ ruleId: 'unthread/no-storage-per-call', line: 2 }]);
    expect(result.code).toBe(1);
  });

  it('serve a request on 127.0.0.1 through @unthread/context/express from a CommonJS Express service', async () => {
    writeFileSync(
      join(app, 'server.cjs'),
      `const express = require('express');
const { createContext } = require('@unthread/context');
const { requestContext } = require('@unthread/context/express');
const { runUnthread } = require('unthread');

const request = createContext({ name: 'request' });
const app = express();
app.use(requestContext(request, { echoHeader: true }));
app.get('/', (req, res) => setImmediate(() => res.json({ requestId: request.get('requestId') })));
const server = app.listen(0, '127.0.0.1', async () => {
  const response = await fetch('http://127.0.0.1:' + server.address().port + '/', { headers: { 'x-request-id': 'req-1' } });
  const body = await response.json();
  const api = await import('unthread');
  console.log(JSON.stringify({ body, echoed: response.headers.get('x-request-id'), api: api.runUnthread === runUnthread }));
  server.close();
});
`,
    );
    const result = await run(process.execPath, ['server.cjs'], app);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({ body: { requestId: 'req-1' }, echoed: 'req-1', api: true });
  });
});
