// The code a micro child runs: one variant of one case per process. Variants that share a process
// share the inline caches inside AsyncLocalStorage's own methods (measured: raw `als.run` went from
// 17 to 48 ns on Node 20 when a second instance's `run` ran in the same process), so each gets a
// process of its own and only the AsyncLocalStorage instance it needs.
import { AsyncLocalStorage } from 'node:async_hooks';
import { EventEmitter } from 'node:events';
import { bindEmitter, createContext } from '@unthread/context';
import { bindEmitterWithResource, patchMethodsOnly } from './emitter-binders.js';
// Internal modules of the built package (the same CommonJS instances `@unthread/context` loads): the
// store-on-the-object mechanism the Express, Koa and hapi adapters use, which is not public API.
import { storageOf, storeToEnter } from '../../../packages/context/dist/context.js';
import { hasListeners, objectStores } from '../../../packages/context/dist/object-store.js';

// Eight ids: each call gets a fresh object with a changing value, without building strings in the loop.
const IDS = Array.from({ length: 8 }, (_, i) => `req-${i}`);
const OUTER = { requestId: 'req-outer', tenantId: 'tenant-1' };
const trivial = () => 1;

// Loop results land here so the JIT cannot drop the work as unused.
export let sink = 0;

/** The raw side: one AsyncLocalStorage and, for nested cases, an outer store like ours would hold. */
function rawSetup(nested) {
  const als = new AsyncLocalStorage();
  const within = nested ? (measure) => als.run(Object.freeze({ ...OUTER }), measure) : (measure) => measure();
  return { als, within };
}

function oursSetup(nested) {
  const context = createContext({ name: 'request' });
  const within = nested ? (measure) => context.run(OUTER, measure) : (measure) => measure();
  return { context, within };
}

const getVariants = {
  raw() {
    const { als, within } = rawSetup(true);
    return {
      within,
      loop(n) {
        let s = 0;
        for (let i = 0; i < n; i++) s += als.getStore().requestId.length;
        sink = s;
      },
    };
  },
  ours() {
    const { context, within } = oursSetup(true);
    return {
      within,
      loop(n) {
        let s = 0;
        for (let i = 0; i < n; i++) s += context.get('requestId').length;
        sink = s;
      },
    };
  },
  // The raw read with the one check any real caller needs: getStore() is undefined outside a run.
  rawGuarded() {
    const { als, within } = rawSetup(true);
    return {
      within,
      loop(n) {
        let s = 0;
        for (let i = 0; i < n; i++) s += als.getStore()?.requestId.length;
        sink = s;
      },
    };
  },
};

/** `run` variants; `nested` only changes the surroundings, the loop is the same. */
function runVariants(nested) {
  return {
    raw() {
      const { als, within } = rawSetup(nested);
      return {
        within,
        loop(n) {
          let s = 0;
          for (let i = 0; i < n; i++) s += als.run({ requestId: IDS[i & 7] }, trivial);
          sink = s;
        },
      };
    },
    ours() {
      const { context, within } = oursSetup(nested);
      return {
        within,
        loop(n) {
          let s = 0;
          for (let i = 0; i < n; i++) s += context.run({ requestId: IDS[i & 7] }, trivial);
          sink = s;
        },
      };
    },
    // The diagnostics mirror context.run(): read the current store, build a new one, run.
    spreadFreeze() {
      const { als, within } = rawSetup(nested);
      return {
        within,
        loop(n) {
          let s = 0;
          for (let i = 0; i < n; i++) {
            const values = { requestId: IDS[i & 7] };
            const current = als.getStore();
            s += als.run(Object.freeze(current === undefined ? { ...values } : { ...current, ...values }), trivial);
          }
          sink = s;
        },
      };
    },
  };
}

/**
 * What the framework adapters add per request besides run(): two emitters bound, then (as measured
 * in Express, Fastify, Koa and Hono on Node 20) one listener added to them by Node or the framework,
 * and emitted once. Plain EventEmitters stand in for req and res; all variants run inside a store,
 * so binding has a context to capture.
 */
function bindEmitterVariants() {
  // One simulated request. Only `bind` differs between variants, and each variant has a process of
  // its own, so this call site only ever sees one `bind`.
  const request = (bind) => {
    const req = bind(new EventEmitter());
    bind(new EventEmitter());
    req.on('end', trivial);
    return req.emit('end') ? 1 : 0;
  };
  const loopWith = (bind) => (n) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += request(bind);
    sink = s;
  };
  const onRawStore = (bind) => () => ({ within: rawSetup(true).within, loop: loopWith(bind) });
  return {
    raw: onRawStore((emitter) => emitter),
    ours: onRawStore((emitter) => bindEmitter(emitter)),
    oursContext() {
      const { context, within } = oursSetup(true);
      return { within, loop: loopWith((emitter) => bindEmitter(emitter, context)) };
    },
    oursStore() {
      const { context, within } = oursSetup(true);
      const storage = storageOf(context);
      const stores = objectStores(storage);
      const store = storeToEnter(storage, { requestId: 'req-0' });
      const carry = (emitter) => {
        stores.attach(emitter, store);
        stores.runMethodInStore(emitter, 'emit', hasListeners);
        return emitter;
      };
      return { within, loop: loopWith(carry) };
    },
    patchOnly: onRawStore(patchMethodsOnly),
    resourceBind: onRawStore(bindEmitterWithResource),
  };
}

export const cases = {
  get: getVariants,
  run: runVariants(false),
  'run-nested': runVariants(true),
  'bind-emitter': bindEmitterVariants(),
};
