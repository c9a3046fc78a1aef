export type Listener = (...args: unknown[]) => unknown;
/** How a bound emitter's listeners are wrapped when they are added. */
export type WrapListener = (listener: Listener) => Listener;

/** A base whose constructor returns the object it is given: a subclass then adds its private fields to that object. */
class OnExistingObject {
  constructor(target: object) {
    return target;
  }
}

/** Emitters that refused the private field (none do on Node 20 to 24, frozen ones included). */
const refused = new WeakMap<object, WrapListener>();
let anyRefused = false;

/**
 * Each bound emitter's wrap, in a private field of the emitter. The adapters bind two emitters per
 * request, so this is on every request's path: a WeakMap entry per emitter cost about 150 ns on Node
 * 20 (measured, most of it in the garbage collector, which handles every entry as an ephemeron), the
 * field what a property store costs. A private field is invisible outside this class: not in
 * Reflect.ownKeys, for-in, spreading or JSON, and the emitter keeps its prototype. Every bound emitter
 * of a class gets the same field in the same place, so V8 sees one more shape per class, not one per
 * emitter.
 */
class EmitterBinding extends OnExistingObject {
  #wrap: WrapListener;

  private constructor(emitter: object, wrap: WrapListener) {
    super(emitter);
    this.#wrap = wrap;
  }

  static of(emitter: object): WrapListener | undefined {
    if (#wrap in emitter) return emitter.#wrap;
    return anyRefused ? refused.get(emitter) : undefined;
  }

  static set(emitter: object, wrap: WrapListener): void {
    if (#wrap in emitter) {
      emitter.#wrap = wrap;
      return;
    }
    try {
      new EmitterBinding(emitter, wrap);
    } catch {
      // A future engine may refuse private fields on non-extensible objects (a TC39 proposal would).
      refused.set(emitter, wrap);
      anyRefused = true;
    }
  }
}

/** How `emitter`'s listeners are wrapped, or `undefined` if it is not bound. */
export function bindingOf(emitter: object): WrapListener | undefined {
  return EmitterBinding.of(emitter);
}

/** Binds `emitter` (again): listeners added from now on are wrapped with `wrap`. */
export function setBinding(emitter: object, wrap: WrapListener): void {
  EmitterBinding.set(emitter, wrap);
}
