import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// Flags set at runtime take effect for contexts created afterwards, so a fresh vm context hands out
// `gc` without starting the test process with --expose-gc.
setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;

// Node loads its bundled fetch implementation (undici) the first time anything touches a fetch global
// (Koa does, checking `body instanceof Response`), and undici memoises a promise as it loads. On
// async_hooks that promise keeps the store of whichever request loaded it for the life of the process.
// Load it here, outside any request, so that a test's store is not the one that gets kept.
new Response();

/**
 * Collects garbage until `done()` holds, for at most `rounds` rounds, and returns whether it held.
 * Node's HTTP server caches its Date header for up to a second with a timer created by whichever
 * response needed it first, and that timer carries the responding request's context until it fires;
 * the rounds span that second.
 */
export async function collectUntil(done: () => boolean, rounds = 50): Promise<boolean> {
  for (let round = 0; round < rounds; round++) {
    // A WeakRef target read in a job stays reachable until the job ends, so `done()` and `gc()` must
    // not share one: yield first.
    await sleep(25);
    gc();
    if (done()) return true;
  }
  return false;
}

/** Watches one object with both a WeakRef and a FinalizationRegistry. */
export class Collectable {
  readonly #ref: WeakRef<object>;
  #finalized = false;
  readonly #registry = new FinalizationRegistry<undefined>(() => {
    this.#finalized = true;
  });

  constructor(target: object) {
    this.#ref = new WeakRef(target);
    this.#registry.register(target, undefined);
  }

  /** Gone for good: unreachable through the WeakRef and its finalizer has run. */
  get collected(): boolean {
    return this.#ref.deref() === undefined && this.#finalized;
  }

  get alive(): boolean {
    return this.#ref.deref() !== undefined;
  }
}
