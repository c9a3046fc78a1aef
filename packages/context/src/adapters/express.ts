import type { IncomingMessage, ServerResponse } from 'node:http';
import { storageOf, storeToEnter, type Context, type ContextShape } from '../context.js';
import { hasListeners, objectStores } from '../object-store.js';
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
 * `req` and `res` so that their listeners (`req.on('data' | 'end')`, `res.on('finish')`) run in the
 * request's context too, whoever emits the event. Mount it before anything that reads the context:
 * `app.use(requestContext(request))`.
 */
export function requestContext<
  T extends ContextShape<T>,
  Req extends IncomingMessage = IncomingMessage,
  Res extends ServerResponse = ServerResponse,
>(context: Context<T>, options: RequestContextOptions<T, Req, Res> = {}): ExpressMiddleware<Req, Res> {
  const settings = resolveSettings(options, { readHeader: readNodeHeader });
  const storage = storageOf(context);
  if (storage === undefined) throw new TypeError('requestContext: the context was not made by createContext.');
  const stores = objectStores(storage);
  return function unthreadRequestContext(req, res, next) {
    const { id, values } = settings.storeFor(req, res);
    if (settings.echoHeader !== undefined) res.setHeader(settings.echoHeader, id);
    const store = storeToEnter(storage, values);
    // req and res carry the store, and their emits with a listener run in it (see object-store.ts):
    // no closure per listener, nor per request.
    stores.attach(req, store);
    stores.attach(res, store);
    stores.runMethodInStore(req, 'emit', hasListeners);
    stores.runMethodInStore(res, 'emit', hasListeners);
    storage.run(store, next);
  };
}
