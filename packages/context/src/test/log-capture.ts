import { pino, type Logger } from 'pino';
import type { Context, ContextShape } from '../context.js';
import { pinoMixin } from '../pino.js';

/** One parsed pino line. */
export type LogLine = Record<string, unknown> & { msg?: string };

/**
 * An in-memory pino destination. pino writes each line synchronously with `write()`, so a line is
 * here as soon as the log call returns, before the handler responds.
 */
export class LogCapture {
  readonly raw: string[] = [];
  readonly lines: LogLine[] = [];

  write(chunk: string): void {
    for (const line of chunk.split('\n')) {
      if (line === '') continue;
      this.raw.push(line);
      this.lines.push(JSON.parse(line) as LogLine);
    }
  }

  /** A logger whose every line carries the keys of `context` where the log call runs. */
  logger<T extends ContextShape<T>>(context: Context<T>): Logger {
    return pino({ mixin: pinoMixin(context) }, this);
  }

  withMessage(msg: string): LogLine[] {
    return this.lines.filter((line) => line.msg === msg);
  }
}

/** Every string anywhere in a parsed log line, to search for text that must never reach a log. */
export function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value === null || typeof value !== 'object') return [];
  return Object.values(value).flatMap(stringsIn);
}
