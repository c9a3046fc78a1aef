// no-unbound-callback: a callback handed to a deferred thenable runs in the context of whoever
// resolves it, and a stream's 'data'/'end' listeners in the context of whoever writes; `await` on the
// thenable and `for await` keep the caller's context. `pipeline`'s callback runs in the writer's
// context on Node 20 and in the caller's on Node 24.
import { AsyncLocalStorage } from 'node:async_hooks';
import { PassThrough, Writable, pipeline } from 'node:stream';
import { report } from './report.mjs';

const als = new AsyncLocalStorage();
const requestId = () => als.getStore()?.requestId ?? null;

/** A hand-written thenable resolved later, from wherever `resolve` is called (a cache, a batcher). */
function deferred() {
  const callbacks = [];
  return {
    then(onFulfilled) {
      callbacks.push(onFulfilled);
    },
    resolve(value) {
      for (const callback of callbacks.splice(0)) callback(value);
    },
  };
}

async function thenables() {
  const seen = {};
  const flagged = deferred();
  const awaited = deferred();
  const waiting = als.run({ requestId: 'caller' }, async () => {
    flagged.then(() => (seen.then = requestId()));
    await awaited;
    seen.await = requestId();
  });
  // `await` subscribes a microtask later: the resolver comes a timer later, as a real one would.
  als.run({ requestId: 'resolver' }, () =>
    setTimeout(() => {
      flagged.resolve();
      awaited.resolve();
    }, 1),
  );
  await waiting;
  return seen;
}

async function streams() {
  const seen = {};
  const source = new PassThrough();
  await als.run({ requestId: 'reader' }, async () => {
    source.on('data', () => (seen.data ??= requestId())); // flagged: no-unbound-callback
    source.on('end', () => (seen.end = requestId())); // flagged: no-unbound-callback
    const piped = new PassThrough();
    const sink = new Writable({ write: (chunk, encoding, next) => next() });
    const done = new Promise((resolve) => {
      pipeline(piped, sink, () => resolve((seen.pipeline = requestId())));
    });
    const iterated = new PassThrough();
    const iterating = (async () => {
      for await (const chunk of iterated) seen.forAwait ??= chunk && requestId();
    })();
    als.run({ requestId: 'writer' }, () => {
      source.end('x');
      piped.end('x');
      iterated.end('x');
    });
    await Promise.all([done, iterating, new Promise((resolve) => source.once('close', resolve))]);
  });
  return seen;
}

report({ thenables: await thenables(), streams: await streams() });
