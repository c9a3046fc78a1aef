// no-shared-request-state: an Express app that keeps each request's id in a module-level
// variable for the client call it makes later. Under concurrent requests the variable holds whichever
// request wrote last, and the other requests' calls send that id. Kept in the request's context
// (@unthread/context's createContext and its Express middleware), each call sends its own request's id.
import { setTimeout as sleep } from 'node:timers/promises';
import { createContext } from '@unthread/context';
import { requestContext } from '@unthread/context/express';
import express from 'express';
import { fetchText, noAgent, startServer } from './http.mjs';
import { report } from './report.mjs';

const CONCURRENT = 100;

// Flagged: one variable for every request in flight.
let correlationId;

/** A downstream call that sends the request's id, as an API client does with a header. */
async function callDownstream() {
  await sleep(1);
  return correlationId;
}

function flaggedApp(arrived) {
  const app = express();
  app.get('/', async (req, res) => {
    correlationId = req.headers['x-request-id']; // flagged: no-shared-request-state
    await arrived();
    res.send(await callDownstream());
  });
  return app;
}

// Suggested: the id lives in the request's context, set once per request by the middleware.
const request = createContext({ name: 'request' });

async function callDownstreamInContext() {
  await sleep(1);
  return request.get('requestId');
}

function suggestedApp(arrived) {
  const app = express();
  app.use(requestContext(request));
  app.get('/', async (req, res) => {
    await arrived();
    res.send(await callDownstreamInContext());
  });
  return app;
}

/** Resolves once every concurrent request has reached it, so all of them are in flight at once. */
function barrier(count) {
  let reached = 0;
  let open;
  const opened = new Promise((resolve) => (open = resolve));
  return () => {
    if (++reached === count) open();
    return opened;
  };
}

/** Sends CONCURRENT requests at once; counts those whose downstream call carried another request's id. */
async function idsSentDownstream(makeApp) {
  const server = await startServer(makeApp(barrier(CONCURRENT)));
  try {
    const ids = Array.from({ length: CONCURRENT }, (_, index) => `request-${index}`);
    const sent = await Promise.all(ids.map((id) => fetchText(server.port, { agent: noAgent, headers: { 'x-request-id': id } })));
    return { requests: ids.length, crossed: ids.filter((id, index) => sent[index] !== id).length, distinct: new Set(sent).size };
  } finally {
    await server.close();
  }
}

report({ flagged: await idsSentDownstream(flaggedApp), suggested: await idsSentDownstream(suggestedApp) });
