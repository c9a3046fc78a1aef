// The compiler that judges a change is the repository's own: real projects on disk with a real
// TypeScript 5.5 installed (the workspace's `typescript-5.5` alias), the CLI in a child process, and
// what the verifier must see (a context module the repository cannot resolve, a file that gains an
// error through a chain of imports), what it must never read as source (build outputs), and the
// imports `tsc --init`'s own config requires.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runUnthread } from '../src/index.js';

const packageDir = path.resolve(import.meta.dirname, '..');
const cli = path.join(packageDir, 'dist/cli.js');
const tmpRoot = path.join(packageDir, '.tmp');
const typescript55 = realpathSync(path.join(packageDir, 'node_modules/typescript-5.5'));
const typescript6 = realpathSync(path.join(packageDir, 'node_modules/typescript'));
const contextPackage = realpathSync(path.join(packageDir, 'node_modules/@unthread/context'));
const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>, parent = tmpRoot): string {
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(path.join(parent, 'judge-'));
  made.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** Installs a package into the project's node_modules the way pnpm does: a link to its folder. */
function install(dir: string, name: string, folder: string): void {
  const target = path.join(dir, 'node_modules', name);
  mkdirSync(path.dirname(target), { recursive: true });
  symlinkSync(folder, target, 'dir');
}

/**
 * A context package that declares only `exports` (no `main`, `types` or `typesVersions`), as many
 * packages do: TypeScript 6 resolves it under `module: commonjs`, TypeScript 5.5 (node10 resolution)
 * does not. The real package ships both, so this is the shape that tells the two compilers apart.
 */
function installExportsOnlyContext(dir: string): void {
  const target = path.join(dir, 'node_modules', '@unthread/context');
  mkdirSync(target, { recursive: true });
  symlinkSync(path.join(contextPackage, 'dist'), path.join(target, 'dist'), 'dir');
  const exportsOnly = { name: '@unthread/context', version: '0.0.0', exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } } };
  writeFileSync(path.join(target, 'package.json'), JSON.stringify(exportsOnly));
}

function unthread(cwd: string, args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const CHAIN = {
  'src/log.ts': 'export function log(requestId: string, message: string): string {\n  return `${requestId} ${message}`;\n}\n',
  'src/app.ts': "import { log } from './log';\n\nexport function handle(id: string): string {\n  return log(id, 'handled');\n}\n",
};

/** A CommonJS service as many are configured: TypeScript 6 resolves `exports` here, 5.5 does not. */
const COMMONJS = {
  'package.json': '{ "name": "svc", "private": true }\n',
  'tsconfig.json': JSON.stringify({
    compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, noEmit: true, skipLibCheck: true, types: [] },
    include: ['src'],
  }),
  ...CHAIN,
};

describe('the TypeScript that judges a change', () => {
  it("verifies with the repository's own TypeScript 5.5: the context module it cannot resolve is an error, and says which compiler", () => {
    // Outside the workspace, so node10 resolution finds no other copy of the package further up.
    const dir = project(COMMONJS, os.tmpdir());
    install(dir, 'typescript', typescript55);
    installExportsOnlyContext(dir);
    const { code, stdout, stderr } = unthread(dir, ['.', '--json', 'plan.json']);
    expect(code).toBe(1);
    expect(stderr).toContain("src/context.ts:2 TS2307: Cannot find module '@unthread/context'");
    expect(stderr).toContain('@unthread/context is installed, but this project');
    expect(stdout).toContain(`TypeScript 5.5.4 (the repository's own, ${typescript55})`);
    const plan = JSON.parse(readFileSync(path.join(dir, 'plan.json'), 'utf8')) as { typescript: unknown; newErrors: { code: number }[] };
    expect(plan.typescript).toEqual({ version: '5.5.4', path: typescript55, source: 'repo' });
    expect(plan.newErrors.map((e) => e.code)).toEqual([2307]);
    expect(readFileSync(path.join(dir, 'src/log.ts'), 'utf8')).toBe(COMMONJS['src/log.ts']);
  });

  it('the same project with TypeScript 6 installed resolves the context module and is written', () => {
    const dir = project(COMMONJS, os.tmpdir());
    install(dir, 'typescript', typescript6);
    installExportsOnlyContext(dir);
    const { code, stdout, stderr } = unthread(dir, ['.']);
    // The temp folder is outside git: that note is the only thing said on stderr.
    expect(stderr.replace(/^unthread: note: .* is not in a git repository, .*\n/mu, '')).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/TypeScript 6\.0\.\d+ \(the repository's own, /);
    expect(readFileSync(path.join(dir, 'src/app.ts'), 'utf8')).toContain("request.run({ requestId: id }, () => log('handled'))");
  });

  it("without a TypeScript of its own the bundled one checks, and a context package that is not installed is a note", () => {
    // Outside the workspace: no typescript and no @unthread/context above it.
    const dir = project({ ...COMMONJS, 'tsconfig.json': COMMONJS['tsconfig.json'].replace('"commonjs"', '"nodenext"') }, os.tmpdir());
    const result = runUnthread({ paths: ['.'], cwd: dir });
    expect(result.typescript.source).toBe('bundled');
    expect(result.newErrors).toEqual([]);
    expect(result.notes).toContain('@unthread/context is not installed in this project: add it to your dependencies (npm install @unthread/context).');
  });
});

describe('what verification reads', () => {
  it('checks a file that gains an error through a chain of imports (a barrel, then a function returning the changed type)', () => {
    const dir = project({
      'package.json': '{ "private": true, "type": "module" }\n',
      'tsconfig.json': JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, types: [] },
        include: ['src'],
      }),
      'src/models/opts.ts': 'export interface Opts {\n  user: string;\n  requestId: string;\n}\n',
      'src/models/index.ts': "export * from './opts.js';\n",
      'src/load.ts': "import type { Opts } from './models/index.js';\n\nexport function load({ user, requestId }: Opts): string {\n  return user + requestId;\n}\n",
      'src/main.ts': "import { load } from './load.js';\n\nexport const main = (): string => load({ user: 'u', requestId: 'r' });\n",
      // Imports nothing that changes: the type it reads arrives through current() from store.ts.
      'src/store.ts': "import type { Opts } from './models/index.js';\n\nexport const current = (text: string): Opts => JSON.parse(text) as Opts;\n",
      'src/peek.ts': "import { current } from './store.js';\n\nexport const peek = (text: string): string => current(text).requestId;\n",
    });
    install(dir, '@unthread/context', contextPackage);
    const { newErrors } = runUnthread({ paths: ['.'], cwd: dir });
    expect(newErrors).toContainEqual(expect.objectContaining({ file: 'src/peek.ts', line: 3, code: 2339 }));
  });

  it('never reads build outputs as sources: outDir, dist/ and build/ of an allowJs project with its own exclude', () => {
    const compiled = "'use strict';\nexports.log = function log(requestId, message) {\n  return requestId + message;\n};\nexports.log('boot', 'x');\n";
    const dir = project({
      'package.json': '{ "private": true, "type": "module" }\n',
      'tsconfig.json': JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'NodeNext', allowJs: true, outDir: 'out', strict: true, noEmit: true, skipLibCheck: true, types: [] },
        exclude: ['node_modules'],
      }),
      'src/log.ts': CHAIN['src/log.ts'],
      'src/app.ts': CHAIN['src/app.ts'].replace("'./log'", "'./log.js'"),
      'out/log.js': compiled,
      'dist/log.js': compiled,
      'build/log.js': compiled,
    });
    install(dir, '@unthread/context', contextPackage);
    const { plan, changes, newErrors } = runUnthread({ paths: ['.'], cwd: dir });
    expect(newErrors).toEqual([]);
    expect(changes.map((c) => path.relative(dir, c.file)).sort()).toEqual(['src/app.ts', 'src/context.ts', 'src/log.ts']);
    expect(plan.functions.map((f) => `${f.file}:${f.decision}`)).toEqual(['src/log.ts:strip']);
    expect(plan.skippedFiles).toEqual([]);
  });
});

describe("tsc --init's own config", () => {
  it('module nodenext without moduleResolution: the new import gets .js and the result type-checks with tsc', () => {
    const dir = project({ 'package.json': '{ "name": "svc", "private": true, "type": "module" }\n', ...CHAIN });
    const tsc = path.join(typescript6, 'bin/tsc');
    execFileSync(process.execPath, [tsc, '--init'], { cwd: dir, stdio: 'ignore' });
    expect(readFileSync(path.join(dir, 'tsconfig.json'), 'utf8')).not.toMatch(/^\s*"moduleResolution"/m);
    writeFileSync(path.join(dir, 'src/app.ts'), CHAIN['src/app.ts'].replace("'./log'", "'./log.js'"));
    install(dir, '@unthread/context', contextPackage);
    install(dir, 'typescript', typescript6);
    const { code, stderr } = unthread(dir, ['.']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(readFileSync(path.join(dir, 'src/log.ts'), 'utf8')).toContain("import { request } from './context.js';");
    const check = spawnSync(process.execPath, [tsc, '--noEmit', '-p', '.'], { cwd: dir, encoding: 'utf8' });
    expect(check.stdout).toBe('');
    expect(check.status).toBe(0);
  });
});

describe('callers outside the root tsconfig', () => {
  const files = {
    'package.json': '{ "private": true, "type": "module" }\n',
    'tsconfig.json': JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, types: [] },
      include: ['src'],
    }),
    'src/log.ts': CHAIN['src/log.ts'],
    // A test folder with its own config, and a jest root that no config names (plain JavaScript).
    'spec/tsconfig.json': JSON.stringify({ extends: '../tsconfig.json', include: ['.'] }),
    'spec/log.spec.ts': "import { log } from '../src/log.js';\n\nexport const seen = log('req-1', 'hello');\n",
    'test/log.test.js': "import { log } from '../src/log.js';\n\nexport const again = log('req-2', 'bye');\n",
  };

  it('are rewritten with the function when they are under the paths', () => {
    const dir = project(files);
    install(dir, '@unthread/context', contextPackage);
    const { plan, changes, newErrors } = runUnthread({ paths: ['.'], cwd: dir });
    expect(newErrors).toEqual([]);
    expect(plan.functions.map((f) => `${f.name}:${f.decision}`)).toEqual(['log:strip']);
    const after = new Map(changes.map((c) => [path.relative(dir, c.file), c.after]));
    expect(after.get('spec/log.spec.ts')).toContain("request.run({ requestId: 'req-1' }, () => log('hello'))");
    expect(after.get('test/log.test.js')).toContain("request.run({ requestId: 'req-2' }, () => log('bye'))");
  });

  it('keep the function, naming the caller, when only src/ changes', () => {
    for (const caller of ['spec/log.spec.ts', 'test/log.test.js']) {
      const dir = project(Object.fromEntries(Object.entries(files).filter(([name]) => !name.includes('/log.') || name === caller || name.startsWith('src/'))));
      install(dir, '@unthread/context', contextPackage);
      const { plan, changes } = runUnthread({ paths: ['src'], cwd: dir });
      const log = plan.functions.find((f) => f.name === 'log');
      expect(log?.decision).toBe('keep');
      expect(log?.keeps.map((k) => `${k.reason} ${k.at.file}`)).toEqual([`called-from-untransformed-file ${caller}`]);
      expect(changes).toEqual([]);
    }
  });
});

describe('a program with a deduplicated package', () => {
  it('verifies when the context module exists and two copies of one package version are installed', () => {
    // TypeScript reads the second copy of shared@1.0.0 as a redirect to the first one.
    const shared = {
      'package.json': '{ "name": "shared", "version": "1.0.0", "types": "index.d.ts" }\n',
      'index.d.ts': 'export interface Tag {\n  name: string;\n}\n',
    };
    const copies: Record<string, string> = {};
    for (const owner of ['alpha', 'beta']) {
      copies[`node_modules/${owner}/package.json`] = `{ "name": "${owner}", "version": "1.0.0", "types": "index.d.ts" }\n`;
      copies[`node_modules/${owner}/index.d.ts`] = "import type { Tag } from 'shared';\nexport declare function tag(): Tag;\n";
      for (const [name, text] of Object.entries(shared)) copies[`node_modules/${owner}/node_modules/shared/${name}`] = text;
    }
    const dir = project({
      'package.json': '{ "private": true, "type": "module" }\n',
      'tsconfig.json': JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, types: [] },
        include: ['src'],
      }),
      ...copies,
      'src/context.ts': "import { createContext } from '@unthread/context';\n\nexport const request = createContext<{ tenantId: string }>({ name: 'request' });\n",
      'src/log.ts': "import { tag as alpha } from 'alpha';\nimport { tag as beta } from 'beta';\n\n" + CHAIN['src/log.ts'].replace('${message}', '${message} ${alpha().name} ${beta().name}'),
      'src/app.ts': CHAIN['src/app.ts'].replace("'./log'", "'./log.js'"),
    });
    install(dir, '@unthread/context', contextPackage);
    const { changes, newErrors } = runUnthread({ paths: ['.'], cwd: dir });
    expect(newErrors).toEqual([]);
    expect(changes.find((c) => c.file.endsWith('context.ts'))?.after).toContain('createContext<{ tenantId: string; requestId: string }>');
  });
});

describe('--context-module outside the repository', () => {
  it('is refused: exit 2, one line, nothing written', () => {
    const dir = project({ ...COMMONJS, 'tsconfig.json': COMMONJS['tsconfig.json'].replace('"commonjs"', '"nodenext"') });
    execFileSync('git', ['init', '-q'], { cwd: dir });
    for (const outside of ['../shared/src/context.ts', path.join(os.tmpdir(), 'ctx.ts')]) {
      const { code, stderr } = unthread(dir, ['.', '--force', '--context-module', outside]);
      expect(code).toBe(2);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toContain(`--context-module ${outside}: `);
      expect(stderr).toContain('is outside the repository');
      expect(readFileSync(path.join(dir, 'src/log.ts'), 'utf8')).toBe(COMMONJS['src/log.ts']);
    }
    // Inside the repository, beside the sources, is fine.
    expect(unthread(dir, ['.', '--dry', '--context-module', 'lib/context.ts']).stderr).not.toContain('outside the repository');
  });
});

describe('a monorepo with project references', () => {
  it('a package importing another by its name is rewritten with it, and tsc -b builds the result', () => {
    const options = { target: 'ES2022', module: 'NodeNext', strict: true, skipLibCheck: true, types: [], composite: true, rootDir: 'src', outDir: 'dist' };
    const exportsDist = '"exports": { ".": { "types": "./dist/index.d.ts", "default": "./dist/index.js" } }';
    const dir = project({
      'package.json': '{ "name": "mono", "private": true, "type": "module" }\n',
      'tsconfig.json': JSON.stringify({ files: [], references: [{ path: 'packages/core' }, { path: 'packages/app' }] }),
      'packages/core/package.json': `{ "name": "@mono/core", "type": "module", ${exportsDist} }\n`,
      'packages/core/tsconfig.json': JSON.stringify({ compilerOptions: options, include: ['src'] }),
      'packages/core/src/index.ts': CHAIN['src/log.ts'],
      'packages/app/package.json': `{ "name": "@mono/app", "type": "module", ${exportsDist} }\n`,
      'packages/app/tsconfig.json': JSON.stringify({ compilerOptions: options, include: ['src'], references: [{ path: '../core' }] }),
      'packages/app/src/index.ts': "import { log } from '@mono/core';\n\nexport function handle(requestId: string): string {\n  return log(requestId, 'handled');\n}\n\nexport const boot = (): string => handle('boot-1');\n",
    });
    install(dir, '@mono/core', path.join(dir, 'packages/core'));
    install(dir, '@unthread/context', contextPackage);
    install(dir, 'typescript', typescript6);
    const tsc = path.join(typescript6, 'bin/tsc');
    // Built once, as a repository would be: app then reads core through dist/index.d.ts.
    execFileSync(process.execPath, [tsc, '-b'], { cwd: dir, stdio: 'ignore' });
    const { code, stderr } = unthread(dir, ['.', '--context-module', 'packages/core/src/context.ts']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(readFileSync(path.join(dir, 'packages/app/src/index.ts'), 'utf8')).toContain("request.run({ requestId: 'boot-1' }, () => handle())");
    expect(readFileSync(path.join(dir, 'packages/app/src/index.ts'), 'utf8')).toContain("return log('handled');");
    const build = spawnSync(process.execPath, [tsc, '-b'], { cwd: dir, encoding: 'utf8' });
    expect(build.stdout).toBe('');
    expect(build.status).toBe(0);
  });

  it("a package with files of its own is judged with its own options, not those of the project it references", () => {
    // The referenced project is composite: its rootDir is its own folder. Judged with its options, the
    // app's new context module would be "not under rootDir"; `tsc -p app` reads the app's options only.
    const base = { target: 'ES2022', module: 'commonjs', strict: true, skipLibCheck: true, types: [] };
    const dir = project({
      'package.json': '{ "name": "refs", "private": true }\n',
      'lib/tsconfig.json': JSON.stringify({ compilerOptions: { ...base, composite: true, outDir: 'dist' }, include: ['*.ts'] }),
      'lib/names.ts': "export const service = 'svc';\n",
      'app/tsconfig.json': JSON.stringify({ compilerOptions: { ...base, rootDir: '..', noEmit: true }, include: ['src'], references: [{ path: '../lib' }] }),
      'app/src/log.ts': CHAIN['src/log.ts'],
      'app/src/app.ts': "import { log } from './log';\nimport { service } from '../../lib/names';\n\nexport const boot = (): string => log('boot-1', service);\n",
    });
    install(dir, '@unthread/context', contextPackage);
    install(dir, 'typescript', typescript6);
    const tsc = path.join(typescript6, 'bin/tsc');
    // Built once, as `tsc -p app` needs: it reads the referenced project through its declarations.
    execFileSync(process.execPath, [tsc, '-b', 'lib'], { cwd: dir, stdio: 'ignore' });
    const { code, stdout, stderr } = unthread(dir, ['app', '--force']);
    expect(stderr).toBe('');
    expect(code, stdout).toBe(0);
    expect(readFileSync(path.join(dir, 'app/src/context.ts'), 'utf8')).toContain('createContext');
    const check = spawnSync(process.execPath, [tsc, '-p', 'app'], { cwd: dir, encoding: 'utf8' });
    expect(check.stdout).toBe('');
    expect(check.status).toBe(0);
  });
});
