import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createContext } from './context.js';
import { runInTest, TestRun } from './run-in-test.js';

const request = createContext<{ requestId: string; tenantId: string }>({ name: 'request' });

/** What code under test does: reads the context after real asynchronous work. */
async function handler(): Promise<string> {
  await sleep(1);
  return request.get('requestId');
}

describe('runInTest', () => {
  it('returns a synchronous body’s result as it is, run in the context', () => {
    const seen = runInTest(request, { requestId: 'sync' }, () => request.get('requestId'));
    expect(seen).toBe('sync');
    expect(request.tryGet('requestId')).toBeUndefined();
  });

  it('gives an async body’s result to the test that awaits it', async () => {
    const run = runInTest(request, { requestId: 'awaited', tenantId: 't' }, async () => ({
      id: await handler(),
      tenant: request.get('tenantId'),
    }));
    expect(run).toBeInstanceOf(TestRun);
    expect(await run).toEqual({ id: 'awaited', tenant: 't' });
  });

  it('hands a failing body’s error to the test', async () => {
    const failing = runInTest(request, { requestId: 'failing' }, async () => {
      await handler();
      throw new Error(`failed in ${request.get('requestId')}`);
    });
    await expect(failing).rejects.toThrow('failed in failing');
  });

  it('can be returned to the runner', () =>
    runInTest(request, { requestId: 'returned' }, async () => {
      expect(await handler()).toBe('returned');
    }));
});

describe('runInTest under a real test runner', () => {
  const packageRoot = fileURLToPath(new URL('..', import.meta.url));
  // Inside the package, so that `vitest` resolves; outside `src`, so the package's own run skips it;
  // under `.tmp`, which git and ESLint ignore should a crashed run leave it behind.
  mkdirSync(join(packageRoot, '.tmp'), { recursive: true });
  const dir = mkdtempSync(join(packageRoot, '.tmp', 'run-in-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const source = (body: string) => `
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it, vi } from 'vitest';
import { createContext, runInTest } from ${JSON.stringify(join(packageRoot, 'src/index.js'))};
const request = createContext({ name: 'request' });
const handler = async () => { await sleep(5); return request.get('requestId'); };
${body}
`;

  it('fails a test that forgets to await, passes one that does; a forgotten plain run() passes unnoticed', () => {
    writeFileSync(join(dir, 'vitest.config.mjs'), 'export default { test: { include: ["*.check.ts"] } };\n');
    writeFileSync(
      join(dir, 'awaits.check.ts'),
      source(`
it('awaits', async () => {
  await runInTest(request, { requestId: 'a' }, async () => expect(await handler()).toBe('a'));
});
it('returns', () => runInTest(request, { requestId: 'r' }, async () => expect(await handler()).toBe('r')));
`),
    );
    writeFileSync(
      join(dir, 'forgets.check.ts'),
      source(`
it('forgets', () => {
  runInTest(request, { requestId: 'f' }, async () => {
    await sleep(1_000);
    expect(request.get('requestId')).toBe('never');
  });
});
`),
    );
    writeFileSync(
      join(dir, 'forgets-under-fake-timers.check.ts'),
      source(`
it('forgets under fake timers', () => {
  vi.useFakeTimers();
  runInTest(request, { requestId: 'f' }, async () => expect(request.get('requestId')).toBe('never'));
  vi.useRealTimers();
});
`),
    );
    writeFileSync(
      join(dir, 'plain-run.check.ts'),
      source(`
it('forgets a plain run', () => {
  void request.run({ requestId: 'p' }, async () => {
    await sleep(1_000);
    expect(request.get('requestId')).toBe('never');
  });
});
`),
    );
    const vitest = fileURLToPath(import.meta.resolve('vitest/package.json').replace('package.json', 'vitest.mjs'));
    const report = join(dir, 'report.json');
    const result = spawnSync(
      process.execPath,
      [vitest, 'run', '--root', dir, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
      { encoding: 'utf8', timeout: 60_000 },
    );
    const output = result.stdout + result.stderr;
    expect(result.status, output).toBe(1);
    const json = JSON.parse(readFileSync(report, 'utf8')) as {
      testResults: { name: string; assertionResults: { title: string; status: string }[] }[];
    };
    const statuses = Object.fromEntries(
      json.testResults.flatMap((file) => file.assertionResults.map((test) => [test.title, test.status])),
    );
    // The runner marks the forgetting tests passed: the loud part is the uncaught error it reports.
    expect(statuses).toEqual({
      awaits: 'passed',
      returns: 'passed',
      forgets: 'passed',
      'forgets under fake timers': 'passed',
      'forgets a plain run': 'passed',
    });
    const reported = output.match(/runInTest\(request, \.\.\.\) was neither awaited nor returned/g) ?? [];
    expect(reported).toHaveLength(2);
    // The plain run's body, still waiting when its file ended, never failed anything.
    expect(output).not.toContain('Unhandled Rejection');
    expect(output).not.toContain("expected 'p'");
  });
});
