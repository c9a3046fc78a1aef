import type { IncomingMessage, ServerResponse } from 'node:http';
import { bindEmitter } from '../bind.js';
import type { Context, ContextShape } from '../context.js';
import { resolveSettings, type RequestContextOptions } from './settings.js';

export type { RequestContextOptions } from './settings.js';

/** Express (4 and 5) middleware, typed structurally so that @types/express is not required. */
export type ExpressMiddleware<Req extends IncomingMessage, Res extends ServerResponse = ServerResponse> = (
  req: Req,
  res: Res,
  next: (error?: unknown) => void,
) => void;

function readNodeHeader(req: IncomingMessage, name: string): unknown {
  return req.headers[name];
}

/**
 * Runs the rest of each request in `context` with the request's id (and any `values`), and binds
 * `req` and `res` so that listeners user code adds (`req.on('data' | 'end')`, `res.on('finish')`) see
 * the request's context too. Mount it before anything that reads the context: `app.use(requestContext(request))`.
 */
export function requestContext<
  T extends ContextShape<T>,
  Req extends IncomingMessage = IncomingMessage,
  Res extends ServerResponse = ServerResponse,
>(context: Context<T>, options: RequestContextOptions<T, Req, Res> = {}): ExpressMiddleware<Req, Res> {
  const settings = resolveSettings(options, { readHeader: readNodeHeader });
  return function unthreadRequestContext(req, res, next) {
    const { id, values } = settings.storeFor(req, res);
    if (settings.echoHeader !== undefined) res.setHeader(settings.echoHeader, id);
    context.run(values, () => {
      bindEmitter(req, context);
      bindEmitter(res, context);
      next();
    });
  };
}
