// A real HTTP server on 127.0.0.1 for the programs that need one, and a client that reads bodies.
import { Agent, createServer, request } from 'node:http';

/** Starts `handler` on an ephemeral port; `close()` also ends kept-alive sockets. */
export async function startServer(handler) {
  const server = createServer(handler);
  let connections = 0;
  server.on('connection', () => connections++);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    port,
    connections: () => connections,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}

/** One request; resolves with the response body as text. */
export function fetchText(port, { path = '/', method = 'GET', headers = {}, body, agent } = {}) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve(text));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** An agent that sends every request over one kept-alive socket, as a browser or a proxy does. */
export function keepAliveAgent() {
  return new Agent({ keepAlive: true, maxSockets: 1 });
}

/** A fresh socket per request, so concurrent requests really are concurrent connections. */
export const noAgent = false;
