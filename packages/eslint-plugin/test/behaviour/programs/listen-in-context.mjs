// no-shared-store, no-unsafe-enter-with: a server started inside run(), or after a top-level
// enterWith, hands that one store to every request handler; a store made per request does not.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createServer } from 'node:http';
import { fetchText, noAgent, startServer } from './http.mjs';
import { report } from './report.mjs';

const als = new AsyncLocalStorage();
const handler = (req, res) => res.end(JSON.stringify(als.getStore() ?? null));

async function storesSeen(server) {
  try {
    const first = await fetchText(server.port, { agent: noAgent, headers: { 'x-request-id': 'r1' } });
    const second = await fetchText(server.port, { agent: noAgent, headers: { 'x-request-id': 'r2' } });
    return [JSON.parse(first), JSON.parse(second)];
  } finally {
    await server.close();
  }
}

// The server, and every connection it accepts, is created inside run().
const insideRun = await storesSeen(
  await als.run({ startedBy: 'run' }, async () => {
    const server = createServer(handler);
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
      port: server.address().port,
      close: () => new Promise((resolve) => server.close(resolve)),
    };
  }),
);

// Suggested: started outside any run(), each request gets the store its own run() makes.
const perRequest = await storesSeen(
  await startServer((req, res) => als.run({ requestId: req.headers['x-request-id'] }, () => handler(req, res))),
);

// Flagged: a top-level enterWith before listen().
als.enterWith({ startedBy: 'enterWith' }); // flagged: no-unsafe-enter-with
const afterEnterWith = await storesSeen(await startServer(handler));

report({ insideRun, perRequest, afterEnterWith });
