// no-unsafe-enter-with: `enterWith` in an HTTP handler. On async_hooks (Node 20, 22) the next request
// on the same kept-alive socket starts with the previous request's store; on AsyncContextFrame (Node
// 24 by default) it does not. The suggested `run()` never leaks.
import { AsyncLocalStorage } from 'node:async_hooks';
import { fetchText, keepAliveAgent, startServer } from './http.mjs';
import { report } from './report.mjs';

const als = new AsyncLocalStorage();

// Flagged.
function handleFlagged(req, res) {
  const inherited = als.getStore()?.requestId ?? null;
  als.enterWith({ requestId: req.headers['x-request-id'] }); // flagged: no-unsafe-enter-with
  res.end(JSON.stringify({ inherited }));
}

// Suggested rewrite: `als.enterWith(s); respond()` becomes `als.run(s, () => respond())`.
function handleSuggested(req, res) {
  const inherited = als.getStore()?.requestId ?? null;
  als.run({ requestId: req.headers['x-request-id'] }, () => res.end(JSON.stringify({ inherited })));
}

/** Two requests, one after the other, over one kept-alive socket: what did the second inherit? */
async function secondRequestInherits(handler) {
  const server = await startServer(handler);
  const agent = keepAliveAgent();
  try {
    const first = JSON.parse(await fetchText(server.port, { agent, headers: { 'x-request-id': 'first' } }));
    const second = JSON.parse(await fetchText(server.port, { agent, headers: { 'x-request-id': 'second' } }));
    return { first: first.inherited, second: second.inherited, sockets: server.connections() };
  } finally {
    agent.destroy();
    await server.close();
  }
}

report({
  flagged: await secondRequestInherits(handleFlagged),
  suggested: await secondRequestInherits(handleSuggested),
});
