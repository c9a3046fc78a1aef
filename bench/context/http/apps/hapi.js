// hapi 21 servers. See express.js for the shape. hapi has no middleware to wrap the rest of a request
// in, so the baseline is a hand-written hapi server with no context at all: its handler reads the id
// from the header itself, as code that threads `request` does.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import Hapi from '@hapi/hapi';
import { createContext } from '@unthread/context';
import { HEADER, simulatedIo } from './shared.js';

const variants = {
  async ours(server) {
    const { requestContext } = await import('@unthread/context/hapi');
    const request = createContext({ name: 'request' });
    await server.register(requestContext(request));
    return () => request.get('requestId');
  },
  async raw() {
    return (req) => req.headers[HEADER] ?? randomUUID();
  },
  async 'als-on'() {
    // One run at startup switches AsyncLocalStorage on for the process (on Node 20, async_hooks'
    // promise hooks, paid on every promise hapi's lifecycle makes); nothing per request.
    new AsyncLocalStorage().run({}, () => undefined);
    return (req) => req.headers[HEADER] ?? randomUUID();
  },
  async 'cls-rtracer'(server) {
    const { default: rTracer } = await import('cls-rtracer');
    await server.register({ plugin: rTracer.hapiPlugin, options: { useHeader: true, headerName: HEADER } });
    return () => rTracer.id();
  },
};

export async function start(variant) {
  const server = Hapi.server({ port: 0, host: '127.0.0.1', debug: false });
  const readId = await variants[variant](server);
  server.route({
    method: 'GET',
    path: '/',
    handler: async (req) => {
      await simulatedIo();
      return { requestId: readId(req) };
    },
  });
  await server.start();
  return server.info.port;
}

export const variantIds = Object.keys(variants);
