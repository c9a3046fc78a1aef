// no-long-lived-resource-in-run, no-large-store: a store stays alive as long as anything created
// inside its run() lives. An interval started inside run() keeps the store (and everything it holds: a
// request, its socket, its buffers) until the interval is cleared; started inside exit(), it does not.
import { AsyncLocalStorage } from 'node:async_hooks';
import { survivesCollection } from './gc.mjs';
import { report } from './report.mjs';

const als = new AsyncLocalStorage();
const poll = () => {};

async function storeKeptBy(startTimer) {
  let store = { payload: Buffer.alloc(1024) };
  const ref = new WeakRef(store);
  let timer = startTimer(store);
  // Dropping the last references is the point: the collector may now free what nothing else holds.
  // eslint-disable-next-line no-useless-assignment
  store = undefined;
  const whileTimerLives = await survivesCollection(ref);
  clearInterval(timer);
  // On async_hooks the store hangs on the Timeout object itself: dropped once nothing holds the timer.
  // eslint-disable-next-line no-useless-assignment
  timer = undefined;
  const afterClear = await survivesCollection(ref);
  return { whileTimerLives, afterClear };
}

report({
  insideRun: await storeKeptBy((store) => als.run(store, () => setInterval(poll, 60_000))), // flagged: no-long-lived-resource-in-run
  insideExit: await storeKeptBy((store) => als.run(store, () => als.exit(() => setInterval(poll, 60_000)))),
});
