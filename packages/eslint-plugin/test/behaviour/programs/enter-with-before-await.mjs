// no-unsafe-enter-with: `enterWith` in an async function before its first await changes the store of
// the CALLER, which still sees it after its own `await`. The suggested `run()` keeps it inside.
import { AsyncLocalStorage } from 'node:async_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { report } from './report.mjs';

const als = new AsyncLocalStorage();

// Flagged: the synchronous part of an async function runs on the caller's stack.
async function authenticateFlagged(user) {
  als.enterWith({ user }); // flagged: no-unsafe-enter-with
  await delay(1);
}

// Suggested rewrite: the rest of the body wrapped in run().
async function authenticateSuggested(user) {
  return als.run({ user }, async () => {
    await delay(1);
  });
}

// Not flagged: after the first await the function runs in its own continuation.
async function authenticateAfterAwait(user) {
  await delay(1);
  als.enterWith({ user });
}

/** What the caller's store holds right after the call, and after awaiting it. */
function observeCaller(authenticate) {
  return als.run({ user: 'caller' }, async () => {
    const pending = authenticate('callee');
    const beforeAwait = als.getStore()?.user ?? null;
    await pending;
    const afterAwait = als.getStore()?.user ?? null;
    return { beforeAwait, afterAwait };
  });
}

report({
  flagged: await observeCaller(authenticateFlagged),
  suggested: await observeCaller(authenticateSuggested),
  afterFirstAwait: await observeCaller(authenticateAfterAwait),
});
