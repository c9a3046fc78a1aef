import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createContext, storageOf, storeToEnter } from './context.js';
import { hasListeners, objectStores } from './object-store.js';

const request = createContext<{ requestId: string }>({ name: 'request' });
const trace = createContext<{ traceId: string }>({ name: 'trace' });

function storesOf(context: object) {
  const storage = storageOf(context);
  if (storage === undefined) throw new Error('not a context from createContext');
  return { storage, stores: objectStores(storage) };
}

/** An emitter class of its own per test, so a patch made by one test is not what the next one checks. */
function emitterClass() {
  return class Probe extends EventEmitter {};
}

describe('objectStores', () => {
  it("runs a patched method in the store of the object it is called on, and others' in the caller's", () => {
    const { storage, stores } = storesOf(request);
    const Probe = emitterClass();
    const a = new Probe();
    const b = new Probe();
    const plain = new Probe();
    stores.attach(a, storeToEnter(storage, { requestId: 'a' }));
    stores.attach(b, storeToEnter(storage, { requestId: 'b' }));
    stores.runMethodInStore(a, 'emit', hasListeners);
    const seen: (string | undefined)[] = [];
    for (const emitter of [a, b, plain]) emitter.on('ping', () => seen.push(request.tryGet('requestId')));
    // Emitted from inside another request: each attached emitter still runs its listeners in its own.
    request.run({ requestId: 'caller' }, () => {
      a.emit('ping');
      b.emit('ping');
      plain.emit('ping');
    });
    expect(seen).toEqual(['a', 'b', 'caller']);
    // The class was patched once, on its prototype; the objects have no key of their own.
    expect(Object.hasOwn(a, 'emit')).toBe(false);
    expect(Object.hasOwn(Probe.prototype, 'emit')).toBe(true);
  });

  it('keeps two contexts apart: one context attaching its store leaves the other one as it was', () => {
    const requests = storesOf(request);
    const traces = storesOf(trace);
    const Probe = emitterClass();
    const emitter = new Probe();
    requests.stores.attach(emitter, storeToEnter(requests.storage, { requestId: 'r1' }));
    requests.stores.runMethodInStore(emitter, 'emit', hasListeners);
    traces.stores.runMethodInStore(emitter, 'emit', hasListeners);
    let seen: [string | undefined, string | undefined] | undefined;
    emitter.on('ping', () => (seen = [request.tryGet('requestId'), trace.tryGet('traceId')]));
    trace.run({ traceId: 't-caller' }, () => emitter.emit('ping'));
    expect(seen).toEqual(['r1', 't-caller']);
    expect(traces.stores.storeOf(emitter)).toBeUndefined();
    expect(requests.stores.storeOf(emitter)).toEqual({ requestId: 'r1' });
  });

  it('passes arguments, `this` and the return value through, and a throw out', () => {
    const { storage, stores } = storesOf(request);
    const Probe = emitterClass();
    const emitter = new Probe();
    stores.attach(emitter, storeToEnter(storage, { requestId: 'x' }));
    stores.runMethodInStore(emitter, 'emit', hasListeners);
    let received: unknown[] = [];
    emitter.on('data', function (this: unknown, ...args: unknown[]) {
      received = [this, ...args];
    });
    expect(emitter.emit('data', 1, 'two')).toBe(true);
    expect(received).toEqual([emitter, 1, 'two']);
    expect(emitter.emit('nobody-listens')).toBe(false);
    expect(() => emitter.emit('error', new Error('unhandled'))).toThrow('unhandled');
  });

  it('a frozen class keeps its method: the object gets its own', () => {
    const { storage, stores } = storesOf(request);
    const Probe = emitterClass();
    Object.freeze(Probe.prototype);
    const emitter = new Probe();
    stores.attach(emitter, storeToEnter(storage, { requestId: 'frozen' }));
    stores.runMethodInStore(emitter, 'emit', hasListeners);
    let seen: string | undefined;
    emitter.on('ping', () => (seen = request.tryGet('requestId')));
    emitter.emit('ping');
    expect(seen).toBe('frozen');
    expect(Object.hasOwn(emitter, 'emit')).toBe(true);
  });
});
