// The codemod's promise on a real service: fixtures/express-app, before and after `unthread`, under the
// same 500 concurrent requests, writes the same log lines under every request id.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCodemod } from './support/codemod.js';
import { compileApp } from './support/compile.js';
import { problemsIn } from './support/expectations.js';
import { copyFixture, type FixtureCopy } from './support/fixture-copy.js';
import { keyOrdersByRequestId, logFieldsNamed } from './support/log-fields.js';
import { shapesOfJobs } from './support/log-lines.js';
import { planRequests } from './support/load.js';
import { runUnderLoad, type LoadRun } from './support/load-run.js';
import { differencesBetweenRuns } from './support/run-differences.js';
import { describeRun } from './support/run-node.js';
import { parametersNamed } from './support/threaded-parameters.js';

const planned = planRequests(500);
/** Where the transformed copy's `--json` report goes (outside src/, which the tests compare). */
const PLAN_FILE = 'unthread-plan.json';

const copies: FixtureCopy[] = [];
let before: LoadRun;

interface CopyOptions {
  /** A folder inside the fixture whose files replace src/. */
  sourcesFrom?: string;
  /** Changes the copy before it is built. */
  prepare?: (copy: FixtureCopy) => Promise<void>;
}

/** A fresh copy of the app, built by tsc; throws with tsc's output when it does not build. */
async function builtCopy(label: string, { sourcesFrom, prepare }: CopyOptions = {}): Promise<FixtureCopy> {
  const copy = await copyFixture(label, sourcesFrom === undefined ? {} : { sourcesFrom });
  copies.push(copy);
  await prepare?.(copy);
  const build = await compileApp(copy.dir);
  if (build.code !== 0) throw new Error(describeRun(`tsc on the ${label} copy of fixtures/express-app`, build));
  return copy;
}

/** How a run differs from the untransformed app's: per request id, per job kind, and in its own checks. */
function differencesFromBefore(after: LoadRun): string[] {
  return differencesBetweenRuns(before, after, planned);
}

beforeAll(async () => {
  before = await runUnderLoad((await builtCopy('before')).dir, planned);
});

afterAll(async () => {
  await Promise.all(copies.map((copy) => copy.remove()));
});

describe('fixtures/express-app before the transform', () => {
  it('logs every request under its own id, with its own lines only, and none under another id', () => {
    expect(before.output.exitCode, before.output.stderr).toBe(0);
    expect(problemsIn(before, planned)).toEqual([]);
  });

  it('runs its jobs under ids of their own and makes callbacks wait for pool connections, the paths a transform can break', () => {
    expect(shapesOfJobs(before.groups, 'startup-')).toEqual(['warm-up started → kv get → warm-up finished']);
    // The first sweep finds the seeded drafts, the later ones nothing.
    expect(shapesOfJobs(before.groups, 'sweep-')).toEqual([
      'sweep started → kv scan → kv delete → kv delete → kv delete → sweep finished',
      'sweep started → kv scan → sweep finished',
    ]);
    // Queued callbacks run from another caller's release(): where a context would be the releaser's.
    const stopped = before.output.lines.find((line) => line.msg === 'stopped');
    expect(stopped?.mostWaitingForConnection).toBeGreaterThan(1);
  });
});

describe('the comparison, on migrations made by hand', () => {
  it('finds nothing to report on a correct one (fixtures/express-app/migrated-by-hand)', async () => {
    const copy = await builtCopy('by-hand', { sourcesFrom: 'migrated-by-hand/src' });
    expect(await parametersNamed(join(copy.dir, 'src'), 'requestId')).toEqual([]);
    const run = await runUnderLoad(copy.dir, planned);
    expect(run.output.exitCode, run.output.stderr).toBe(0);
    expect(differencesFromBefore(run)).toEqual([]);
  });

  it("reports lines under the wrong id when a pool callback reads the context late, as dropping a closure's argument does", async () => {
    // The naive rewrite of KvClient: the callback queued in the pool no longer holds the id read at
    // entry, so it logs under the id of whichever request released the connection.
    const copy = await builtCopy('naive', {
      sourcesFrom: 'migrated-by-hand/src',
      prepare: async ({ dir }) => {
        const file = join(dir, 'src', 'db', 'kv-client.ts');
        const correct = await readFile(file, 'utf8');
        const naive = correct
          .replace("    const requestId = request.get('requestId');\n", '')
          .replace('request.run({ requestId }, () => logFor())', 'logFor()');
        expect(naive.length, 'the naive rewrite no longer matches kv-client.ts').toBeLessThan(correct.length - 60);
        await writeFile(file, naive);
      },
    });
    const differences = differencesFromBefore(await runUnderLoad(copy.dir, planned));
    expect(differences.length).toBeGreaterThan(10);
    expect(differences.some((difference) => / logged lines about (user|buyer)-\d+/.test(difference))).toBe(true);
  });
});

describe('fixtures/express-app after `unthread --param requestId`', () => {
  let transformed: Promise<FixtureCopy> | undefined;

  /** A copy transformed by the codemod and built by tsc; made once, shared by the tests below. */
  function transformedCopy(): Promise<FixtureCopy> {
    transformed ??= builtCopy('after', {
      prepare: async ({ dir }) => {
        const codemod = await runCodemod(dir, ['--json', PLAN_FILE]);
        if (codemod.code !== 0) throw new Error(describeRun('unthread on a copy of fixtures/express-app', codemod));
      },
    });
    return transformed;
  }

  it('strips every requestId parameter, and the result passes tsc', async () => {
    const copy = await transformedCopy();
    expect(await parametersNamed(join(copy.dir, 'src'), 'requestId')).toEqual([]);
  });

  it('sets the context once, right after the middleware that assigns the id, and says where; no route wraps a call in run()', async () => {
    const { dir } = await transformedCopy();
    const routes = await sourcesIn(join(dir, 'src', 'routes'));
    expect(Object.keys(routes).length).toBeGreaterThan(0);
    expect(Object.entries(routes).filter(([, text]) => text.includes('run(')).map(([file]) => file)).toEqual([]);
    const installs = Object.entries(await sourcesIn(join(dir, 'src'))).flatMap(([file, text]) =>
      text.split('\n').flatMap((line, i, lines) => (line.includes('requestContext(') ? [{ file, line: i + 1, text: line.trim(), previous: lines[i - 1]?.trim() }] : [])),
    );
    expect(installs.map(({ file, previous }) => ({ file, previous }))).toEqual([{ file: 'app.ts', previous: 'app.use(assignRequestId);' }]);
    const plan = JSON.parse(await readFile(join(dir, PLAN_FILE), 'utf8')) as { boundary?: { installs: unknown[] } };
    expect(plan.boundary?.installs).toEqual([{ file: 'src/app.ts', line: installs[0]!.line, framework: 'express', statement: installs[0]!.text }]);
  });

  it('logs the same lines under every request id as before, under the same 500 concurrent requests', async () => {
    const after = await runUnderLoad((await transformedCopy()).dir, planned);
    expect(after.output.exitCode, after.output.stderr).toBe(0);
    expect(differencesFromBefore(after)).toEqual([]);
  });

  it('leaves no requestId field in its log calls: the logger writes it from the context, in the same place in every line', async () => {
    const { dir } = await transformedCopy();
    expect(await logFieldsNamed(join(dir, 'src'), 'requestId')).toEqual([]);
    const after = await runUnderLoad(dir, planned);
    const [was, is] = [keyOrdersByRequestId(before.output.lines), keyOrdersByRequestId(after.output.lines)];
    const ids = planned.map((spec) => spec.id);
    expect(ids.filter((id) => (was.get(id) ?? []).join('\n') !== (is.get(id) ?? []).join('\n'))).toEqual([]);
  });

  it('changes nothing when run a second time', async () => {
    const { dir } = await transformedCopy();
    const once = await sourcesIn(join(dir, 'src'));
    const again = await runCodemod(dir);
    expect(again.code, describeRun('the second unthread run', again)).toBe(0);
    expect(await sourcesIn(join(dir, 'src'))).toEqual(once);
  });
});

/** Every file under `dir` with its text, by relative path. */
async function sourcesIn(dir: string): Promise<Record<string, string>> {
  const files = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());
  const paths = files.map((entry) => join(entry.parentPath, entry.name));
  return Object.fromEntries(await Promise.all(paths.map(async (path) => [relative(dir, path), await readFile(path, 'utf8')] as const)));
}
