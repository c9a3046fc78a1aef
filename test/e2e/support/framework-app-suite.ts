// The end-to-end check shared by the framework fixture apps (fixtures/fastify-app, koa-app, hono-app, hapi-app):
// each is built once before and once after `unthread --param requestId`, both run under the same 500
// concurrent requests, and their log lines are compared per request id.
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adapterInstalls, runCallsIn } from './boundary.js';
import { runCodemod } from './codemod.js';
import { compileApp } from './compile.js';
import { problemsIn } from './expectations.js';
import { copyFixture, type FixtureCopy } from './fixture-copy.js';
import { planRequests } from './load.js';
import { runUnderLoad, type LoadRun } from './load-run.js';
import { shapesOfJobs } from './log-lines.js';
import { differencesBetweenRuns } from './run-differences.js';
import { describeRun } from './run-node.js';
import { parametersNamed } from './threaded-parameters.js';

/** One text edit of a built file of the untransformed app. */
export interface BuiltFileEdit {
  /** Under dist/, such as `store/batching-store.js`. */
  file: string;
  find: string;
  replaceWith: string;
}

export interface FrameworkApp {
  /** The folder under fixtures/, such as `fastify-app`. */
  fixture: string;
  /**
   * A field of the app's 'stopped' line that counts how much work of different requests one queue,
   * batch or tick carried together: above 1 proves the load reached the path where a context read
   * late would be another request's.
   */
  sharedWorkField: string;
  /**
   * The mistake a careless migration makes on that path, written into the untransformed app's build:
   * queued work logs under the id of the request that started the flush, not its own. The comparison
   * must report it, or its passing the codemod's output would prove nothing.
   */
  wrongId: BuiltFileEdit;
  /** What the codemod is to do at the framework's boundary. */
  boundary: {
    /** The adapter's entry point, such as `@unthread/context/fastify`. */
    adapterModule: string;
    /**
     * The files (under the app) of the route and error handlers, which run after the middleware that
     * sets the id and so inside the adapter's context. The middleware that sets the id is not among
     * them: it runs before the adapter, and what it logs under the id may keep a run() of its own.
     */
    handlerFiles: string[];
    /**
     * On: the transformed app installs the adapter exactly once and its handlers wrap no call in
     * `run()`. Off while the codemod still wraps each handler's calls, which is correct but not what
     * a maintainer would write.
     */
    adapterInstalledOnce: boolean;
  };
}

/** Declares the whole suite for one app; call it at the top level of a test file. */
export function describeFrameworkApp(app: FrameworkApp): void {
  const planned = planRequests(500);
  const copies: FixtureCopy[] = [];
  let before: { copy: FixtureCopy; run: LoadRun };

  /** A fresh copy of the app, changed by `prepare`, built by tsc; throws with tsc's output when it does not build. */
  async function builtCopy(label: string, prepare?: (copy: FixtureCopy) => Promise<void>): Promise<FixtureCopy> {
    const copy = await copyFixture(label, { fixture: app.fixture });
    copies.push(copy);
    await prepare?.(copy);
    const build = await compileApp(copy.dir);
    if (build.code !== 0) throw new Error(describeRun(`tsc on the ${label} copy of fixtures/${app.fixture}`, build));
    return copy;
  }

  beforeAll(async () => {
    const copy = await builtCopy('before');
    before = { copy, run: await runUnderLoad(copy.dir, planned) };
  });

  afterAll(async () => {
    await Promise.all(copies.map((copy) => copy.remove()));
  });

  describe(`fixtures/${app.fixture} before the transform`, () => {
    it('answers every request and logs its own lines under its own id, and none under another id', () => {
      expect(before.run.output.exitCode, before.run.output.stderr).toBe(0);
      expect(problemsIn(before.run, planned)).toEqual([]);
    });

    it('runs its jobs under ids of their own, and requests share queued work: the paths a transform can break', () => {
      expect(shapesOfJobs(before.run.groups, 'startup-')).toEqual(['warm-up started → kv get → warm-up finished']);
      // The first sweep finds the seeded drafts, the later ones nothing.
      expect(shapesOfJobs(before.run.groups, 'sweep-')).toEqual([
        'sweep started → kv scan → kv delete → kv delete → kv delete → sweep finished',
        'sweep started → kv scan → sweep finished',
      ]);
      const stopped = before.run.output.lines.find((line) => line.msg === 'stopped');
      expect(stopped?.[app.sharedWorkField]).toBeGreaterThan(1);
    });

    it('differs, in the comparison, from a build whose queued work logs under the id of the request that flushed it', async () => {
      const copy = await copyFixture('wrong-id', { fixture: app.fixture });
      copies.push(copy);
      // The untransformed build with one edit: no second tsc run.
      await cp(join(before.copy.dir, 'dist'), join(copy.dir, 'dist'), { recursive: true });
      const file = join(copy.dir, 'dist', app.wrongId.file);
      const built = await readFile(file, 'utf8');
      expect(built, `dist/${app.wrongId.file} no longer contains the line the fault rewrites`).toContain(app.wrongId.find);
      await writeFile(file, built.replace(app.wrongId.find, app.wrongId.replaceWith));

      const differences = differencesBetweenRuns(before.run, await runUnderLoad(copy.dir, planned), planned);
      expect(differences.length).toBeGreaterThan(10);
      expect(differences.some((difference) => / logged lines about (user|buyer)-\d+/.test(difference))).toBe(true);
    });
  });

  describe(`fixtures/${app.fixture} after \`unthread --param requestId\``, () => {
    let transformed: Promise<FixtureCopy> | undefined;

    /** A copy transformed by the codemod and built by tsc; made once, shared by the tests below. */
    function transformedCopy(): Promise<FixtureCopy> {
      transformed ??= builtCopy('after', async ({ dir }) => {
        const codemod = await runCodemod(dir);
        if (codemod.code !== 0) throw new Error(describeRun(`unthread on a copy of fixtures/${app.fixture}`, codemod));
      });
      return transformed;
    }

    it('strips every requestId parameter, and the result passes tsc', async () => {
      const copy = await transformedCopy();
      expect(await parametersNamed(join(copy.dir, 'src'), 'requestId')).toEqual([]);
    });

    it('logs the same lines under every request id as before, under the same 500 concurrent requests', async () => {
      const after = await runUnderLoad((await transformedCopy()).dir, planned);
      expect(after.output.exitCode, after.output.stderr).toBe(0);
      expect(differencesBetweenRuns(before.run, after, planned)).toEqual([]);
    });

    it.runIf(app.boundary.adapterInstalledOnce)(
      `installs ${app.boundary.adapterModule} once and wraps no call of its route handlers in run()`,
      async () => {
        const { dir } = await transformedCopy();
        expect(await adapterInstalls(join(dir, 'src'), app.boundary.adapterModule)).toHaveLength(1);
        expect(await runCallsIn(dir, app.boundary.handlerFiles)).toEqual([]);
      },
    );
  });
}
