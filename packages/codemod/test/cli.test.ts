// The real CLI (dist/cli.js, built by `tsc -b`) in a child process on small projects on disk: exit
// codes, the git guard, --dry, --json, bad input, verification and all-or-nothing writes.
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHAIN, commitAll, project, snapshot, TSCONFIG, unthread } from './support/cli.js';

describe('unthread CLI', () => {
  it('--dry prints a unified diff and the summary and writes nothing', () => {
    const dir = project(CHAIN);
    const before = snapshot(dir);
    const { code, stdout, stderr } = unthread(dir, ['.', '--dry']);
    expect(code).toBe(0);
    expect(stderr).toBe(''); // progress goes to stderr only on a terminal
    expect(stdout).toContain('+++ b/src/log.ts');
    expect(stdout).toContain("+  return request.run({ requestId: id }, () => log('handled'));");
    expect(stdout).toContain('1 function(s) stripped');
    expect(snapshot(dir)).toEqual(before);
  });

  it('writes by default outside git, and a second run finds nothing to do', () => {
    const dir = project(CHAIN);
    const first = unthread(dir, ['.']);
    expect(first.code).toBe(0);
    expect(readFileSync(path.join(dir, 'src/app.ts'), 'utf8')).toContain("request.run({ requestId: id }, () => log('handled'))");
    expect(existsSync(path.join(dir, 'src/context.ts'))).toBe(true);
    const after = snapshot(dir);
    const second = unthread(dir, ['.']);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('Nothing to do');
    expect(snapshot(dir)).toEqual(after);
  });

  it('refuses a dirty git tree unless --force, and --dry needs no --force', () => {
    const dir = project(CHAIN);
    commitAll(dir);
    writeFileSync(path.join(dir, 'src/app.ts'), `${CHAIN['src/app.ts']}// edited\n`);
    const before = snapshot(dir);
    const refused = unthread(dir, ['.']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/uncommitted change\(s\) \(src\/app\.ts\).*--force/);
    expect(snapshot(dir)).toEqual(before);
    expect(unthread(dir, ['.', '--dry']).code).toBe(0);
    expect(snapshot(dir)).toEqual(before);
    const forced = unthread(dir, ['.', '--force']);
    expect(forced.code).toBe(0);
    expect(readFileSync(path.join(dir, 'src/log.ts'), 'utf8')).toContain("const requestId = request.get('requestId');");
  });

  it('--json writes the plan: decisions, call actions and keep reasons', () => {
    const dir = project({
      ...CHAIN,
      'src/registry.ts': "import { log } from './log.js';\n\nexport const handlers = [log];\n",
      'src/other.ts': 'export function audit(requestId: string): string {\n  return requestId;\n}\n\nexport const x = audit(`job-${1}`);\n',
    });
    const { code } = unthread(dir, ['.', '--dry', '--json', 'plan.json']);
    expect(code).toBe(0);
    const plan = JSON.parse(readFileSync(path.join(dir, 'plan.json'), 'utf8')) as {
      functions: { name: string; decision: string; keeps: { reason: string; at: { file: string; line: number } }[] }[];
      calls: { file: string; action: string; wrapped: { key: string; expression: string }[] }[];
    };
    const log = plan.functions.find((f) => f.name === 'log');
    expect(log?.decision).toBe('keep');
    expect(log?.keeps).toEqual([{ reason: 'used-as-value', at: { file: 'src/registry.ts', line: 3 } }]);
    expect(plan.functions.find((f) => f.name === 'audit')?.decision).toBe('strip');
    expect(plan.calls).toContainEqual(expect.objectContaining({ file: 'src/other.ts', action: 'wrap-in-run', wrapped: [{ key: 'requestId', expression: '`job-${1}`' }] }));
  });

  it('a call that leaves an optional parameter out is wrapped to keep it unset, in the plan and the summary', () => {
    const dir = project({
      ...CHAIN,
      'src/price.ts':
        "export function priceOf(sku: string, requestId?: string): string {\n  return sku + (requestId ?? '-');\n}\n\n" +
        "export function quote(requestId: string): string {\n  return priceOf('a', requestId) + priceOf('b');\n}\n",
    });
    const { code, stdout } = unthread(dir, ['.', '--dry', '--json', 'plan.json']);
    expect(code).toBe(0);
    expect(stdout).toContain('1 call(s) that leave it out wrapped to keep it unset');
    expect(stdout).toContain("+  return priceOf('a') + request.run({ requestId: undefined }, () => priceOf('b'));");
    const plan = JSON.parse(readFileSync(path.join(dir, 'plan.json'), 'utf8')) as {
      calls: { file: string; line: number; action: string; wrapped: unknown[]; unset: string[] }[];
      summary: { originsWrapped: number; unsetWrapped: number };
    };
    const unsetCalls = plan.calls.filter((c) => c.unset.length > 0);
    expect(unsetCalls).toEqual([expect.objectContaining({ file: 'src/price.ts', line: 6, action: 'wrap-in-run', wrapped: [], unset: ['requestId'] })]);
    // CHAIN's handle() wraps its own id: an origin, counted apart from the unset call.
    expect(plan.summary).toMatchObject({ originsWrapped: 1, unsetWrapped: 1 });
  });

  it('--param repeated puts several keys in one context; --context-module names its file', () => {
    const dir = project({
      'tsconfig.json': TSCONFIG,
      'src/db.ts':
        'export function query(tenantId: string, requestId: string, sql: string): string {\n  return tenantId + requestId + sql;\n}\n\n' +
        "export const boot = (): string => query('t', 'r', 'select 1');\n",
    });
    const { code } = unthread(dir, ['.', '--param', 'requestId', '--param', 'tenantId', '--context-module', 'src/lib/ctx.ts']);
    expect(code).toBe(0);
    expect(readFileSync(path.join(dir, 'src/lib/ctx.ts'), 'utf8')).toContain("createContext<{ requestId: string; tenantId: string }>({ name: 'request' })");
    const db = readFileSync(path.join(dir, 'src/db.ts'), 'utf8');
    expect(db).toContain("import { request } from './lib/ctx.js';");
    expect(db).toContain("request.run({ tenantId: 't', requestId: 'r' }, () => query('select 1'))");
  });

  it('exits 1 when every threaded function has to be kept', () => {
    const dir = project({
      'tsconfig.json': TSCONFIG,
      'src/only.ts': 'export function onEvent(requestId: string): string {\n  return requestId;\n}\n\nexport const table = { onEvent };\n',
    });
    const { code, stdout } = unthread(dir, ['.']);
    expect(code).toBe(1);
    expect(stdout).toContain('src/only.ts:1 onEvent: used as a value');
  });

  it('a --param that matches nothing and is not in the context module: exit 1, nothing written', () => {
    const dir = project(CHAIN);
    const before = snapshot(dir);
    // One good name beside the typo: the run still stops, a partial migration is not what was asked.
    const { code, stdout, stderr } = unthread(dir, ['.', '--param', 'requestId', '--param', 'requestID']);
    expect(code).toBe(1);
    expect(stdout).toContain('--param requestID matches no parameter');
    expect(stderr).toMatch(/--param requestID: no parameter of that name .* not in src\/context\.ts; check the spelling\. Nothing was written\./);
    expect(snapshot(dir)).toEqual(before);
    // Once migrated, the context module holds the name: a run for it again is done, not a typo.
    expect(unthread(dir, ['.']).code).toBe(0);
    const again = unthread(dir, ['.', '--param', 'requestId']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('requestId: no parameter left to migrate');
  });

  it('a --param that no parameter can have (foo-bar, 123, class): exit 2, one line naming it', () => {
    const dir = project(CHAIN);
    for (const name of ['foo-bar', '123', 'class']) {
      const { code, stdout, stderr } = unthread(dir, ['.', '--dry', '--param', name]);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toContain(`'${name}'`);
    }
  });

  it('--json - writes the plan to stdout alone; the summary goes to stderr', () => {
    const dir = project(CHAIN);
    const { code, stdout, stderr } = unthread(dir, ['.', '--dry', '--json', '-']);
    expect(code).toBe(0);
    const plan = JSON.parse(stdout) as { functions: { name: string; decision: string }[] };
    expect(plan.functions).toContainEqual(expect.objectContaining({ name: 'log', decision: 'strip' }));
    expect(stderr).toContain('+++ b/src/log.ts');
    expect(stderr).toContain('1 function(s) stripped');
    expect(existsSync(path.join(dir, '-'))).toBe(false);
  });

  it('outside git, a writing run says that nothing can be checked before writing; --dry does not', () => {
    const dir = project(CHAIN);
    expect(unthread(dir, ['.', '--dry']).stderr).not.toContain('not in a git repository');
    const { code, stderr } = unthread(dir, ['.']);
    expect(code).toBe(0);
    expect(stderr).toMatch(/is not in a git repository, so nothing can be checked before writing.*--dry first/);
  });

  it('names a file that does not parse, leaves it alone and transforms the rest', () => {
    const broken = 'export function broken(requestId: string {\n  return requestId;\n}\n';
    const dir = project({ ...CHAIN, 'src/broken.ts': broken });
    const { code, stdout } = unthread(dir, ['.', '--no-verify']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Skipped src\/broken\.ts: does not parse \(line 1: ',' expected\.\); left unchanged/);
    expect(readFileSync(path.join(dir, 'src/broken.ts'), 'utf8')).toBe(broken);
    expect(readFileSync(path.join(dir, 'src/log.ts'), 'utf8')).toContain('export function log(message: string)');
  });

  it('bad input: a missing path, an unreadable tsconfig, an unknown option: exit 2, one line, nothing written', () => {
    const dir = project(CHAIN);
    const before = snapshot(dir);
    const missing = unthread(dir, ['no-such-dir']);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toContain('no-such-dir: no such file or folder');

    writeFileSync(path.join(dir, 'bad.json'), '{ "compilerOptions": ');
    const badConfig = unthread(dir, ['.', '--tsconfig', 'bad.json']);
    expect(badConfig.code).toBe(2);
    expect(badConfig.stderr).toMatch(/bad\.json: not a valid tsconfig/);
    rmSync(path.join(dir, 'bad.json'));

    const usage = unthread(dir, ['.', '--frobnicate']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("unknown option '--frobnicate'");
    expect(snapshot(dir)).toEqual(before);
  });

  it('a read-only file: exit 2 naming it, nothing written', () => {
    const dir = project(CHAIN);
    chmodSync(path.join(dir, 'src/app.ts'), 0o444);
    const before = snapshot(dir);
    const { code, stderr } = unthread(dir, ['.']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/src\/app\.ts: not writable/);
    expect(snapshot(dir)).toEqual(before);
  });

  it('verification: new type errors stop the write, exit 1, printed with the plan entries behind them', () => {
    const dir = project({
      'tsconfig.json': TSCONFIG,
      'src/types.ts': 'export interface Opts {\n  user: string;\n  requestId: string;\n}\n',
      'src/load.ts': "import type { Opts } from './types.js';\n\nexport function load({ user, requestId }: Opts): string {\n  return user + requestId;\n}\n",
      // Reads the key the interface is about to lose: the change would break this file.
      'src/peek.ts': "import type { Opts } from './types.js';\n\nexport const peek = (o: Opts): string => o.requestId;\n",
      'src/main.ts': "import { load } from './load.js';\n\nexport const main = (): string => load({ user: 'u', requestId: 'r' });\n",
    });
    const before = snapshot(dir);
    const { code, stderr } = unthread(dir, ['.']);
    expect(code).toBe(1);
    expect(stderr).toContain("src/peek.ts:3 TS2339: Property 'requestId' does not exist on type 'Opts'.");
    expect(stderr).toContain('nothing was written');
    expect(snapshot(dir)).toEqual(before);
    // Under --dry the diff that breaks the build is printed: it is what the user has to look at.
    const dry = unthread(dir, ['.', '--dry']);
    expect(dry.code).toBe(1);
    expect(dry.stdout).toContain('+++ b/src/types.ts');
    expect(dry.stdout).toContain('-  requestId: string;');
    expect(dry.stderr).toContain('TS2339');
  });

  it('verification: errors the project already had are not blamed on the change, which is written', () => {
    const dir = project({
      ...CHAIN,
      // An error in a file the codemod changes and one in a file it does not touch.
      'src/app.ts': CHAIN['src/app.ts'] + "\nexport const broken: number = 'x';\n",
      'src/old.ts': "export const stale: string = 1;\n",
    });
    const before = snapshot(dir);
    const { code, stderr } = unthread(dir, ['.']);
    expect(stderr).not.toContain('TS2322');
    expect(code).toBe(0);
    expect(snapshot(dir)).not.toEqual(before);
    expect(readFileSync(path.join(dir, 'src/log.ts'), 'utf8')).not.toContain('requestId: string,');
  });

  it('all or nothing: a failure after the first rename puts every file back and leaves no temporaries', () => {
    const dir = project(CHAIN);
    const before = snapshot(dir);
    const { code, stderr } = unthread(dir, ['.'], { UNTHREAD_FAIL_AFTER_RENAMES: '1' });
    expect(code).toBe(1);
    expect(stderr).toContain('simulated failure after 1 rename(s); nothing was written');
    expect(snapshot(dir)).toEqual(before);
  });
});
