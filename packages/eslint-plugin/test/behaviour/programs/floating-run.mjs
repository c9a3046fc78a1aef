// no-floating-run: run(store, async fn) returns fn's promise at once. Nobody awaits a floating one, so
// its rejection is an unhandledRejection (which ends the process by default); awaited, the caller
// catches it.
import { AsyncLocalStorage } from 'node:async_hooks';
import { report } from './report.mjs';

const als = new AsyncLocalStorage();
const unhandled = [];
process.on('unhandledRejection', (reason) => unhandled.push(reason.message));

async function failingJob() {
  await null;
  throw new Error(`job ${als.getStore()?.jobId} failed`);
}

function startFlagged() {
  try {
    als.run({ jobId: 'floating' }, failingJob); // flagged: no-floating-run
  } catch {
    return 'caught';
  }
  return 'not caught';
}

async function startSuggested() {
  try {
    await als.run({ jobId: 'awaited' }, failingJob);
  } catch (error) {
    return error.message;
  }
  return 'not caught';
}

const flagged = startFlagged();
const suggested = await startSuggested();
await new Promise((resolve) => setTimeout(resolve, 10));
report({ flagged, suggested, unhandled });
