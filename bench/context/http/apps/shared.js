// What every server variant has in common, so variants differ only in their context middleware.
import { createServer } from 'node:http';
import { setImmediate as nextMacrotask } from 'node:timers/promises';

export const HEADER = 'x-request-id';

/**
 * The handler's stand-in for I/O. A macrotask hop, not just a microtask: the id has to survive the
 * same kind of boundary a database call puts between the middleware and the code that logs.
 */
export function simulatedIo() {
  return nextMacrotask();
}

/** Listens on an ephemeral port on the loopback interface and resolves to that port. */
export function listen(requestListener) {
  return new Promise((resolve, reject) => {
    const server = createServer(requestListener);
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server.address().port));
  });
}
