import { AsyncLocalStorage } from 'node:async_hooks';
import { MissingContextError } from './errors.js';

/** The keys a context holds. Interfaces work as well as type aliases. */
export type ContextShape<T> = { [K in keyof T]: unknown };

/** A frozen store: what `all()` returns and what every `run()` creates. */
export type Store<T> = Readonly<Partial<T>>;

export interface ContextOptions {
  /** Names the context in error messages; use the variable name it is exported under. */
  name: string;
}

export interface Context<T extends ContextShape<T>> {
  readonly name: string;
  /**
   * Runs `fn` with a new frozen store `{ ...current, ...values }` and returns what `fn` returns (a
   * promise included). The store is visible to everything `fn` starts, and nowhere else: a nested
   * `run` overrides keys for its own subtree only.
   */
  run<R>(values: Partial<T>, fn: () => R): R;
  /** The value of `key` where this runs; throws {@link MissingContextError} when it is not set. */
  get<K extends keyof T & string>(key: K): Exclude<T[K], undefined>;
  /** The value of `key` where this runs, or `undefined`. */
  tryGet<K extends keyof T & string>(key: K): T[K] | undefined;
  /** The current store (frozen), or an empty frozen object outside any `run`. Cheap: no copy. */
  all(): Store<T>;
  /** Returns a function that always runs in this context's store as it is now, wherever it is called. */
  bind<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R;
}

const EMPTY: Readonly<Record<string, never>> = Object.freeze({});

/**
 * The store a run enters: a copy, so that neither the caller's object nor an outer store can change
 * what this run sees. It is frozen when it first leaves this module, in all(): freezing every store
 * here would cost ten times the run itself on Node 20, and no one else holds a reference to it.
 */
function mergeStore<T>(current: Store<T> | undefined, values: Partial<T>): Store<T> {
  if (current === undefined) return { ...values };
  // Spreading the outer store and then writing the new keys one by one is a third cheaper on
  // Node 20 than spreading both objects into one literal (measured in bench/context/micro, run-nested).
  const store: Partial<T> = { ...current };
  for (const key in values) store[key] = values[key];
  return store;
}

/** The storage behind each context, for the helpers in this package that work on stores directly. */
const storages = new WeakMap<object, AsyncLocalStorage<object>>();

export function createContext<T extends ContextShape<T>>(options: ContextOptions): Context<T> {
  const { name } = options;
  if (typeof name !== 'string' || name === '') {
    throw new TypeError('createContext({ name }): name must be a non-empty string, e.g. "request".');
  }
  const storage = new AsyncLocalStorage<Store<T>>();

  const context: Context<T> = {
    name,
    run(values, fn) {
      return storage.run(mergeStore(storage.getStore(), values), fn);
    },
    get(key) {
      const value = storage.getStore()?.[key];
      if (value === undefined) throw new MissingContextError(name, key, storage.getStore() !== undefined);
      return value as Exclude<T[typeof key], undefined>;
    },
    tryGet(key) {
      return storage.getStore()?.[key];
    },
    all() {
      const store = storage.getStore();
      return store === undefined ? (EMPTY as Store<T>) : Object.freeze(store);
    },
    bind(fn) {
      const store = storage.getStore();
      // run passes its extra arguments on, so no closure is made per call. Outside any run the store
      // is `undefined`, and running in `undefined` is running outside any run. exit() would do the
      // same, but on Node 20 by switching the storage off and on again, which switches the async_hooks
      // promise hooks off and on for the whole process when this is its only storage. The adapters
      // bind a listener Node adds to req after a response sent outside the context (Koa, Hono), so
      // that was once per request: the larger part of the Koa adapter's cost over a raw middleware.
      type Result = ReturnType<typeof fn>;
      return function (this: unknown, ...args) {
        return storage.run(store as Store<T>, Reflect.apply, fn, this, args) as Result;
      };
    },
  };
  storages.set(context, storage);
  return Object.freeze(context);
}

/**
 * Runs `fn` on a store that starts empty instead of inheriting the caller's: what a background job
 * needs so that it never carries the id of whichever request happened to schedule it.
 */
export function runFresh<T extends ContextShape<T>, R>(context: Context<T>, values: Partial<T>, fn: () => R): R {
  const storage = storages.get(context);
  if (storage === undefined) {
    throw new TypeError(`runFresh: ${String(context?.name)} was not made by createContext from @unthread/context.`);
  }
  return storage.run({ ...values }, fn);
}

/**
 * The storage behind `context`, for adapters that put stores on objects rather than call `run` (see
 * object-store.ts); `undefined` for a context not made by `createContext`.
 */
export function storageOf(context: object): AsyncLocalStorage<object> | undefined {
  return storages.get(context);
}

/** The store `run(values, …)` would enter here, made without entering it. */
export function storeToEnter(storage: AsyncLocalStorage<object>, values: object): object {
  return mergeStore(storage.getStore(), values);
}

/**
 * The current store of `context` as it is, without the freezing `all()` does: for callers that only
 * copy it, such as a logger's hook that runs for every line. Falls back to `all()` for other objects.
 */
export function peekStore(context: Pick<Context<Record<string, unknown>>, 'all'>): object | undefined {
  const storage = storages.get(context);
  return storage === undefined ? context.all() : storage.getStore();
}
