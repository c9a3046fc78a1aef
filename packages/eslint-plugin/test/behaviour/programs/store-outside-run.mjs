// require-store-guard: outside run() getStore() is undefined, so reading a field of it throws a
// TypeError; so does a read in a timer started before any run(). `?.` or a check is the fix.
import { AsyncLocalStorage } from 'node:async_hooks';
import { report } from './report.mjs';

const als = new AsyncLocalStorage();

function currentUserFlagged() {
  return als.getStore().user; // flagged: require-store-guard
}

function currentUserGuarded() {
  return als.getStore()?.user ?? null;
}

function outcome(read) {
  try {
    return { value: read() };
  } catch (error) {
    return { error: error.constructor.name };
  }
}

// A timer scheduled outside any run() fires outside it, even while other code runs inside one.
const inTimer = new Promise((resolve) => setTimeout(() => resolve(outcome(currentUserGuarded)), 5));
const insideRun = als.run({ user: 'u1' }, () => outcome(currentUserFlagged));

report({
  outsideRun: { flagged: outcome(currentUserFlagged), guarded: outcome(currentUserGuarded) },
  insideRun,
  timerStartedOutside: await als.run({ user: 'u2' }, () => inTimer),
});
