import { Readable } from 'node:stream';
import { bindCallback } from '../bind.js';

/** Set on an app's response prototype once its `body` setter binds stream bodies. */
const BINDS_STREAM_BODIES = Symbol('unthread.bindsStreamBodies');

const boundBodies = new WeakSet<Readable>();

/**
 * Makes the stream bodies of this response's app read in the context they were set in. Koa pipes
 * `ctx.body` into the response after the middleware has returned, outside any request's context,
 * and a stream reads (runs an async generator of `Readable.from`, calls fs) in the context of
 * whoever asks for data: without this, none.
 *
 * Done once per app, on `app.response`, the prototype Koa makes each `ctx.response` from and the
 * place it offers for extending responses: a request whose body is not a stream pays nothing more.
 */
export function bindStreamBodies(response: object): void {
  if ((response as Record<symbol, unknown>)[BINDS_STREAM_BODIES] === true) return;
  const appResponse = Object.getPrototypeOf(response) as object | null;
  if (appResponse === null) return;
  const body = findAccessor(appResponse, 'body');
  if (body?.get !== undefined && body.set !== undefined) {
    // eslint-disable-next-line @typescript-eslint/unbound-method -- accessors, called below with the response as `this`
    const { get, set } = body;
    Object.defineProperty(appResponse, 'body', {
      configurable: true,
      enumerable: body.enumerable ?? false,
      get,
      set(this: object, value: unknown) {
        set.call(this, value);
        if (value instanceof Readable) bindReads(value);
      },
    });
  }
  Object.defineProperty(appResponse, BINDS_STREAM_BODIES, { value: true });
}

function findAccessor(object: object, key: string): PropertyDescriptor | undefined {
  for (let current: object | null = object; current !== null; current = Object.getPrototypeOf(current) as object | null) {
    const descriptor = Object.getOwnPropertyDescriptor(current, key);
    if (descriptor !== undefined) return descriptor;
  }
  return undefined;
}

/**
 * Runs the stream's `_read`, where every read starts, in every context current now (this package's
 * and others', such as OpenTelemetry's). What a read schedules (the generator's awaits, fs callbacks)
 * then follows, whoever asked for the data: Koa's pipe, or the response's 'drain' after backpressure.
 */
function bindReads(stream: Readable): void {
  if (boundBodies.has(stream)) return;
  boundBodies.add(stream);
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called with the stream as `this` by Readable
  const read = stream._read;
  if (typeof read === 'function') stream._read = bindCallback(read);
}
