// no-unbound-callback: a pool that queues callbacks runs each queued one from release(), in the
// context of whoever released. Request A releases, so B and C run in A's store. Binding at enqueue
// time, or promisify + await, keeps each request's own store.
import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
import { promisify } from 'node:util';
import { report } from './report.mjs';

const als = new AsyncLocalStorage();

/** One connection; a caller that finds it busy is queued, as callback-based pools do. */
class Pool {
  #busy = false;
  #waiting = [];
  acquire(callback) {
    if (this.#busy) this.#waiting.push(callback);
    else {
      this.#busy = true;
      callback(null, this);
    }
  }
  release() {
    const next = this.#waiting.shift();
    if (next) next(null, this);
    else this.#busy = false;
  }
}

/** Requests A, B and C each acquire, record the store their callback sees, and release after a moment. */
async function storesSeenByRequests(acquire) {
  const pool = new Pool();
  const seen = {};
  await Promise.all(
    ['A', 'B', 'C'].map((label) =>
      als.run({ requestId: label }, () => acquire(pool, (store) => (seen[label] = store))),
    ),
  );
  return seen;
}

const currentRequestId = () => als.getStore()?.requestId ?? null;

/** Uses the connection for a moment, then gives it back from a timer. */
function useAndRelease(connection, done) {
  setTimeout(() => {
    connection.release();
    done();
  }, 5);
}

// Flagged: the callback is queued and later run from release().
const acquireFlagged = (pool, record) =>
  new Promise((done) => {
    pool.acquire((_error, connection) => { // flagged: no-unbound-callback
      record(currentRequestId());
      useAndRelease(connection, done);
    });
  });

// Suggested: bound at enqueue time (AsyncLocalStorage.bind is the same function).
const acquireBound = (pool, record) =>
  new Promise((done) => {
    pool.acquire(
      AsyncResource.bind((_error, connection) => {
        record(currentRequestId());
        useAndRelease(connection, done);
      }),
    );
  });

// Also safe: promisify + await resumes in the awaiting context.
const acquirePromisified = async (pool, record) => {
  const connection = await promisify((callback) => pool.acquire(callback))();
  record(currentRequestId());
  await new Promise((done) => useAndRelease(connection, done));
};

report({
  flagged: await storesSeenByRequests(acquireFlagged),
  suggested: await storesSeenByRequests(acquireBound),
  promisified: await storesSeenByRequests(acquirePromisified),
});
