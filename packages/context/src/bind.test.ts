import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { bindCallback, bindEmitter, createContext, snapshot } from './index.js';
import { CallbackPool } from './test/callback-pool.js';

const request = createContext<{ requestId: string }>({ name: 'request' });
const trace = createContext<{ traceId: string }>({ name: 'trace' });

describe('bindCallback', () => {
  /** Three requests take turns on a one-slot pool; each reports the id its pool callback saw. */
  function throughPool(wrap: (callback: () => void) => () => void): Promise<(string | undefined)[]> {
    const pool = new CallbackPool(1);
    return Promise.all(
      ['a', 'b', 'c'].map((id) =>
        request.run({ requestId: id }, async () => {
          await sleep(1);
          return new Promise<string | undefined>((resolve) => {
            pool.acquire(
              wrap(() => {
                const seen = request.tryGet('requestId');
                setTimeout(() => {
                  pool.release();
                  resolve(seen);
                }, 2);
              }),
            );
          });
        }),
      ),
    );
  }

  it('a queued callback runs in the context of its caller, not of whoever released the pool', async () => {
    // Unbound, the queued callbacks run from the first holder's release: all see 'a' (asserted here,
    // on Node 20 and 24, as the eslint plugin's behaviour program callback-pool.mjs does over HTTP).
    expect(await throughPool((callback) => callback)).toEqual(['a', 'a', 'a']);
    expect(await throughPool(bindCallback)).toEqual(['a', 'b', 'c']);
  });

  it('captures every context, also ones it knows nothing of', () => {
    const fn = request.run({ requestId: 'r' }, () =>
      trace.run({ traceId: 't' }, () => bindCallback(() => `${request.tryGet('requestId')}/${trace.tryGet('traceId')}`)),
    );
    expect(fn()).toBe('r/t');
  });

  it('rejects a non-function with a clear error', () => {
    expect(() => bindCallback(undefined as unknown as () => void)).toThrow('bindCallback(fn): fn must be a function.');
  });
});

describe('snapshot', () => {
  it('restores every context captured, for any function, with its arguments', async () => {
    const run = request.run({ requestId: 'snap' }, () => trace.run({ traceId: 'trace-1' }, () => snapshot()));
    await sleep(1);
    expect(run((a: number, b: number) => `${request.get('requestId')}:${trace.get('traceId')}:${a + b}`, 1, 2)).toBe(
      'snap:trace-1:3',
    );
    expect(request.tryGet('requestId')).toBeUndefined();
  });
});

describe('bindEmitter', () => {
  it('unbound, a listener runs in the context of emit(); bound, in the context it was added in', () => {
    const plain = new EventEmitter();
    const bound = bindEmitter(new EventEmitter());
    const seen: Record<string, string | undefined> = {};
    request.run({ requestId: 'adder' }, () => {
      plain.on('ping', () => (seen.plain = request.tryGet('requestId')));
      bound.on('ping', () => (seen.bound = request.tryGet('requestId')));
    });
    request.run({ requestId: 'emitter' }, () => {
      plain.emit('ping');
      bound.emit('ping');
    });
    expect(seen).toEqual({ plain: 'emitter', bound: 'adder' });
  });

  it('binds every way of adding a listener and passes arguments and `this`', () => {
    const emitter = bindEmitter(new EventEmitter());
    const seen: string[] = [];
    request.run({ requestId: 'r' }, () => {
      for (const method of ['on', 'addListener', 'once', 'prependListener', 'prependOnceListener'] as const) {
        emitter[method]('e', function (this: EventEmitter, value: number) {
          seen.push(`${method}:${request.tryGet('requestId')}:${value}:${this === emitter}`);
        });
      }
    });
    emitter.emit('e', 1);
    emitter.emit('e', 2);
    expect(seen.sort()).toEqual([
      'addListener:r:1:true',
      'addListener:r:2:true',
      'on:r:1:true',
      'on:r:2:true',
      'once:r:1:true',
      'prependListener:r:1:true',
      'prependListener:r:2:true',
      'prependOnceListener:r:1:true',
    ]);
  });

  it('removing the listener the user passed removes its registration, once-listeners included', () => {
    const emitter = bindEmitter(new EventEmitter());
    let calls = 0;
    const listener = () => calls++;
    request.run({ requestId: 'r' }, () => {
      emitter.on('a', listener);
      emitter.once('b', listener);
      emitter.on('c', listener);
      emitter.on('c', listener);
    });
    emitter.off('a', listener);
    emitter.removeListener('b', listener);
    emitter.removeListener('c', listener);
    emitter.emit('a');
    emitter.emit('b');
    emitter.emit('c');
    expect(calls).toBe(1);
    expect(emitter.listenerCount('a') + emitter.listenerCount('b') + emitter.listenerCount('c')).toBe(1);
  });

  it('listeners() lists the functions the user added, as it does for once-listeners', () => {
    const emitter = bindEmitter(new EventEmitter(), request);
    const first = () => undefined;
    const second = () => undefined;
    request.run({ requestId: 'r' }, () => emitter.on('e', first).once('e', second));
    expect(emitter.listeners('e')).toEqual([first, second]);
    expect(emitter.rawListeners('e')).not.toContain(first);
  });

  it('binding twice does not wrap twice, and the emitter is returned for chaining', () => {
    const emitter = new EventEmitter();
    expect(bindEmitter(bindEmitter(emitter))).toBe(emitter);
    const listener = () => undefined;
    emitter.on('x', listener);
    emitter.off('x', listener);
    expect(emitter.listenerCount('x')).toBe(0);
  });

  it('named contexts: only those are restored, which is what the adapters use', () => {
    const emitter = bindEmitter(new EventEmitter(), request);
    let seen = '';
    request.run({ requestId: 'added' }, () =>
      trace.run({ traceId: 'added-trace' }, () =>
        emitter.on('e', () => (seen = `${request.tryGet('requestId')}/${trace.tryGet('traceId')}`)),
      ),
    );
    request.run({ requestId: 'emitted' }, () => trace.run({ traceId: 'emitted-trace' }, () => emitter.emit('e')));
    expect(seen).toBe('added/emitted-trace');
  });

  it('binding again with another context adds it; binding again with the same changes nothing', () => {
    const emitter = bindEmitter(bindEmitter(bindEmitter(new EventEmitter(), request), request), trace);
    const seen: string[] = [];
    const listener = () => seen.push(`${request.tryGet('requestId')}/${trace.tryGet('traceId')}`);
    request.run({ requestId: 'r' }, () => trace.run({ traceId: 't' }, () => emitter.on('e', listener)));
    emitter.emit('e');
    emitter.off('e', listener);
    emitter.emit('e');
    expect(seen).toEqual(['r/t']);
  });

  it('keeps the emitter what it was: its class, its own methods, its other properties', () => {
    class Channel extends EventEmitter {
      readonly label = 'c';
      describe() {
        return `channel ${this.label}`;
      }
    }
    const channel = bindEmitter(new Channel(), request);
    expect(channel).toBeInstanceOf(Channel);
    expect(channel.describe()).toBe('channel c');
    expect(Object.keys(channel)).toEqual(Object.keys(new Channel()));
  });

  it('a prototype set later (Express does, entering a mounted sub-app) keeps the binding', () => {
    class SubAppRequest extends EventEmitter {}
    const emitter = bindEmitter(new EventEmitter(), request);
    Object.setPrototypeOf(emitter, Object.create(SubAppRequest.prototype) as object);
    let seen: string | undefined;
    request.run({ requestId: 'added' }, () => emitter.on('e', () => (seen = request.tryGet('requestId'))));
    emitter.emit('e');
    expect(seen).toBe('added');
  });

  it('changes nothing on the emitter: same prototype, no properties added; unbound emitters are untouched', () => {
    class Channel extends EventEmitter {}
    const bound = new Channel();
    const prototype = Object.getPrototypeOf(bound) as object;
    const ownBefore = Reflect.ownKeys(bound);
    bindEmitter(bound, request, trace);
    expect(Object.getPrototypeOf(bound)).toBe(prototype);
    expect(Reflect.ownKeys(bound)).toEqual(ownBefore);

    const unbound = new Channel();
    let seen: string | undefined = 'not called';
    request.run({ requestId: 'added' }, () => unbound.on('e', () => (seen = request.tryGet('requestId'))));
    unbound.emit('e');
    expect(seen).toBeUndefined();
  });

  it('a non-extensible emitter is bound too, and keeps its keys', () => {
    const emitter = Object.preventExtensions(new EventEmitter());
    const ownBefore = Reflect.ownKeys(emitter);
    bindEmitter(emitter, request);
    const seen: (string | undefined)[] = [];
    const listener = () => seen.push(request.tryGet('requestId'));
    request.run({ requestId: 'added' }, () => emitter.on('e', listener));
    request.run({ requestId: 'emitted' }, () => emitter.emit('e'));
    emitter.off('e', listener);
    expect(seen).toEqual(['added']);
    expect(emitter.listenerCount('e')).toBe(0);
    expect(Reflect.ownKeys(emitter)).toEqual(ownBefore);
  });

  it('an emitter with listener methods of its own, or a frozen class, is bound too', () => {
    class Frozen extends EventEmitter {}
    Object.freeze(Frozen.prototype);
    const frozen = new Frozen();
    const own = new EventEmitter();
    own.on = own.on.bind(own);
    const seen: (string | undefined)[] = [];
    for (const emitter of [frozen, own]) {
      bindEmitter(emitter, request);
      request.run({ requestId: 'added' }, () => emitter.on('e', () => seen.push(request.tryGet('requestId'))));
      emitter.emit('e');
    }
    expect(seen).toEqual(['added', 'added']);
  });

  it('a subclass bound after its base class wraps each listener once', () => {
    class Base extends EventEmitter {}
    class Derived extends Base {}
    bindEmitter(new Base(), request);
    const derived = bindEmitter(new Derived(), request);
    let wraps = 0;
    const counting = createContext<{ requestId: string }>({ name: 'counting' });
    const bindOnce = counting.bind.bind(counting);
    bindEmitter(derived, { bind: (fn) => (wraps++, bindOnce(fn)) });
    const listener = () => undefined;
    request.run({ requestId: 'r' }, () => derived.on('e', listener));
    expect(wraps).toBe(1);
    expect(derived.rawListeners('e')).toHaveLength(1);
    derived.off('e', listener);
    expect(derived.listenerCount('e')).toBe(0);
  });

  it('listeners added later in different contexts each keep their own', () => {
    const emitter = bindEmitter(new EventEmitter());
    const seen: (string | undefined)[] = [];
    for (const id of ['one', 'two']) {
      request.run({ requestId: id }, () => emitter.on('e', () => seen.push(request.tryGet('requestId'))));
    }
    emitter.on('e', () => seen.push(request.tryGet('requestId')));
    request.run({ requestId: 'emit' }, () => emitter.emit('e'));
    expect(seen).toEqual(['one', 'two', undefined]);
  });
});
