// Imports only a threaded parameter's type used: removed with the parameter, kept while anything else
// (a kept function's parameter, a value use) still needs them.
import { describe, expect, it } from 'vitest';
import { unthreadInline } from '../test/inline.js';

const files = (keepOne: boolean): Record<string, string> => ({
  'src/log.ts': 'export interface Logger {\n  info(message: string): void;\n}\nexport const makeLogger = (): Logger => ({ info: () => undefined });\n',
  'src/work.ts':
    "import { makeLogger, type Logger } from './log.js';\n" +
    "import type { Logger as Alias } from './log.js';\n\n" +
    'export function first(logger: Logger, n: number): number {\n  return second(logger, n + 1);\n}\n' +
    'export function second(logger: Alias, n: number): number {\n  return n;\n}\n' +
    (keepOne ? 'export const handlers = [second];\n' : '') +
    'export const main = (): number => first(makeLogger(), 1);\n',
});

describe('analyze: imports of a parameter type', () => {
  it('go when every parameter that used them goes; a binding another name still uses stays', () => {
    const run = unthreadInline(files(false), { params: ['logger'] });
    expect(run.output['src/work.ts']?.split('\n').slice(0, 3)).toEqual(["import { makeLogger } from './log.js';", "import { request } from './context.js';", '']);
  });

  it('stay while a kept function\'s parameter still uses them', () => {
    const run = unthreadInline(files(true), { params: ['logger'] });
    expect(run.fn('second').decision).toBe('keep');
    expect(run.fn('first').decision).toBe('strip');
    expect(run.output['src/work.ts']?.split('\n').slice(0, 3)).toEqual([
      "import { makeLogger } from './log.js';",
      "import type { Logger as Alias } from './log.js';",
      "import { request } from './context.js';",
    ]);
  });
});
