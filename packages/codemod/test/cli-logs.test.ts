// The CLI's report on log fields: how many went, where the logger was configured, and each one kept
// with why, in the summary and in --json. Small projects with the real pino or winston installed beside them.
import { readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { project, TSCONFIG, unthread } from './support/cli.js';

const pinoPackage = path.resolve(import.meta.dirname, '../node_modules/pino');
const winstonPackage = path.resolve(import.meta.dirname, '../node_modules/winston');

const FILES = {
  'package.json': '{ "private": true, "type": "module" }\n',
  'tsconfig.json': TSCONFIG,
  'src/logger.ts': "import { pino } from 'pino';\n\nexport const log = pino({ name: 'api' });\n",
  'src/orders.ts':
    "import type { Logger } from 'pino';\nimport { log } from './logger.js';\n\n" +
    "export function load(user: string, requestId: string): void {\n  log.info({ user, requestId }, 'loaded');\n}\n\n" +
    "export function audit(to: Logger, requestId: string): void {\n  to.info({ requestId }, 'audited');\n}\n",
  'src/app.ts': "import { load, audit } from './orders.js';\nimport { log } from './logger.js';\n\nexport function handle(id: string): void {\n  load('ada', id);\n  audit(log, id);\n}\n",
};

describe('unthread CLI on log fields', () => {
  it('counts the fields removed, names the logger it configured, and says why a field stays', () => {
    const dir = project(FILES);
    symlinkSync(pinoPackage, path.join(dir, 'node_modules/pino'), 'dir');
    const { code, stdout } = unthread(dir, ['.', '--dry', '--json', 'plan.json']);
    expect(code, stdout).toBe(0);
    expect(stdout).toContain('+export const log = pino({ name: \'api\', mixin: pinoMixin(request) });');
    expect(stdout).toContain("+  log.info({ user }, 'loaded');");
    expect(stdout).toContain('Logs: 1 field(s) removed from log calls; the logger writes them from the context, configured at src/logger.ts:3');
    expect(stdout).toContain('src/orders.ts:9 requestId: `to` is a parameter');
    const plan = JSON.parse(readFileSync(path.join(dir, 'plan.json'), 'utf8')) as {
      logs: { configured: unknown[]; fieldsRemoved: unknown[]; kept: { file: string; line: number; reason: string }[] };
      summary: { logFieldsRemoved: number };
    };
    expect(plan.summary.logFieldsRemoved).toBe(1);
    expect(plan.logs.configured).toEqual([{ file: 'src/logger.ts', line: 3, library: 'pino', mixin: 'pinoMixin(request)' }]);
    expect(plan.logs.fieldsRemoved).toEqual([{ file: 'src/orders.ts', line: 5, field: 'requestId', key: 'requestId', movesInLine: true }]);
    expect(plan.logs.kept).toHaveLength(1);
    expect(plan.logs.kept[0]).toMatchObject({ file: 'src/orders.ts', line: 9, field: 'requestId' });
    expect(plan.logs.kept[0]?.reason).toMatch(/`to` is a parameter/);
  });

  it('configures a winston logger through its format and keeps the fields of loggers it cannot configure safely, saying why', () => {
    const dir = project({
      'package.json': '{ "private": true, "type": "module" }\n',
      'tsconfig.json': TSCONFIG,
      'src/logger.ts': [
        "import { createLogger, format, transports } from 'winston';",
        '',
        "export const logger = createLogger({ defaultMeta: { service: 'api' }, format: format.combine(format.json()), transports: [new transports.Console()] });",
        'export const plain = createLogger({ format: format.json() });',
        "export const tagged = createLogger({ defaultMeta: { requestId: 'boot' }, format: format.combine(format.json()) });",
        '',
      ].join('\n'),
      'src/orders.ts': [
        "import { logger, plain, tagged } from './logger.js';",
        '',
        'export function load(user: string, requestId: string): void {',
        "  logger.info('loaded', { user, requestId });",
        "  plain.info('plain', { requestId });",
        "  tagged.info('tagged', { requestId });",
        "  console.info('printed', { requestId });",
        '}',
        '',
      ].join('\n'),
      'src/app.ts': "import { load } from './orders.js';\n\nexport function handle(id: string): void {\n  load('ada', id);\n}\n",
    });
    symlinkSync(winstonPackage, path.join(dir, 'node_modules/winston'), 'dir');
    const { code, stdout } = unthread(dir, ['.', '--dry', '--json', 'plan.json']);
    expect(code, stdout).toBe(0);
    expect(stdout).toContain("+import { winstonFormat } from '@unthread/context/winston';");
    expect(stdout).toContain('format: format.combine(winstonFormat(request), format.json())');
    expect(stdout).toContain("+  logger.info('loaded', { user });");
    expect(stdout).toContain('configured at src/logger.ts:3 (format: winstonFormat(request))');
    const plan = JSON.parse(readFileSync(path.join(dir, 'plan.json'), 'utf8')) as {
      logs: { configured: unknown[]; fieldsRemoved: unknown[]; kept: { file: string; line: number; reason: string }[] };
    };
    expect(plan.logs.configured).toEqual([{ file: 'src/logger.ts', line: 3, library: 'winston', mixin: 'winstonFormat(request)' }]);
    expect(plan.logs.fieldsRemoved).toEqual([{ file: 'src/orders.ts', line: 4, field: 'requestId', key: 'requestId', movesInLine: true }]);
    const reasons = Object.fromEntries(plan.logs.kept.map((k) => [k.line, k.reason]));
    expect(Object.keys(reasons)).toEqual(['5', '6', '7']);
    expect(reasons[5]).toMatch(/its format is not a format\.combine/);
    expect(reasons[6]).toMatch(/gives every line a fixed `requestId` already/);
    expect(reasons[7]).toMatch(/console has no hook/);
  });
});
