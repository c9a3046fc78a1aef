import type { Context } from './context.js';
import { fields } from './fields.js';

type AnyContext = Pick<Context<Record<string, unknown>>, 'all'>;

/**
 * What winston's `format.combine()` and `createLogger({ format })` take: an object with a `transform`.
 * Written out here so the runtime loads nothing from winston (logform checks only for `transform`).
 */
export interface ContextFormat {
  transform<T extends object>(info: T): T;
}

/**
 * A winston format that adds the keys of the given contexts to every log entry, put first in the
 * logger's format: `createLogger({ format: format.combine(winstonFormat(request), format.json()) })`.
 * Instead of contexts it takes one function returning the fields, to write a key under another name:
 * `winstonFormat(() => ({ request_id: request.tryGet('requestId') }))`.
 *
 * A key passed to the log call itself wins over the context's, and an `undefined` value is not
 * written (outside a request the entry is as it was). The entry object is changed in place rather
 * than copied: winston hands an `Error` logged on its own as the entry, and `format.errors()` needs it
 * to stay one.
 */
export function winstonFormat(...sources: AnyContext[] | [() => Record<string, unknown>]): ContextFormat {
  if (sources.length === 0) throw new TypeError('winstonFormat(...contexts): pass at least one context, or one function returning the fields.');
  const first = sources[0];
  const read = typeof first === 'function' ? first : () => fields(...(sources as AnyContext[]));
  return {
    transform(info) {
      const entry = info as Record<string, unknown>;
      for (const [key, value] of Object.entries(read())) {
        if (value !== undefined && !(key in entry)) entry[key] = value;
      }
      return info;
    },
  };
}
