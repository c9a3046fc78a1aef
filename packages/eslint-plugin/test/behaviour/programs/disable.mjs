// no-disable-in-request: disable() called by one request. On async_hooks it switches the instance off
// for every chain, so a concurrent request loses its store; on AsyncContextFrame it clears the value
// of the calling chain only, so the other request keeps its store.
import { AsyncLocalStorage } from 'node:async_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { report } from './report.mjs';

const als = new AsyncLocalStorage();
const requestId = () => als.getStore()?.requestId ?? null;

async function handleRequest(id, { cleanUp }) {
  return als.run({ requestId: id }, async () => {
    await delay(1);
    if (cleanUp) als.disable(); // flagged: no-disable-in-request
    await delay(5);
    return requestId();
  });
}

const [caller, other] = await Promise.all([
  handleRequest('A', { cleanUp: true }),
  handleRequest('B', { cleanUp: false }),
]);
report({ caller, other });
