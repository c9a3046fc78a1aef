import { AsyncResource } from 'node:async_hooks';
import type { EventEmitter } from 'node:events';
import type { Context } from './context.js';

/**
 * Wraps `fn` to run in every AsyncLocalStorage's store current now. One AsyncResource and a closure:
 * `AsyncLocalStorage.bind` does the same through `Function.prototype.bind` and redefined properties,
 * which costs about twenty times as much on Node 20.
 */
function bindToEveryStorage<A extends unknown[], R>(fn: (...args: A) => R, type: string): (...args: A) => R {
  const resource = new AsyncResource(type);
  return function (this: unknown, ...args: A): R {
    return resource.runInAsyncScope(fn, this, ...args);
  };
}

/**
 * Binds a callback to every context current at this call. Use it where a callback API queues work and
 * runs it later from someone else's call stack (connection pools, job queues, batching clients): such a
 * callback otherwise runs in the context of whoever released the pool, which is another request's.
 */
export function bindCallback<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  if (typeof fn !== 'function') throw new TypeError('bindCallback(fn): fn must be a function.');
  return bindToEveryStorage(fn, 'unthread.bindCallback');
}

type Listener = (...args: unknown[]) => unknown;
type ListenerMethod = (this: object, event: string | symbol, listener: Listener) => unknown;
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
const bindToEveryContext: WrapListener = (listener) => bindToEveryStorage(listener, 'unthread.bindEmitter');

/** The bound emitters, each with how its listeners are wrapped. Keyed weakly: a binding dies with its emitter. */
const bindings = new WeakMap<object, WrapListener>();

/** Per wrap, the single-context wraps it is made of, so that binding to one of them again is a no-op. */
const partsOf = new WeakMap<WrapListener, ReadonlySet<WrapListener>>();
/** Wraps made of two, cached so that binding to the same contexts always yields the same wrap. */
const compositions = new WeakMap<WrapListener, WeakMap<WrapListener, WrapListener>>();

function parts(wrap: WrapListener): ReadonlySet<WrapListener> {
  return partsOf.get(wrap) ?? new Set([wrap]);
}

function compose(inner: WrapListener, outer: WrapListener): WrapListener {
  let byOuter = compositions.get(inner);
  if (byOuter === undefined) compositions.set(inner, (byOuter = new WeakMap()));
  let composed = byOuter.get(outer);
  if (composed === undefined) {
    composed = (listener) => outer(inner(listener));
    byOuter.set(outer, composed);
    partsOf.set(composed, new Set([...parts(inner), ...parts(outer)]));
  }
  return composed;
}

function wrapFor(contexts: readonly BindableContext[]): WrapListener {
  if (contexts.length === 0) return bindToEveryContext;
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

/** What a patched method calls: the host's own method if it had one, else what it inherits, looked up at each call. */
type Underlying = (self: object) => ListenerMethod | undefined;

function boundAdder(underlying: Underlying): ListenerMethod {
  return function (event, listener) {
    const add = underlying(this);
    if (add === undefined) throw new TypeError('bindEmitter: the emitter lost its listener methods.');
    const wrap = bindings.get(this);
    if (wrap === undefined || addingTo === this || typeof listener !== 'function') {
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

function boundRemover(underlying: Underlying): ListenerMethod {
  return function (event, listener) {
    const remove = underlying(this);
    if (remove === undefined) throw new TypeError('bindEmitter: the emitter lost its listener methods.');
    if (bindings.has(this)) {
      // Like EventEmitter itself, remove the most recently added registration of this listener.
      const registered = (this as EventEmitter).rawListeners(event) as WrappedListener[];
      for (let i = registered.length - 1; i >= 0; i--) {
        const entry = registered[i]!;
        if (isRegistrationOf(entry, listener)) return remove.call(this, event, entry);
      }
    }
    return remove.call(this, event, listener);
  };
}

/** Objects whose listener methods have been replaced by ones that consult `bindings`. */
const patched = new WeakSet<object>();

/**
 * Replaces the listener methods of `host` (a prototype, or the emitter itself when it has methods of
 * its own) once. Every emitter below it then pays one WeakMap lookup per listener added, and a bound
 * one gets its listeners wrapped.
 */
function patch(host: object): void {
  if (patched.has(host)) return;
  const parent = Object.getPrototypeOf(host) as Record<string, unknown> | null;
  const overrides: PropertyDescriptorMap = {};
  for (const [names, replace] of [
    [ADDERS, boundAdder],
    [REMOVERS, boundRemover],
  ] as const) {
    for (const name of names) {
      const own = Object.getOwnPropertyDescriptor(host, name)?.value as unknown;
      const underlying: Underlying =
        typeof own === 'function'
          ? () => own as ListenerMethod
          : // Inherited: looked up at each call, so a later patch of the parent (an APM's) still applies.
            () => parent?.[name] as ListenerMethod | undefined;
      if (typeof own === 'function' || typeof parent?.[name] === 'function') {
        overrides[name] = { value: replace(underlying), writable: true, configurable: true, enumerable: false };
      }
    }
  }
  Object.defineProperties(host, overrides);
  patched.add(host);
}

/** Per direct prototype, the prototype to patch: the one of the emitter's class. */
const hosts = new WeakMap<object, object>();

/**
 * The nearest prototype that declares a class (owns `constructor`) or a listener method of its own.
 * Patching the class rather than the direct prototype keeps the binding when code swaps prototypes
 * below it, as Express does for a request entering a mounted sub-app.
 */
function hostFor(prototype: object): object {
  let host = hosts.get(prototype);
  if (host === undefined) {
    host = prototype;
    for (let candidate: object | null = prototype; candidate !== null; candidate = Object.getPrototypeOf(candidate) as object | null) {
      if (Object.hasOwn(candidate, 'constructor') || [...ADDERS, ...REMOVERS].some((name) => Object.hasOwn(candidate, name))) {
        host = candidate;
        break;
      }
    }
    hosts.set(prototype, host);
  }
  return host;
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
 * The emitter itself is not changed: its class's listener methods are replaced once, by ones that
 * look the emitter up in a WeakMap of bound emitters. Adding a property or a prototype to each request
 * instead would make V8 see a new shape per request and slow Node's HTTP code down for all of it.
 */
export function bindEmitter<E extends EventEmitter>(emitter: E, ...contexts: BindableContext[]): E {
  const prototype = Object.getPrototypeOf(emitter) as object | null;
  if (prototype === null || typeof emitter.on !== 'function') {
    throw new TypeError('bindEmitter(emitter): emitter must be an EventEmitter.');
  }
  let wrap = wrapFor(contexts);
  const previous = bindings.get(emitter);
  if (previous !== undefined) {
    const bound = parts(previous);
    if ([...parts(wrap)].every((part) => bound.has(part))) return emitter;
    // Bound before to other contexts: restore those and these.
    wrap = compose(previous, wrap);
  }
  const host = Object.hasOwn(emitter, 'on') ? emitter : hostFor(prototype);
  // A frozen class (or one sealed by a security policy) keeps its methods; the emitter gets its own.
  patch(Object.isExtensible(host) ? host : emitter);
  bindings.set(emitter, wrap);
  return emitter;
}
