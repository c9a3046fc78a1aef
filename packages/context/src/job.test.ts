import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createContext, fields, runJob } from './index.js';
import { pinoMixin } from './pino.js';

const request = createContext<{ requestId: string; tenantId: string }>({ name: 'request' });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('runJob', () => {
  it('runs in a fresh store with a generated id, not inheriting the request that scheduled it', async () => {
    const seen = await request.run({ requestId: 'req-1', tenantId: 't-1' }, () =>
      runJob(request, async () => {
        await sleep(1);
        return request.all();
      }),
    );
    expect(Object.keys(seen)).toEqual(['requestId']);
    expect(seen.requestId).toMatch(UUID);
  });

  it('each job gets its own id; id, key and extra values can be given', () => {
    const ids = [1, 2, 3].map(() => runJob(request, () => request.get('requestId')));
    expect(new Set(ids).size).toBe(3);
    const store = runJob(request, () => request.all(), { id: 'nightly-42', values: { tenantId: 't-9' } });
    expect(store).toEqual({ requestId: 'nightly-42', tenantId: 't-9' });
    const jobs = createContext<{ jobId: string }>({ name: 'jobs' });
    expect(runJob(jobs, () => jobs.get('jobId'), { key: 'jobId', id: 'j-1' })).toBe('j-1');
  });

  it('refuses a context not made by createContext', () => {
    const fake = { ...request, name: 'fake' };
    expect(() => runJob(fake, () => undefined)).toThrow('runFresh: fake was not made by createContext');
  });
});

describe('fields', () => {
  it('merges the stores of the given contexts into a plain, mutable object', () => {
    const trace = createContext<{ traceId: string }>({ name: 'trace' });
    expect(fields(request, trace)).toEqual({});
    request.run({ requestId: 'r', tenantId: 't' }, () =>
      trace.run({ traceId: 'x' }, () => {
        const merged = fields(request, trace);
        expect(merged).toEqual({ requestId: 'r', tenantId: 't', traceId: 'x' });
        expect(Object.isFrozen(fields(request))).toBe(false);
      }),
    );
  });
});

describe('pinoMixin', () => {
  it('adds the context keys to every line; a key passed to the log call wins', async () => {
    const lines: Record<string, unknown>[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    const logger = pino({ mixin: pinoMixin(request), base: null, timestamp: false }, destination);
    logger.info('outside');
    await request.run({ requestId: 'r-1', tenantId: 't-1' }, async () => {
      await sleep(1);
      logger.info('inside');
      logger.info({ tenantId: 'explicit' }, 'override');
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toEqual([
      { level: 30, msg: 'outside' },
      { level: 30, requestId: 'r-1', tenantId: 't-1', msg: 'inside' },
      { level: 30, requestId: 'r-1', tenantId: 'explicit', msg: 'override' },
    ]);
  });

  it('needs at least one context', () => {
    expect(() => pinoMixin()).toThrow('pass at least one context');
  });
});
