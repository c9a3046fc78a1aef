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
/** On a bound emitter: how its listeners are wrapped. Binding again composes instead of patching twice. */
const WRAP = Symbol('unthread.wrapListener');
/** On a wrapper: the listener the user passed, so that removing that listener finds the wrapper. */
const ORIGINAL = Symbol('unthread.originalListener');

interface WrappedListener extends Listener {
  [ORIGINAL]?: Listener;
  listener?: WrappedListener;
}

type BoundEmitter = EventEmitter & { [WRAP]?: WrapListener };

/** Restores every AsyncLocalStorage, ours and others'. It costs an AsyncResource per listener. */
const bindToEveryContext: WrapListener = (listener) => AsyncLocalStorage.bind(listener);

function bindToContexts(contexts: readonly BindableContext[]): WrapListener {
  // `bind` uses no `this`: a context's methods close over its storage.
  if (contexts.length === 1) return contexts[0]!.bind;
  return (listener) => contexts.reduce<Listener>((bound, context) => context.bind(bound), listener);
}

function isRegistrationOf(entry: WrappedListener, listener: Listener): boolean {
  return entry === listener || entry[ORIGINAL] === listener || entry.listener?.[ORIGINAL] === listener;
}

/**
 * The emitter whose listener is being added right now. EventEmitter's `once` adds through `this.on`,
 * so a nested add on the same emitter must not wrap the listener a second time.
 */
let addingTo: object | undefined;

/**
 * Makes every listener added to `emitter` from now on run in the context it was added in. By default a
 * listener runs in the context of whoever calls `emit()`: for an HTTP request, `req.on('end')` added
 * inside a request's context runs in no context at all. Removing the original listener still works.
 *
 * Without `contexts`, every AsyncLocalStorage is restored (this package's and others', such as
 * OpenTelemetry's). Naming the contexts restores only those and is much cheaper per listener: the
 * framework adapters bind the request and response to their own context this way.
 */
export function bindEmitter<E extends EventEmitter>(emitter: E, ...contexts: BindableContext[]): E {
  const target = emitter as BoundEmitter;
  const wrap = contexts.length === 0 ? bindToEveryContext : bindToContexts(contexts);
  const previous = target[WRAP];
  if (previous !== undefined) {
    if (previous !== wrap) target[WRAP] = (listener) => wrap(previous(listener));
    return emitter;
  }
  target[WRAP] = wrap;
  const methods = target as unknown as Record<string, ListenerMethod>;
  for (const name of ADDERS) {
    const add = methods[name];
    if (typeof add !== 'function') continue;
    methods[name] = function (event, listener) {
      if (addingTo === emitter || typeof listener !== 'function') return add.call(this, event, listener);
      const outer = addingTo;
      addingTo = emitter;
      try {
        const wrapped: WrappedListener = target[WRAP]!(listener);
        wrapped[ORIGINAL] = listener;
        return add.call(this, event, wrapped);
      } finally {
        addingTo = outer;
      }
    };
  }
  for (const name of REMOVERS) {
    const remove = methods[name];
    if (typeof remove !== 'function') continue;
    methods[name] = function (event, listener) {
      // Like EventEmitter itself, remove the most recently added registration of this listener.
      const registered = this.rawListeners(event) as WrappedListener[];
      for (let i = registered.length - 1; i >= 0; i--) {
        const entry = registered[i]!;
        if (isRegistrationOf(entry, listener)) return remove.call(this, event, entry);
      }
      return remove.call(this, event, listener);
    };
  }
  return emitter;
}
