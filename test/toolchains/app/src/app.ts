// An application as a CommonJS or an ESM service writes it, using every entry of @unthread/context.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Request as HapiRequest } from '@hapi/hapi';
import { createContext, MissingContextError, runJob } from '@unthread/context';
import { requestContext as expressContext } from '@unthread/context/express';
import { requestContext as fastifyContext } from '@unthread/context/fastify';
import { requestContext as hapiContext } from '@unthread/context/hapi';
import { requestContext as honoContext } from '@unthread/context/hono';
import { requestContext as koaContext } from '@unthread/context/koa';
import { RequestContextModule } from '@unthread/context/nest';
import { pinoMixin } from '@unthread/context/pino';

interface RequestStore {
  requestId: string;
  tenant?: string;
}

export const request = createContext<RequestStore>({ name: 'request' });

/** The hapi plugin's typed request decoration: the id where only hapi's `request` is at hand. */
export const hapiRequestId = (hapiRequest: HapiRequest): string => hapiRequest.requestId;

/** What the app saw: the id one HTTP request carried, a job's id, a log line's fields, an error's class. */
export interface Seen {
  served: string;
  job: string;
  logFields: Record<string, unknown>;
  outside: string;
  middlewares: string[];
  nestModule: { global: boolean | undefined; exports: number };
}

/** Serves one request on 127.0.0.1 through the Express middleware (on node:http) and reads the rest. */
export async function exercise(): Promise<Seen> {
  const middleware = expressContext(request);
  const mixin = pinoMixin(request);
  let logFields: Record<string, unknown> = {};
  const server = createServer((req: IncomingMessage, res: ServerResponse) =>
    middleware(req, res, () => {
      logFields = mixin();
      res.end(request.get('requestId'));
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/`, { headers: { 'x-request-id': 'req-1' } });
    const served = await response.text();
    const job = runJob(request, () => request.get('requestId'), { id: 'job-1' });
    let outside = 'no error';
    try {
      request.get('requestId');
    } catch (error) {
      if (error instanceof MissingContextError) outside = error.name;
    }
    const middlewares = [fastifyContext(request), honoContext(request), koaContext(request), hapiContext(request).register].map(
      (m) => typeof m,
    );
    const nest = RequestContextModule.forRoot({ context: request });
    const nestModule = { global: nest.global, exports: nest.exports?.length ?? 0 };
    return { served, job, logFields, outside, middlewares, nestModule };
  } finally {
    server.close();
  }
}
