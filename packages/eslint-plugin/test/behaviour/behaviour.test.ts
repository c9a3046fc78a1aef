/**
 * The rules' headline cases, proven on the runtimes they warn about: each program runs the code a
 * rule flags and the code it suggests, and reports what every request or caller really saw.
 */
import { describe, expect, it } from 'vitest';
import { runProgram, runtimes, type Runtime } from './runtimes.js';

interface CallerStore {
  beforeAwait: string | null;
  afterAwait: string | null;
}
interface Inherited {
  first: string | null;
  second: string | null;
  sockets: number;
}
type SeenByListeners = Record<'flagged' | 'asyncLocalStorageBind' | 'asyncResourceBind' | 'snapshot', string | null>;
type SeenByRequests = Record<'A' | 'B' | 'C', string | null>;
interface ReadBack {
  mismatched: number;
  readBack: string[];
}

const ownStores = { A: 'A', B: 'B', C: 'C' };
const registrationContext = {
  asyncLocalStorageBind: 'registering',
  asyncResourceBind: 'registering',
  snapshot: 'registering',
};

describe.each(runtimes)('$name', (runtime: Runtime) => {
  it('runs the binary it claims to', async () => {
    const { node } = await runProgram<object>(runtime, 'enter-with-before-await.mjs');
    expect(Number(node.split('.')[0])).toBe(runtime.major);
  });

  describe('no-unsafe-enter-with', () => {
    it('enterWith before the first await leaks into the caller, past its await; run() does not', async () => {
      const report = await runProgram<Record<'flagged' | 'suggested' | 'afterFirstAwait', CallerStore>>(
        runtime,
        'enter-with-before-await.mjs',
      );
      expect(report.flagged).toEqual({ beforeAwait: 'callee', afterAwait: 'callee' });
      expect(report.suggested).toEqual({ beforeAwait: 'caller', afterAwait: 'caller' });
      expect(report.afterFirstAwait).toEqual({ beforeAwait: 'caller', afterAwait: 'caller' });
    });

    const leaks = runtime.implementation === 'async_hooks';
    it(`enterWith in a keep-alive handler ${leaks ? 'leaks' : 'does not leak'} to the next request on ${runtime.implementation}; run() never does`, async () => {
      const report = await runProgram<Record<'flagged' | 'suggested', Inherited>>(runtime, 'enter-with-keep-alive.mjs');
      expect(report.flagged).toEqual({ first: null, second: leaks ? 'first' : null, sockets: 1 });
      expect(report.suggested).toEqual({ first: null, second: null, sockets: 1 });
    });
  });

  describe('no-unbound-callback', () => {
    it('a listener added inside run() sees the emitter’s context; bound forms keep the registration context', async () => {
      const report = await runProgram<{
        emittedInOtherRun: SeenByListeners;
        emittedOutsideAnyRun: SeenByListeners;
        post: Record<'flagged' | 'suggested', string | null>;
      }>(runtime, 'listener-in-run.mjs');
      expect(report.emittedInOtherRun).toEqual({ flagged: 'emitting', ...registrationContext });
      expect(report.emittedOutsideAnyRun).toEqual({ flagged: null, ...registrationContext });
      expect(report.post).toEqual({ flagged: null, suggested: 'post-1' });
    });

    it('a pool runs B’s and C’s queued callbacks in A’s store; binding at enqueue time or promisify does not', async () => {
      const report = await runProgram<Record<'flagged' | 'suggested' | 'promisified', SeenByRequests>>(
        runtime,
        'callback-pool.mjs',
      );
      expect(report.flagged).toEqual({ A: 'A', B: 'A', C: 'A' });
      expect(report.suggested).toEqual(ownStores);
      expect(report.promisified).toEqual(ownStores);
    });
  });

  describe('no-shared-store', () => {
    it('one module-level store, or run-if-missing after a startup enterWith, mixes concurrent requests', async () => {
      const report = await runProgram<Record<'flagged' | 'runIfMissing' | 'runIfMissingWithoutRoot' | 'suggested', ReadBack>>(
        runtime,
        'shared-store.mjs',
      );
      const ownIds = ['request-0', 'request-1', 'request-2'];
      for (const shared of [report.flagged, report.runIfMissing]) {
        // Every request reads the id the last one wrote.
        expect(new Set(shared.readBack).size).toBe(1);
        expect(shared.mismatched).toBe(2);
      }
      expect(report.runIfMissingWithoutRoot).toEqual({ mismatched: 0, readBack: ownIds });
      expect(report.suggested).toEqual({ mismatched: 0, readBack: ownIds });
    });
  });

  describe('no-shared-request-state', () => {
    it('100 concurrent Express requests send one id downstream through a module-level variable; the request context keeps all 100 apart', async () => {
      const report = await runProgram<Record<'flagged' | 'suggested', { requests: number; crossed: number; distinct: number }>>(
        runtime,
        'request-state.mjs',
      );
      // All requests are in flight before any reads: the last writer's id goes out for all of them.
      expect(report.flagged).toEqual({ requests: 100, crossed: 99, distinct: 1 });
      expect(report.suggested).toEqual({ requests: 100, crossed: 0, distinct: 100 });
    });
  });
});
