// no-unbound-callback: listeners run in the context of emit(), not of on(). A listener added inside
// run() and emitted from elsewhere sees the other context or none; the bound forms the rule suggests
// keep the context of registration.
import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
import { EventEmitter } from 'node:events';
import { fetchText, noAgent, startServer } from './http.mjs';
import { report } from './report.mjs';

const als = new AsyncLocalStorage();
const requestId = () => als.getStore()?.requestId ?? null;

/** A module-level emitter (a job queue, a cache): registered in one request, emitted from another. */
function sharedEmitter() {
  const jobs = new EventEmitter();
  const seen = {};
  als.run({ requestId: 'registering' }, () => {
    // Flagged.
    jobs.on('done', () => (seen.flagged = requestId())); // flagged: no-unbound-callback
    // Suggested forms.
    jobs.on('done', AsyncLocalStorage.bind(() => (seen.asyncLocalStorageBind = requestId())));
    jobs.on('done', AsyncResource.bind(() => (seen.asyncResourceBind = requestId())));
    const snapshot = AsyncLocalStorage.snapshot();
    jobs.on('done', () => snapshot(() => (seen.snapshot = requestId())));
  });
  const emittedElsewhere = {};
  als.run({ requestId: 'emitting' }, () => jobs.emit('done'));
  Object.assign(emittedElsewhere, seen);
  jobs.emit('done');
  return { emittedInOtherRun: emittedElsewhere, emittedOutsideAnyRun: { ...seen } };
}

// Flagged: an HTTP POST handler that registers `req.on('end')` inside run().
function handlePostFlagged(req, res) {
  als.run({ requestId: req.headers['x-request-id'] }, () => {
    req.resume();
    req.on('end', () => res.end(JSON.stringify({ requestId: requestId() }))); // flagged: no-unbound-callback
  });
}

// Suggested: the listener bound to the context of registration.
function handlePostBound(req, res) {
  als.run({ requestId: req.headers['x-request-id'] }, () => {
    req.resume();
    req.on('end', AsyncLocalStorage.bind(() => res.end(JSON.stringify({ requestId: requestId() }))));
  });
}

/** What the response to a POST says its request id was. */
async function postBody(handler) {
  const server = await startServer(handler);
  try {
    const body = await fetchText(server.port, {
      method: 'POST',
      agent: noAgent,
      headers: { 'x-request-id': 'post-1' },
      body: 'x'.repeat(64 * 1024),
    });
    return JSON.parse(body).requestId;
  } finally {
    await server.close();
  }
}

report({
  ...sharedEmitter(),
  post: { flagged: await postBody(handlePostFlagged), suggested: await postBody(handlePostBound) },
});
