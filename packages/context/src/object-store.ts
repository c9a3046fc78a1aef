import type { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Stores carried by objects, and methods that run in the store of the object they are called on: how
 * an adapter puts every step of a request in its context without a closure per request. The request's
 * objects (hapi's request, Node's req and res) each get the store in a private field, and their
 * classes' methods are replaced once by shared functions that read it. Wrapping each listener added to
 * req and res instead (`bindEmitter`) made a closure per listener, about ten per hapi request.
 */
export interface ObjectStores {
  /** Gives `target` its store: the methods patched with `runMethodInStore` run in it when called on `target`. */
  attach(target: object, store: object): void;
  /** The store `attach` gave `target`, if any. */
  storeOf(target: object): object | undefined;
  /**
   * Replaces `name` on the class of `instance` (the nearest prototype that declares a class or the
   * method) by a method that, called on an object with a store, runs the original in that store.
   * Objects without one pay a private-field check. Done once per class; returns at once after that.
   * `needsStore(self, firstArgument)` can skip the run where nothing would see the store.
   */
  runMethodInStore(instance: object, name: string, needsStore?: (self: object, first: unknown) => boolean): void;
}

type Method = (this: object, ...args: unknown[]) => unknown;

/** A base whose constructor returns the object it is given: a subclass then adds its private fields to that object. */
class OnExistingObject {
  constructor(target: object) {
    return target;
  }
}

const byStorage = new WeakMap<AsyncLocalStorage<object>, ObjectStores>();

/** The one `ObjectStores` of `storage`: each has its own private field, so two contexts never mix stores. */
export function objectStores(storage: AsyncLocalStorage<object>): ObjectStores {
  let stores = byStorage.get(storage);
  if (stores === undefined) byStorage.set(storage, (stores = makeObjectStores(storage)));
  return stores;
}

/** The prototype to patch: the nearest one that declares a class (owns `constructor`) or owns `name`. */
function hostOf(instance: object, name: string): object {
  for (let candidate = Object.getPrototypeOf(instance) as object | null; candidate !== null; ) {
    if (Object.hasOwn(candidate, 'constructor') || Object.hasOwn(candidate, name)) return candidate;
    candidate = Object.getPrototypeOf(candidate) as object | null;
  }
  return instance;
}

function makeObjectStores(storage: AsyncLocalStorage<object>): ObjectStores {
  // A class per storage: its private field is a name no other storage's class can read or write.
  class Holder extends OnExistingObject {
    #store: object;

    private constructor(target: object, store: object) {
      super(target);
      this.#store = store;
    }

    static attach(this: void, target: object, store: object): void {
      if (#store in target) target.#store = store;
      // Every object of a class gets the field in the same place: one more shape per class, not per object.
      else new Holder(target, store);
    }

    static storeOf(this: void, target: object): object | undefined {
      return #store in target ? target.#store : undefined;
    }

    /** `underlying(self)` is the method replaced, looked up at each call so a later patch of a parent still applies. */
    static runningInStore(underlying: (self: object) => Method, needsStore?: (self: object, first: unknown) => boolean): Method {
      return function (this: object, ...args: unknown[]): unknown {
        const method = underlying(this);
        if (!(#store in this)) return method.apply(this, args);
        const store = this.#store;
        // Already there (hapi's _reply from within _execute, a 'finish' from a write made in the
        // request): a run would change nothing. On Node 24 a run costs ten times a getStore.
        if (storage.getStore() === store || (needsStore !== undefined && !needsStore(this, args[0]))) {
          return method.apply(this, args);
        }
        return storage.run(store, Reflect.apply, method, this, args) as unknown;
      };
    }
  }

  /** Per method name: the classes patched, and the prototype of the last object seen, the usual answer. */
  const patched = new Map<string, { hosts: WeakSet<object>; lastPrototype: object | null }>();

  return {
    attach: Holder.attach,
    storeOf: Holder.storeOf,
    runMethodInStore(instance, name, needsStore) {
      let seen = patched.get(name);
      if (seen === undefined) patched.set(name, (seen = { hosts: new WeakSet(), lastPrototype: null }));
      const prototype = Object.getPrototypeOf(instance) as object | null;
      if (prototype === seen.lastPrototype && prototype !== null) return;
      const { hosts } = seen;
      let host = hostOf(instance, name);
      if (hosts.has(host)) {
        seen.lastPrototype = prototype;
        return;
      }
      // A frozen class keeps its method; the object gets its own instead (checked on each call).
      if (!Object.isExtensible(host)) host = instance;
      if (hosts.has(host)) return;
      const own = Object.getOwnPropertyDescriptor(host, name)?.value as unknown;
      const parent = Object.getPrototypeOf(host) as Record<string, Method> | null;
      const underlying =
        typeof own === 'function'
          ? () => own as Method
          : () => {
              const method = parent?.[name];
              if (typeof method !== 'function') throw new TypeError(`@unthread/context: ${name}() is gone from this object.`);
              return method;
            };
      Object.defineProperty(host, name, {
        value: Holder.runningInStore(underlying, needsStore),
        writable: true,
        configurable: true,
        enumerable: false,
      });
      hosts.add(host);
      if (host !== instance) seen.lastPrototype = prototype;
    },
  };
}

/**
 * For `emit`: whether anyone listens to `event`. Most of what Node emits on a request and response has
 * no listener ('prefinish', 'finish' and 'close' on a plain GET); those emits need no run.
 */
export function hasListeners(emitter: object, event: unknown): boolean {
  const events = (emitter as { _events?: Record<string | symbol, unknown> })._events;
  return events === undefined || events === null || events[event as string | symbol] !== undefined;
}
