// The real CLI (dist/cli.js, built by `tsc -b`) run in a child process on small projects written to
// the OS temp dir: outside this repository's git work tree, so "outside git" is real and each test's
// own `git init` makes the only repository.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

const packageDir = path.resolve(import.meta.dirname, '../..');
export const cli = path.join(packageDir, 'dist/cli.js');
const contextPackage = path.resolve(packageDir, '../context');

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

export const TSCONFIG = JSON.stringify({
  compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, types: [] },
  include: ['src'],
});

export const CHAIN = {
  'package.json': '{ "private": true, "type": "module" }\n',
  'tsconfig.json': TSCONFIG,
  'src/log.ts': 'export function log(requestId: string, message: string): string {\n  return `${requestId} ${message}`;\n}\n',
  'src/app.ts': "import { log } from './log.js';\n\nexport function handle(id: string): string {\n  return log(id, 'handled');\n}\n",
};

/** A fresh folder in the OS temp dir, removed after the test file. */
export function tempDir(prefix = 'unthread-cli-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/**
 * The files under a fresh temp folder, with `@unthread/context` installed (linked to this workspace's
 * package) as in a repository that added the dependency, so verification resolves the new imports.
 */
export function project(files: Record<string, string>, dir = tempDir()): string {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  mkdirSync(path.join(dir, 'node_modules/@unthread'), { recursive: true });
  symlinkSync(contextPackage, path.join(dir, 'node_modules/@unthread/context'), 'dir');
  writeFileSync(path.join(dir, '.gitignore'), 'node_modules/\n', { flag: 'a' });
  return dir;
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function unthread(cwd: string, args: string[], env: Record<string, string> = {}): CliRun {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The CLI started without waiting, for runs that overlap. */
export function unthreadAsync(cwd: string, args: string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Every file under `dir` with its text, to prove nothing was written. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.name === '.git' || entry.name === 'node_modules') continue;
      if (entry.isDirectory()) walk(full);
      else out[path.relative(dir, full)] = readFileSync(full, 'utf8');
    }
  };
  walk(dir);
  return out;
}

export function git(cwd: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', ...args], { cwd, stdio: 'ignore' });
}

/** `git init` and commit everything: a clean tree. */
export function commitAll(dir: string): void {
  git(dir, 'init', '-q');
  git(dir, 'add', '.');
  git(dir, 'commit', '-qm', 'init');
}
