// no-shared-store: one module-level object passed to run() for every request is one store for all of
// them: concurrent requests read each other's values. So is "run only if there is no store yet" once
// a startup enterWith has put a store in place. A fresh object per run() keeps them apart.
import { AsyncLocalStorage } from 'node:async_hooks';
import { fetchText, noAgent, startServer } from './http.mjs';
import { report } from './report.mjs';

const CONCURRENT = 3;

// One instance per variant, each at module scope as an application has it.
const sharedObjectContext = new AsyncLocalStorage();
const runIfMissingContext = new AsyncLocalStorage();
const unrootedContext = new AsyncLocalStorage();
const freshStoreContext = new AsyncLocalStorage();

// Flagged: the same module-level object for every run().
const requestStore = {};
function sharedObjectMiddleware(requestId, next) {
  sharedObjectContext.run(requestStore, () => { // flagged: no-shared-store
    sharedObjectContext.getStore().requestId = requestId; // flagged: no-store-mutation
    return next(sharedObjectContext);
  });
}

// Flagged: "run only if there is no store yet", with a "root context" entered at startup. The
// pattern alone is harmless (see the unrooted variant); with any startup enterWith every request
// finds the root store and shares it.
function runIfMissingMiddleware(requestId, next) {
  if (runIfMissingContext.getStore()) {
    runIfMissingContext.getStore().requestId = requestId; // flagged: no-store-mutation
    return next(runIfMissingContext);
  }
  return runIfMissingContext.run({ requestId }, () => next(runIfMissingContext)); // flagged: no-shared-store
}
runIfMissingContext.enterWith({}); // flagged: no-unsafe-enter-with

// The same middleware with no startup enterWith: each request gets its own store.
function unrootedMiddleware(requestId, next) {
  if (unrootedContext.getStore()) {
    unrootedContext.getStore().requestId = requestId; // flagged: no-store-mutation
    return next(unrootedContext);
  }
  return unrootedContext.run({ requestId }, () => next(unrootedContext)); // flagged: no-shared-store
}

// Suggested: a new object per run().
function freshStoreMiddleware(requestId, next) {
  return freshStoreContext.run({ requestId }, () => next(freshStoreContext));
}

/** Resolves once all concurrent requests have written their id, so the overlap is certain. */
function barrier(count) {
  let arrived = 0;
  let open;
  const opened = new Promise((resolve) => (open = resolve));
  return () => {
    if (++arrived === count) open();
    return opened;
  };
}

/** Sends CONCURRENT requests at once; returns the id each request read back from its store. */
async function idsReadBack(middleware) {
  const allArrived = barrier(CONCURRENT);
  const server = await startServer((req, res) =>
    middleware(req.headers['x-request-id'], async (context) => {
      await allArrived();
      res.end(context.getStore()?.requestId ?? 'none');
    }),
  );
  try {
    const ids = Array.from({ length: CONCURRENT }, (_, index) => `request-${index}`);
    const readBack = await Promise.all(
      ids.map((id) => fetchText(server.port, { agent: noAgent, headers: { 'x-request-id': id } })),
    );
    return { mismatched: ids.filter((id, index) => readBack[index] !== id).length, readBack };
  } finally {
    await server.close();
  }
}

report({
  flagged: await idsReadBack(sharedObjectMiddleware),
  runIfMissing: await idsReadBack(runIfMissingMiddleware),
  runIfMissingWithoutRoot: await idsReadBack(unrootedMiddleware),
  suggested: await idsReadBack(freshStoreMiddleware),
});
