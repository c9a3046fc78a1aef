import { randomUUID } from 'node:crypto';

/** At most 128 characters from a set that cannot break a log line, a header or a JSON string. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:/-]{1,128}$/;

/** Whether an incoming id can be trusted into logs and response headers as it is. */
export function isSafeRequestId(value: unknown): value is string {
  return typeof value === 'string' && SAFE_REQUEST_ID.test(value);
}

/**
 * The request id to use for an incoming header value: the value itself when it is safe, otherwise a
 * generated one. A client must not be able to forge log lines or inject headers through its id.
 */
export function resolveRequestId(incoming: unknown, generate: () => string = randomUUID): string {
  return isSafeRequestId(incoming) ? incoming : generate();
}
