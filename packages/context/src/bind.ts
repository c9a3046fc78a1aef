import { AsyncLocalStorage } from 'node:async_hooks';
import type { EventEmitter } from 'node:events';
import type { Context } from './context.js';

/**
 * Binds a callback to every context current at this call. Use it where a callback API queues work and
 * runs it later from someone else's call stack (connection pools, job queues, batching clients): such a
 * callback otherwise runs in the context of whoever released the pool, which is another request's.
 */
export function bindCallback<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  if (typeof fn !== 'function') throw new TypeError('bindCallback(fn): fn must be a function.');
  return AsyncLocalStorage.bind(fn);
}

type Listener = (...args: unknown[]) => unknown;
type ListenerMethod = (this: EventEmitter, event: string | symbol, listener: Listener) => EventEmitter;
type WrapListener = (listener: Listener) => Listener;
/** A context to bind listeners to: anything with `bind`, such as what `createContext` returns. */
export type BindableContext = Pick<Context<Record<string, unknown>>, 'bind'>;

const ADDERS = ['on', 'addListener', 'once', 'prependListener', 'prependOnceListener'] as const;
const REMOVERS = ['off', 'removeListener'] as const;
/** On a wrapper: the listener the user passed, so that removing that listener finds the wrapper. */
const ORIGINAL = Symbol('unthread.originalListener');

interface WrappedListener extends Listener {
  [ORIGINAL]?: Listener;
  listener?: WrappedListener;
}

/** Restores every AsyncLocalStorage, ours and others'. It costs an AsyncResource per listener. */
const bindToEveryContext: WrapListener = (listener) => AsyncLocalStorage.bind(listener);

/** Wraps made of two, cached so that a binding to the same contexts always reuses one prototype. */
const compositions = new WeakMap<WrapListener, WeakMap<WrapListener, WrapListener>>();

function compose(inner: WrapListener, outer: WrapListener): WrapListener {
  let byOuter = compositions.get(inner);
  if (byOuter === undefined) compositions.set(inner, (byOuter = new WeakMap()));
  let composed = byOuter.get(outer);
  if (composed === undefined) byOuter.set(outer, (composed = (listener) => outer(inner(listener))));
  return composed;
}

function bindToContexts(contexts: readonly BindableContext[]): WrapListener {
  // `bind` uses no `this`: a context's methods close over its storage.
  return contexts.map((context): WrapListener => context.bind).reduce(compose);
}

function isRegistrationOf(entry: WrappedListener, listener: Listener): boolean {
  return entry === listener || entry[ORIGINAL] === listener || entry.listener?.[ORIGINAL] === listener;
}

/**
 * The emitter whose listener is being added right now. EventEmitter's `once` adds through `this.on`,
 * so a nested add on the same emitter must not wrap the listener a second time.
 */
let addingTo: object | undefined;

function boundAdder(add: ListenerMethod, wrap: WrapListener): ListenerMethod {
  return function (this: EventEmitter, event, listener) {
    if (addingTo === this || typeof listener !== 'function') {
      return add.call(this, event, listener);
    }
    const outer = addingTo;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- an identity to compare, not an alias to call through
    addingTo = this;
    try {
      const wrapped: WrappedListener = wrap(listener);
      wrapped[ORIGINAL] = listener;
      return add.call(this, event, wrapped);
    } finally {
      addingTo = outer;
    }
  };
}

function boundRemover(remove: ListenerMethod): ListenerMethod {
  return function (this: EventEmitter, event, listener) {
    // Like EventEmitter itself, remove the most recently added registration of this listener.
    const registered = this.rawListeners(event) as WrappedListener[];
    for (let i = registered.length - 1; i >= 0; i--) {
      const entry = registered[i]!;
      if (isRegistrationOf(entry, listener)) return remove.call(this, event, entry);
    }
    return remove.call(this, event, listener);
  };
}

/** What a prototype of ours adds to: the emitter's own prototype, and how listeners are wrapped. */
interface BoundPrototype {
  base: object;
  wrap: WrapListener;
}
const boundPrototypes = new WeakMap<object, BoundPrototype>();
/** The prototypes made so far, by base prototype and wrap: made once, shared by every emitter. */
const prototypeCache = new WeakMap<object, WeakMap<WrapListener, object>>();

function boundPrototypeOf(base: object, wrap: WrapListener): object {
  let byWrap = prototypeCache.get(base);
  if (byWrap === undefined) prototypeCache.set(base, (byWrap = new WeakMap()));
  let bound = byWrap.get(wrap);
  if (bound === undefined) {
    const methods = base as Record<string, unknown>;
    const overrides: PropertyDescriptorMap = {};
    for (const name of ADDERS) {
      const add = methods[name];
      if (typeof add === 'function') overrides[name] = method(boundAdder(add as ListenerMethod, wrap));
    }
    for (const name of REMOVERS) {
      const remove = methods[name];
      if (typeof remove === 'function') overrides[name] = method(boundRemover(remove as ListenerMethod));
    }
    bound = Object.create(base, overrides) as object;
    byWrap.set(wrap, bound);
    boundPrototypes.set(bound, { base, wrap });
  }
  return bound;
}

function method(value: ListenerMethod): PropertyDescriptor {
  return { value, writable: true, configurable: true, enumerable: false };
}

/**
 * Makes every listener added to `emitter` from now on run in the context it was added in. By default a
 * listener runs in the context of whoever calls `emit()`: for an HTTP request, `req.on('end')` added
 * inside a request's context runs in no context at all. Removing the original listener still works.
 *
 * Without `contexts`, every AsyncLocalStorage is restored (this package's and others', such as
 * OpenTelemetry's). Naming the contexts restores only those and is much cheaper per listener: the
 * framework adapters bind the request and response to their own context this way.
 *
 * The emitter gets a prototype that adds the binding in front of its own, shared by every emitter of
 * that prototype bound to the same contexts; the emitter itself is not changed. Code that later sets the emitter's prototype itself (Express does
 * so for a request entering a mounted sub-app) drops the binding: bind again after it.
 */
export function bindEmitter<E extends EventEmitter>(emitter: E, ...contexts: BindableContext[]): E {
  let wrap = contexts.length === 0 ? bindToEveryContext : bindToContexts(contexts);
  let base = Object.getPrototypeOf(emitter) as object | null;
  if (base === null) throw new TypeError('bindEmitter(emitter): emitter must be an EventEmitter.');
  const bound = boundPrototypes.get(base);
  if (bound !== undefined) {
    if (bound.wrap === wrap) return emitter;
    // Bound before to other contexts: restore those and these.
    wrap = compose(bound.wrap, wrap);
    base = bound.base;
  }
  // Own methods on every request would cost more than the request's own work: each property added
  // to a request or response object makes V8 build a new hidden class. A prototype swap does not.
  Object.setPrototypeOf(emitter, boundPrototypeOf(base, wrap));
  return emitter;
}
