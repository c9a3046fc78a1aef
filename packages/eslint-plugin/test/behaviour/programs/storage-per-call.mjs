// no-storage-per-call: an AsyncLocalStorage made per call and used once is never freed while it is
// enabled (async_hooks keeps every enabled instance in a list; disable() takes it out). The program
// also prints how much slower a run() and an await become with many live instances, for the rule's
// page; the test asserts only what does not depend on the machine's speed.
import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import { survivesCollection } from './gc.mjs';
import { report } from './report.mjs';

function handleRequest(requestId) {
  const als = new AsyncLocalStorage(); // flagged: no-storage-per-call
  als.run({ requestId }, () => als.getStore());
  return als;
}

async function instanceSurvives({ disable }) {
  let als = handleRequest('r1');
  const ref = new WeakRef(als);
  if (disable) als.disable();
  // Dropping the last reference is the point: the collector may now free the instance.
  // eslint-disable-next-line no-useless-assignment
  als = undefined;
  return survivesCollection(ref);
}

const probe = new AsyncLocalStorage();

/** Milliseconds for `rounds` top-level run()s, each awaiting a resolved promise. */
async function timeRuns(rounds) {
  const start = performance.now();
  for (let i = 0; i < rounds; i++) await probe.run(i, async () => await null);
  return performance.now() - start;
}

const surviving = await instanceSurvives({ disable: false });
const survivingAfterDisable = await instanceSurvives({ disable: true });
const baselineMs = await timeRuns(2_000);
const live = [];
for (let i = 0; i < 2_000; i++) live.push(handleRequest(`r${i}`));
const withLiveInstancesMs = await timeRuns(2_000);

report({
  surviving,
  survivingAfterDisable,
  liveInstances: live.length,
  slowdown: Math.round(withLiveInstancesMs / baselineMs),
});
