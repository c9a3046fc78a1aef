import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { createContext, MissingContextError } from './index.js';

interface RequestValues {
  requestId: string;
  tenantId?: string;
}

const request = createContext<RequestValues>({ name: 'request' });

describe('createContext', () => {
  it('refuses a context without a name, since every error message names it', () => {
    expect(() => createContext({ name: '' })).toThrow(/name must be a non-empty string/);
  });

  it('get outside any run throws MissingContextError naming the context, the key and the fix', () => {
    let caught: unknown;
    try {
      request.get('requestId');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(MissingContextError);
    const error = caught as MissingContextError;
    expect(error.contextName).toBe('request');
    expect(error.key).toBe('requestId');
    expect(error.message).toContain('Missing "requestId" in context "request"');
    expect(error.message).toContain('no request.run(...) is active here');
    expect(error.message).toContain('request.run({ requestId }, () => ...)');
  });

  it('get inside a run that did not set the key says so', () => {
    request.run({ requestId: 'r-1' }, () => {
      expect(() => request.get('tenantId')).toThrow('the active request.run(...) did not set it');
    });
  });

  it('tryGet returns undefined outside a run and the value inside', () => {
    expect(request.tryGet('requestId')).toBeUndefined();
    request.run({ requestId: 'r-2' }, () => {
      expect(request.tryGet('requestId')).toBe('r-2');
      expect(request.tryGet('tenantId')).toBeUndefined();
    });
  });

  it('returns what fn returns, a promise included, and rejects as fn rejects', async () => {
    expect(request.run({ requestId: 'a' }, () => 42)).toBe(42);
    await expect(request.run({ requestId: 'b' }, async () => {
      await sleep(1);
      return request.get('requestId');
    })).resolves.toBe('b');
    await expect(request.run({ requestId: 'c' }, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  });

  it('stores are frozen, and the caller’s values object is neither frozen nor kept', () => {
    const values = { requestId: 'r-3' };
    request.run(values, () => {
      const store = request.all();
      expect(Object.isFrozen(store)).toBe(true);
      expect(() => {
        (store as { requestId?: string }).requestId = 'changed';
      }).toThrow(TypeError);
      values.requestId = 'mutated-after';
      expect(request.get('requestId')).toBe('r-3');
    });
    expect(Object.isFrozen(values)).toBe(false);
  });

  it('a nested run overrides keys for its own subtree only and keeps the rest', async () => {
    const seen: string[] = [];
    await request.run({ requestId: 'outer', tenantId: 't-1' }, async () => {
      const inner = request.run({ requestId: 'inner' }, async () => {
        await sleep(5);
        seen.push(`${request.get('requestId')}/${request.tryGet('tenantId')}`);
      });
      await sleep(1);
      seen.push(`${request.get('requestId')}/${request.tryGet('tenantId')}`);
      await inner;
      seen.push(`${request.get('requestId')}/${request.tryGet('tenantId')}`);
    });
    expect(seen).toEqual(['outer/t-1', 'inner/t-1', 'outer/t-1']);
    expect(request.tryGet('requestId')).toBeUndefined();
  });

  it('all() is an empty frozen object outside a run and the current store inside', () => {
    expect(request.all()).toEqual({});
    expect(Object.isFrozen(request.all())).toBe(true);
    request.run({ requestId: 'r-4', tenantId: 't-4' }, () => {
      expect(request.all()).toEqual({ requestId: 'r-4', tenantId: 't-4' });
    });
  });

  it('two contexts are independent', () => {
    const tenant = createContext<{ tenantId: string }>({ name: 'tenant' });
    request.run({ requestId: 'r-5' }, () => {
      expect(tenant.tryGet('tenantId')).toBeUndefined();
      tenant.run({ tenantId: 't-5' }, () => {
        expect(request.get('requestId')).toBe('r-5');
        expect(tenant.get('tenantId')).toBe('t-5');
      });
    });
  });

  it('bind keeps the store current at bind time, wherever and whenever the function is called', async () => {
    const bound = request.run({ requestId: 'bound' }, () =>
      request.bind((suffix: string) => `${request.get('requestId')}-${suffix}`),
    );
    expect(bound('now')).toBe('bound-now');
    expect(request.run({ requestId: 'other' }, () => bound('inside-other'))).toBe('bound-inside-other');
    await sleep(1);
    expect(bound('later')).toBe('bound-later');
  });

  it('bind outside any run makes the function run outside any run, even when called inside one', () => {
    const unbound = request.bind(() => request.tryGet('requestId'));
    expect(request.run({ requestId: 'caller' }, unbound)).toBeUndefined();
  });

  it('a run inside a function bound outside any run starts from no store, and the caller gets its own back', () => {
    // A function bound outside any run runs in no store: a run inside it must not see the caller's
    // keys, and leaving it must give the caller its own store back.
    const unbound = request.bind(() =>
      request.run({ tenantId: 't-inner' }, () => [request.tryGet('requestId'), request.get('tenantId')]),
    );
    request.run({ requestId: 'caller' }, () => {
      expect(unbound()).toEqual([undefined, 't-inner']);
      expect(request.all()).toEqual({ requestId: 'caller' });
    });
    expect(request.tryGet('tenantId')).toBeUndefined();
  });

  it('bind keeps `this` and arguments', () => {
    const target = {
      prefix: 'p',
      describe: request.run({ requestId: 'r-6' }, () =>
        request.bind(function (this: { prefix: string }, n: number) {
          return `${this.prefix}:${n}:${request.get('requestId')}`;
        }),
      ),
    };
    expect(target.describe(7)).toBe('p:7:r-6');
  });

  it('keeps each of many interleaved runs apart', async () => {
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        request.run({ requestId: `id-${i}` }, async () => {
          await sleep(Math.floor(Math.random() * 5));
          await Promise.resolve();
          return request.get('requestId');
        }),
      ),
    );
    expect(results).toEqual(Array.from({ length: 200 }, (_, i) => `id-${i}`));
  });

  it('types: get is typed by the key, unknown keys do not compile', () => {
    request.run({ requestId: 'typed' }, () => {
      expectTypeOf(request.get('requestId')).toEqualTypeOf<string>();
      expectTypeOf(request.tryGet('tenantId')).toEqualTypeOf<string | undefined>();
      // Optional keys: get never returns undefined (it throws instead), so its type drops it.
      expectTypeOf<ReturnType<typeof request.get<'tenantId'>>>().toEqualTypeOf<string>();
      // @ts-expect-error: not a key of the context
      expect(() => request.tryGet('userId')).not.toThrow();
    });
    // @ts-expect-error: a value of the wrong type for the key
    expect(() => request.run({ requestId: 1 }, () => undefined)).not.toThrow();
    expectTypeOf(request.all()).toEqualTypeOf<Readonly<Partial<RequestValues>>>();
  });
});
