import { AsyncResource } from 'node:async_hooks';
import type { EventEmitter } from 'node:events';
import type { Context } from './context.js';
import { bindingOf, setBinding, type Listener, type WrapListener } from './emitter-binding.js';

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

type ListenerMethod = (this: object, event: string | symbol, listener: Listener) => unknown;
/** A context to bind listeners to: anything with `bind`, such as what `createContext` returns. */
export type BindableContext = Pick<Context<Record<string, unknown>>, 'bind'>;

const ADDERS = ['on', 'addListener', 'once', 'prependListener', 'prependOnceListener'] as const;
type Adder = (typeof ADDERS)[number];
/** On each listener method that `patch` installs, so that an emitter of a patched class is recognised. */
const PATCHED = Symbol('unthread.patchedListenerMethod');

/**
 * A registered listener that stands for another. `listener` is EventEmitter's own convention (its
 * `once` wrappers carry it): removeListener/off match it, listeners() returns it, so removing the
 * listener the user passed finds our wrapper without any patched remover.
 */
interface StandIn extends Listener {
  listener?: Listener;
}

/** Restores every AsyncLocalStorage, ours and others'. It costs an AsyncResource per listener. */
const bindToEveryContext: WrapListener = (listener) => bindToEveryStorage(listener, 'unthread.bindEmitter');

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
  // One context is what the adapters pass for every request: no arrays made for it.
  if (contexts.length === 1) return contexts[0]!.bind;
  return contexts.map((context): WrapListener => context.bind).reduce(compose);
}

/**
 * The add in progress: EventEmitter's `once` adds its one-time wrapper of our wrapper through
 * `this.on`, and that nested add must not wrap again.
 */
let addingTo: object | undefined;
let addingWrapper: Listener | undefined;
let addingOriginal: Listener | undefined;

/** What a patched method calls: the host's own method if it had one, else what it inherits, looked up at each call. */
type Underlying = (self: object) => ListenerMethod | undefined;

type ListenerMethods = Partial<Record<Adder, ListenerMethod>>;

/**
 * One reader per method name: Node adds listeners to every request and response, bound or not, and
 * one `parent[name]` shared by all names and classes was a megamorphic lookup on each of those adds.
 */
const inheritedMethod: Record<Adder, (parent: ListenerMethods) => ListenerMethod | undefined> = {
  on: (parent) => parent.on,
  addListener: (parent) => parent.addListener,
  once: (parent) => parent.once,
  prependListener: (parent) => parent.prependListener,
  prependOnceListener: (parent) => parent.prependOnceListener,
};

function boundAdder(underlying: Underlying): ListenerMethod {
  return function (event, listener) {
    const add = underlying(this);
    if (add === undefined) throw new TypeError('bindEmitter: the emitter lost its listener methods.');
    const wrap = bindingOf(this);
    if (wrap === undefined || typeof listener !== 'function') return add.call(this, event, listener);
    if (addingTo === this) {
      // `once`'s wrapper points at ours; point it at the user's listener, which is what gets removed.
      const onceWrapper = listener as StandIn;
      if (addingOriginal !== undefined && onceWrapper.listener === addingWrapper) onceWrapper.listener = addingOriginal;
      return add.call(this, event, listener);
    }
    const outerTo = addingTo;
    const outerWrapper = addingWrapper;
    const outerOriginal = addingOriginal;
    const wrapped: StandIn = wrap(listener);
    wrapped.listener = listener;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- an identity to compare, not an alias to call through
    addingTo = this;
    addingWrapper = wrapped;
    addingOriginal = listener;
    try {
      return add.call(this, event, wrapped);
    } finally {
      addingTo = outerTo;
      addingWrapper = outerWrapper;
      addingOriginal = outerOriginal;
    }
  };
}

/** Objects whose listener methods have been replaced by ones that consult the emitter's binding. */
const patched = new WeakSet<object>();

/**
 * Replaces the listener methods of `host` (a prototype, or the emitter itself when it has methods of
 * its own) once. Every emitter below it then pays one private-field check per listener added, and a
 * bound one gets its listeners wrapped.
 */
function patch(host: object): void {
  if (patched.has(host)) return;
  const parent = Object.getPrototypeOf(host) as ListenerMethods | null;
  const overrides: PropertyDescriptorMap = {};
  for (const name of ADDERS) {
    const own = Object.getOwnPropertyDescriptor(host, name)?.value as unknown;
    const inherited = inheritedMethod[name];
    const underlying: Underlying =
      typeof own === 'function'
        ? () => own as ListenerMethod
        : // Inherited: looked up at each call, so a later patch of the parent (an APM's) still applies.
          () => (parent === null ? undefined : inherited(parent));
    if (typeof own === 'function' || typeof parent?.[name] === 'function') {
      const method = Object.assign(boundAdder(underlying), { [PATCHED]: true });
      overrides[name] = { value: method, writable: true, configurable: true, enumerable: false };
    }
  }
  Object.defineProperties(host, overrides);
  patched.add(host);
}

function isPatched(method: unknown): boolean {
  return (method as { [PATCHED]?: true } | undefined)?.[PATCHED] === true;
}

/**
 * Whether every way of adding a listener to `emitter` goes through a method `patch` installed: then
 * binding it only takes setting its field. Five property reads; finding and checking the host
 * instead took Object.getPrototypeOf, Object.hasOwn and Object.isExtensible, each 15 to 30 ns on an
 * IncomingMessage on Node 20, and the adapters bind two emitters per request.
 */
function listensThroughPatches(emitter: object): boolean {
  // Read, not called: the methods are only compared.
  const methods = emitter as Record<Adder, unknown>;
  return (
    isPatched(methods.on) &&
    isPatched(methods.addListener) &&
    isPatched(methods.once) &&
    isPatched(methods.prependListener) &&
    isPatched(methods.prependOnceListener)
  );
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
      if (Object.hasOwn(candidate, 'constructor') || ADDERS.some((name) => Object.hasOwn(candidate, name))) {
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
 * Nothing visible on the emitter changes: its class's listener methods are replaced once, by ones
 * that read the emitter's binding from a private field (see emitter-binding.ts), so its own keys and
 * its prototype stay what they were. A prototype of our own per request instead would make V8 see a
 * new shape per request and slow Node's HTTP code down for all of it.
 */
export function bindEmitter<E extends EventEmitter>(emitter: E, ...contexts: BindableContext[]): E {
  const wrap = wrapFor(contexts);
  // What the adapters do twice per request: bind an emitter of a class patched before.
  if (typeof emitter === 'object' && emitter !== null && listensThroughPatches(emitter)) {
    const previous = bindingOf(emitter);
    if (previous === undefined) setBinding(emitter, wrap);
    if (previous === undefined || previous === wrap) return emitter;
  }
  return bindAndPatch(emitter, wrap);
}

/** The rest of bindEmitter: checks the emitter, composes with an earlier binding, patches the class. */
function bindAndPatch<E extends EventEmitter>(emitter: E, wrap: WrapListener): E {
  const prototype = Object.getPrototypeOf(emitter) as object | null;
  if (prototype === null || typeof emitter.on !== 'function') {
    throw new TypeError('bindEmitter(emitter): emitter must be an EventEmitter.');
  }
  const previous = bindingOf(emitter);
  if (previous !== undefined) {
    const bound = parts(previous);
    if ([...parts(wrap)].every((part) => bound.has(part))) return emitter;
    // Bound before to other contexts: restore those and these.
    wrap = compose(previous, wrap);
  }
  const host = Object.hasOwn(emitter, 'on') ? emitter : hostFor(prototype);
  // A frozen class (or one sealed by a security policy) keeps its methods; the emitter gets its own.
  patch(Object.isExtensible(host) ? host : emitter);
  setBinding(emitter, wrap);
  return emitter;
}
