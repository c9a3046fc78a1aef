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
  describe('no-unsafe-enter-with, in listeners and exit()', () => {
    it('enterWith in a listener reaches the later listeners, the emit() caller and its timers; run() does not', async () => {
      const report = await runProgram<{
        flagged: Record<'laterListener' | 'emitCaller' | 'callerTimer', string | null>;
        suggested: Record<'insideRun' | 'laterListener' | 'emitCaller', string | null>;
        afterExit: string | null;
      }>(runtime, 'enter-with-in-listener.mjs');
      expect(report.flagged).toEqual({ laterListener: 'listener', emitCaller: 'listener', callerTimer: 'listener' });
      expect(report.suggested).toEqual({ insideRun: 'listener', laterListener: 'caller', emitCaller: 'caller' });
    });

    const leaksOutOfExit = runtime.implementation === 'async_hooks';
    it(`enterWith inside exit() ${leaksOutOfExit ? 'leaks out of it' : 'stays inside it'} on ${runtime.implementation}`, async () => {
      const report = await runProgram<{ afterExit: string | null }>(runtime, 'enter-with-in-listener.mjs');
      expect(report.afterExit).toBe(leaksOutOfExit ? 'inside exit' : 'caller');
    });
  });

  describe('no-shared-store, servers', () => {
    it('a server started inside run() or after a top-level enterWith gives every request that one store', async () => {
      const report = await runProgram<Record<'insideRun' | 'perRequest' | 'afterEnterWith', unknown[]>>(
        runtime,
        'listen-in-context.mjs',
      );
      expect(report.insideRun).toEqual([{ startedBy: 'run' }, { startedBy: 'run' }]);
      expect(report.afterEnterWith).toEqual([{ startedBy: 'enterWith' }, { startedBy: 'enterWith' }]);
      expect(report.perRequest).toEqual([{ requestId: 'r1' }, { requestId: 'r2' }]);
    });
  });

  describe('no-long-lived-resource-in-run, no-large-store', () => {
    it('an interval started inside run() keeps the store alive until it is cleared; started in exit(), it does not', async () => {
      const report = await runProgram<Record<'insideRun' | 'insideExit', Record<'whileTimerLives' | 'afterClear', boolean>>>(
        runtime,
        'store-lifetime.mjs',
      );
      expect(report.insideRun).toEqual({ whileTimerLives: true, afterClear: false });
      expect(report.insideExit).toEqual({ whileTimerLives: false, afterClear: false });
    });
  });

  describe('no-storage-per-call', () => {
    it('an instance made per call stays alive until disable(), and live instances slow every later run()', async () => {
      const report = await runProgram<{ surviving: boolean; survivingAfterDisable: boolean; slowdown: number }>(
        runtime,
        'storage-per-call.mjs',
      );
      expect(report.surviving).toBe(true);
      expect(report.survivingAfterDisable).toBe(false);
      // The ratio is printed for the rule's page; asserted only as "slower", never as a number.
      expect(report.slowdown).toBeGreaterThan(1);
    });
  });

  describe('no-floating-run', () => {
    it('a floating run() rejects unhandled, past the caller’s try; an awaited one is caught', async () => {
      const report = await runProgram<{ flagged: string; suggested: string; unhandled: string[] }>(runtime, 'floating-run.mjs');
      expect(report).toMatchObject({
        flagged: 'not caught',
        suggested: 'job awaited failed',
        unhandled: ['job floating failed'],
      });
    });
  });

  describe('no-disable-in-request', () => {
    const global = runtime.implementation === 'async_hooks';
    it(`disable() in one request ${global ? 'also empties a concurrent request’s store' : 'leaves a concurrent request its store'} on ${runtime.implementation}`, async () => {
      const report = await runProgram<Record<'caller' | 'other', string | null>>(runtime, 'disable.mjs');
      expect(report).toMatchObject({ caller: null, other: global ? null : 'B' });
    });
  });

  describe('no-threaded-context', () => {
    it('the store follows promises, timers, nextTick, fs, dns, crypto and zlib, but not into a worker', async () => {
      const report = await runProgram<{ apis: Record<string, string | null>; worker: unknown }>(runtime, 'propagation.mjs');
      expect(Object.keys(report.apis)).toHaveLength(11);
      for (const seen of Object.values(report.apis)) expect(seen).toBe('r1');
      expect(report.worker).toBeNull();
    });
  });

  describe('no-unbound-callback, thenables and streams', () => {
    const pipelineKeepsCaller = runtime.major >= 24;
    it(`thenable.then(cb) and stream listeners run in the resolver's or writer's context; await and for await keep the caller's; pipeline's callback the ${pipelineKeepsCaller ? "caller's" : "writer's"}`, async () => {
      const report = await runProgram<{
        thenables: Record<'then' | 'await', string | null>;
        streams: Record<'data' | 'end' | 'forAwait' | 'pipeline', string | null>;
      }>(runtime, 'thenable-and-streams.mjs');
      expect(report.thenables).toEqual({ then: 'resolver', await: 'caller' });
      expect(report.streams).toEqual({
        data: 'writer',
        end: 'writer',
        forAwait: 'reader',
        pipeline: pipelineKeepsCaller ? 'reader' : 'writer',
      });
    });
  });

  describe('require-store-guard', () => {
    it('getStore().x throws a TypeError outside run(), also in a timer started outside; ?. does not', async () => {
      const report = await runProgram<Record<string, unknown>>(runtime, 'store-outside-run.mjs');
      expect(report).toMatchObject({
        outsideRun: { flagged: { error: 'TypeError' }, guarded: { value: null } },
        insideRun: { value: 'u1' },
        timerStartedOutside: { value: null },
      });
    });
  });

  describe('no-unsupported-storage-api', () => {
    const supported = runtime.major >= 24;
    it(`the constructor options ${supported ? 'take effect' : 'are ignored'} and withScope ${supported ? 'exists' : 'is missing'} on Node ${runtime.major}`, async () => {
      const report = await runProgram<Record<'defaultValue' | 'name', string | null> & { hasWithScope: boolean }>(
        runtime,
        'storage-api-versions.mjs',
      );
      expect(report).toMatchObject(
        supported
          ? { defaultValue: 'anonymous', name: 'request', hasWithScope: true }
          : { defaultValue: null, name: null, hasWithScope: false },
      );
    });
  });
});
