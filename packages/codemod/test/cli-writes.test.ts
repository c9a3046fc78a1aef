// What a writing run leaves on disk besides the edit itself: byte order marks, modes, line breaks and
// symlinks as they were; one run at a time per repository; no write over a file that changed since it
// was read. Real files in the OS temp dir, the real CLI (or the API for the race it cannot stage).
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runUnthread, writeAllOrNothing } from '../src/index.js';
import { CHAIN, commitAll, project, snapshot, unthread, unthreadAsync } from './support/cli.js';

const BOM = '\uFEFF';

describe('unthread writes files as they were', () => {
  it('keeps a UTF-8 byte order mark and the executable bit', () => {
    const dir = project({ ...CHAIN, 'src/log.ts': `${BOM}${CHAIN['src/log.ts']}` });
    chmodSync(path.join(dir, 'src/app.ts'), 0o755);
    const { code, stderr } = unthread(dir, ['.']);
    // A TypeScript error code, not the letters: the temporary folder's random name may hold "TS".
    expect(stderr).not.toMatch(/\bTS\d{4,5}\b/);
    expect(code).toBe(0);
    const log = readFileSync(path.join(dir, 'src/log.ts'), 'utf8');
    expect(log.startsWith(`${BOM}import { request } from './context.js';`)).toBe(true);
    expect(log).toContain('export function log(message: string)');
    expect(log.indexOf(BOM, 1)).toBe(-1);
    expect(readFileSync(path.join(dir, 'src/app.ts'), 'utf8')).toContain("request.run({ requestId: id }, () => log('handled'))");
    expect(statSync(path.join(dir, 'src/app.ts')).mode & 0o777).toBe(0o755);
  });

  it('in a CRLF repository, changed files keep CRLF and the created context module uses it too', () => {
    const crlf = Object.fromEntries(Object.entries(CHAIN).map(([name, text]) => [name, text.replaceAll('\n', '\r\n')]));
    const dir = project(crlf);
    expect(unthread(dir, ['.']).code).toBe(0);
    for (const file of ['src/log.ts', 'src/app.ts', 'src/context.ts']) {
      const text = readFileSync(path.join(dir, file), 'utf8');
      expect(text).toContain('\r\n');
      expect(text.replaceAll('\r\n', '')).not.toContain('\n');
    }
    expect(readFileSync(path.join(dir, 'src/log.ts'), 'utf8')).toContain("\r\n  const requestId = request.get('requestId');\r\n");
  });

  it('a symlinked file stays a link: its real file is written when the program sees it once, left alone when twice', () => {
    const dir = project({
      ...CHAIN,
      'src/log.ts': "export { log } from './shared/log.js';\n",
      // The real module lives outside the tsconfig's `src`, inside the repository: the program sees it once.
      'shared/log.ts': CHAIN['src/log.ts'],
      // Both names of this one are in `src`: the program sees two files, calls through each name differ.
      'src/audit.ts': 'export function audit(requestId: string): string {\n  return requestId;\n}\n',
      'src/app.ts':
        "import { audit } from './audit-alias.js';\nimport { log } from './log.js';\n\n" +
        "export function handle(id: string): string {\n  return audit(id) + log(id, 'handled');\n}\n",
    });
    mkdirSync(path.join(dir, 'src/shared'));
    symlinkSync('../../shared/log.ts', path.join(dir, 'src/shared/log.ts'));
    symlinkSync('audit.ts', path.join(dir, 'src/audit-alias.ts'));
    const { code, stdout } = unthread(dir, ['.']);
    expect(code).toBe(0);
    expect(lstatSync(path.join(dir, 'src/shared/log.ts')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(path.join(dir, 'src/shared/log.ts'))).toBe('../../shared/log.ts');
    expect(readFileSync(path.join(dir, 'shared/log.ts'), 'utf8')).toContain('export function log(message: string)');
    expect(lstatSync(path.join(dir, 'src/audit-alias.ts')).isSymbolicLink()).toBe(true);
    expect(readFileSync(path.join(dir, 'src/audit.ts'), 'utf8')).toContain('audit(requestId: string)');
    expect(stdout).toContain('Skipped src/audit-alias.ts: the same file as src/audit.ts');
    expect(readFileSync(path.join(dir, 'src/app.ts'), 'utf8')).toContain("return audit(id) + request.run({ requestId: id }, () => log('handled'));");
  });

  it('never writes through a symlinked folder that leads outside the repository: its files keep what they call', () => {
    const outside = project({ 'shared/log.ts': CHAIN['src/log.ts'] });
    const app =
      "import { audit } from './audit.js';\nimport { log } from './log.js';\n\n" +
      "export function handle(id: string): string {\n  return audit(id) + log(id, 'handled');\n}\n";
    const dir = project({
      ...CHAIN,
      'src/log.ts': "export { log } from './shared/log.js';\n",
      'src/audit.ts': 'export function audit(requestId: string): string {\n  return requestId;\n}\n',
      'src/app.ts': app,
    });
    symlinkSync(path.join(outside, 'shared'), path.join(dir, 'src/shared'), 'dir');
    commitAll(dir);
    const { code, stdout } = unthread(dir, ['.']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Skipped src\/shared\/log\.ts: reached through a symlink to .*outside the repository/);
    expect(readFileSync(path.join(outside, 'shared/log.ts'), 'utf8')).toBe(CHAIN['src/log.ts']);
    expect(lstatSync(path.join(dir, 'src/shared')).isSymbolicLink()).toBe(true);
    // The repository's own function is migrated; the call into the file it cannot change still passes the id.
    expect(readFileSync(path.join(dir, 'src/app.ts'), 'utf8')).toContain("request.run({ requestId: id }, () => audit()) + log(id, 'handled')");
  });
});

describe('one writing run at a time', () => {
  const lockOf = (dir: string): string => path.join(dir, '.git', 'unthread.lock');

  it('a lock held by a live run: exit 2 naming the lock file, nothing written; --dry still runs', () => {
    const dir = project(CHAIN);
    commitAll(dir);
    // This test's own process stands for the other run: alive, on this host.
    writeFileSync(lockOf(dir), JSON.stringify({ pid: process.pid, host: hostname(), started: 'earlier' }));
    const before = snapshot(dir);
    const { code, stderr } = unthread(dir, ['.']);
    expect(code).toBe(2);
    expect(stderr).toContain(`another unthread run (pid ${process.pid}`);
    expect(stderr).toContain(lockOf(dir));
    expect(snapshot(dir)).toEqual(before);
    expect(unthread(dir, ['.', '--dry']).code).toBe(0);
  });

  it('a lock left by a run that is gone is taken over, and released at the end', () => {
    const dir = project(CHAIN);
    commitAll(dir);
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(lockOf(dir), JSON.stringify({ pid: Number(gone.stdout), host: hostname(), started: 'earlier' }));
    expect(unthread(dir, ['.']).code).toBe(0);
    expect(readFileSync(path.join(dir, 'src/log.ts'), 'utf8')).toContain('export function log(message: string)');
    expect(existsSync(lockOf(dir))).toBe(false);
  });

  it('two runs started together: the tree ends as one run leaves it, never half of each', async () => {
    const dir = project(CHAIN);
    commitAll(dir);
    const runs = await Promise.all([unthreadAsync(dir, ['.']), unthreadAsync(dir, ['.'])]);
    // One run writes. The other met its lock, or (started after it ended) the tree it left uncommitted.
    expect(runs.map((r) => r.code).sort()).toEqual([0, 2]);
    expect(runs.find((r) => r.code === 2)?.stderr).toMatch(new RegExp(`holds ${lockOf(dir).replaceAll('.', '\\.')}|uncommitted change`));
    expect(readFileSync(path.join(dir, 'src/app.ts'), 'utf8').match(/request\.run/g)).toHaveLength(1);
    expect(existsSync(lockOf(dir))).toBe(false);
  });

  it('a file changed on disk after it was read stops the write, nothing is written', () => {
    const dir = project(CHAIN);
    const result = runUnthread({ paths: ['.'], cwd: dir, verify: false });
    writeFileSync(path.join(dir, 'src/app.ts'), `${CHAIN['src/app.ts']}// edited meanwhile\n`);
    const before = snapshot(dir);
    expect(() => writeAllOrNothing(result.changes)).toThrow(/src\/app\.ts changed on disk while the codemod ran/);
    expect(snapshot(dir)).toEqual(before);
  });
});
