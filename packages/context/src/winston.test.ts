import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createLogger, format, transports, type Logger } from 'winston';
import { createContext } from './index.js';
import { winstonFormat, type ContextFormat } from './winston.js';

const request = createContext<{ requestId: string; tenantId?: string | undefined }>({ name: 'request' });

/** A real winston logger writing each formatted line to memory, in the order winston writes them. */
function memoryLogger(first: ContextFormat, last = format.json()): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString().trimEnd());
      done();
    },
  });
  const logger = createLogger({ format: format.combine(first, format.errors({ stack: true }), last), transports: [new transports.Stream({ stream })] });
  return { logger, lines };
}

describe('winstonFormat', () => {
  it('adds the context keys to every entry where the log call runs; a key passed to the call wins', async () => {
    const { logger, lines } = memoryLogger(winstonFormat(request));
    logger.info('outside');
    await request.run({ requestId: 'r-1', tenantId: 't-1' }, async () => {
      await sleep(1);
      logger.info('inside');
      logger.warn('override', { tenantId: 'explicit' });
    });
    expect(lines).toEqual([
      '{"level":"info","message":"outside"}',
      '{"level":"info","message":"inside","requestId":"r-1","tenantId":"t-1"}',
      '{"level":"warn","message":"override","requestId":"r-1","tenantId":"explicit"}',
    ]);
  });

  it('writes the same line as a call that passed the field itself', async () => {
    const before = memoryLogger(winstonFormat(() => ({})));
    const after = memoryLogger(winstonFormat(() => ({ request_id: request.tryGet('requestId') })));
    await Promise.all(
      ['a', 'b', 'c'].map((id, i) =>
        request.run({ requestId: id }, async () => {
          await sleep(3 - i);
          before.logger.info('order placed', { request_id: id, total: i });
          after.logger.info('order placed', { total: i });
          before.logger.info('plain', { request_id: id });
          after.logger.info('plain');
        }),
      ),
    );
    expect(after.lines).toEqual(before.lines);
    expect(after.lines[0]).toBe('{"level":"info","message":"order placed","request_id":"c","total":2}');
  });

  it('writes no key whose value is undefined, and leaves a logged Error an Error', () => {
    const { logger, lines } = memoryLogger(
      winstonFormat(request),
      format.printf((info) => `${info.level} ${String(info.message)} ${String(info.requestId)} ${String(info.stack).split('\n')[0]} ${'tenantId' in info}`),
    );
    request.run({ requestId: 'r-9', tenantId: undefined }, () => logger.error(new Error('boom')));
    logger.info('no request');
    expect(lines).toEqual(['error boom r-9 Error: boom false', 'info no request undefined undefined false']);
  });

  it('needs a context or a function', () => {
    expect(() => (winstonFormat)()).toThrow('pass at least one context');
  });
});
