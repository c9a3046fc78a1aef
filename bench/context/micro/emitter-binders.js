// Bench-local emitter binders for the `bind-emitter` micro case, to show where the time of
// bindEmitter() goes without editing the package:
//
// - bindEmitterWithResource: a copy of bindEmitter() from packages/context/src/bind.ts (as of
//   2026-11-22, before it took `contexts`) that wraps each listener with `new AsyncResource()` + a
//   closure instead of `AsyncLocalStorage.bind(listener)`. Same semantics: the resource is created
//   when the listener is added, so the listener runs in every AsyncLocalStorage context current at
//   registration (AsyncLocalStorage.bind is `new AsyncResource().bind(fn)` underneath). On Node 20
//   AsyncResource#bind also defines a deprecated `asyncResource` accessor through two
//   `util.deprecate()` wrappers, each of which `Object.setPrototypeOf`s a fresh function.
// - patchMethodsOnly: the seven method patches alone, listeners passed through unwrapped: the floor
//   of any design that patches each request's emitters.
import { AsyncResource } from 'node:async_hooks';

const ADDERS = ['on', 'addListener', 'once', 'prependListener', 'prependOnceListener'];
const REMOVERS = ['off', 'removeListener'];
const BOUND = Symbol('bench.boundEmitter');
const ORIGINAL = Symbol('bench.originalListener');

function wrapListener(listener) {
  const resource = new AsyncResource('bench.boundListener');
  const wrapped = function (...args) {
    return resource.runInAsyncScope(listener, this, ...args);
  };
  wrapped[ORIGINAL] = listener;
  return wrapped;
}

function isRegistrationOf(entry, listener) {
  return entry === listener || entry[ORIGINAL] === listener || entry.listener?.[ORIGINAL] === listener;
}

let addingTo;

export function bindEmitterWithResource(emitter) {
  if (emitter[BOUND]) return emitter;
  for (const name of ADDERS) {
    const add = emitter[name];
    if (typeof add !== 'function') continue;
    emitter[name] = function (event, listener) {
      if (addingTo === emitter || typeof listener !== 'function') return add.call(this, event, listener);
      const outer = addingTo;
      addingTo = emitter;
      try {
        return add.call(this, event, wrapListener(listener));
      } finally {
        addingTo = outer;
      }
    };
  }
  for (const name of REMOVERS) {
    const remove = emitter[name];
    if (typeof remove !== 'function') continue;
    emitter[name] = function (event, listener) {
      const registered = this.rawListeners(event);
      for (let i = registered.length - 1; i >= 0; i--) {
        if (isRegistrationOf(registered[i], listener)) return remove.call(this, event, registered[i]);
      }
      return remove.call(this, event, listener);
    };
  }
  emitter[BOUND] = true;
  return emitter;
}

export function patchMethodsOnly(emitter) {
  for (const name of [...ADDERS, ...REMOVERS]) {
    const method = emitter[name];
    emitter[name] = function (event, listener) {
      return method.call(this, event, listener);
    };
  }
  return emitter;
}
