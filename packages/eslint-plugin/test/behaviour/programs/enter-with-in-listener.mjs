// no-unsafe-enter-with: `enterWith` inside an EventEmitter listener changes the store of everything
// that runs after it on the emit's stack: the later listeners, the emit() caller, and the timers the
// caller schedules afterwards. Inside exit(), it leaks out of exit() on async_hooks only.
import { AsyncLocalStorage } from 'node:async_hooks';
import { EventEmitter } from 'node:events';
import { report } from './report.mjs';

const als = new AsyncLocalStorage();
const user = () => als.getStore()?.user ?? null;

function enterWithInListener() {
  const emitter = new EventEmitter();
  const seen = {};
  emitter.on('login', () => als.enterWith({ user: 'listener' })); // flagged: no-unsafe-enter-with
  emitter.on('login', () => (seen.laterListener = user()));
  return als.run({ user: 'caller' }, async () => {
    emitter.emit('login');
    seen.emitCaller = user();
    seen.callerTimer = await new Promise((resolve) => setTimeout(() => resolve(user()), 1));
    return seen;
  });
}

// The suggested form: the listener runs its work inside run(), and nothing leaks.
function runInListener() {
  const emitter = new EventEmitter();
  const seen = {};
  emitter.on('login', () => als.run({ user: 'listener' }, () => (seen.insideRun = user())));
  emitter.on('login', () => (seen.laterListener = user()));
  return als.run({ user: 'caller' }, () => {
    emitter.emit('login');
    seen.emitCaller = user();
    return seen;
  });
}

function enterWithInsideExit() {
  return als.run({ user: 'caller' }, () => {
    als.exit(() => als.enterWith({ user: 'inside exit' })); // flagged: no-unsafe-enter-with
    return user();
  });
}

report({
  flagged: await enterWithInListener(),
  suggested: runInListener(),
  afterExit: enterWithInsideExit(),
});
