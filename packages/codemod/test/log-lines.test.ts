// The log fixtures run: input/ and expected/ of each fixtures/codemod/log-* case, compiled and driven
// through the same entry point, write the same pino or winston lines: the same fields with the same values (time,
// pid and hostname dropped). The mixin must write the field the log calls wrote, under its name, with
// its value. Key order is compared apart: it may move where the report says so (`movesInLine`).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

const packageDir = path.resolve(import.meta.dirname, '..');
const fixturesDir = path.resolve(packageDir, '../../fixtures/codemod');
// Under this package, so `pino` and `@unthread/context` resolve through its node_modules.
const tmpRoot = path.join(packageDir, '.tmp');

/** Per case, a driver that calls entry points whose signatures the codemod leaves alone. */
const DRIVERS: Record<string, string> = {
  'log-fields-pino': "import { handleRefund } from './src/handler.js';\nhandleRefund('inv-1');\nhandleRefund('inv-2');\n",
  'log-child-wrapper': "import { expireStale } from './src/jobs.js';\nexpireStale(['o-1', 'o-2']);\n",
  'log-field-rename': "import { checkout } from './src/checkout.js';\ncheckout('card-1', 1200, 'req-3');\n",
  'log-wrapper-fields': "import { onRetire } from './src/routes.js';\nonRetire('sku-1', 'req-7');\n",
  'log-fields-winston':
    "import { onInvoiceRequest } from './src/routes.js';\nonInvoiceRequest({ 'x-request-id': 'req-1' });\nonInvoiceRequest({ 'x-request-id': 'req-2' });\n",
  'log-json-wrapper': [
    "import { announce } from './src/startup.js';",
    "import { onReserve } from './src/routes.js';",
    "announce();\nonReserve({ 'x-request-id': 'req-1' }, 2);\nonReserve({ 'x-request-id': 'req-2' }, 9);\nonReserve({}, 1);",
    '',
  ].join('\n'),
  'import-order-sorted': "import { onOrder } from './src/routes.js';\nonOrder({ 'x-request-id': 'req-4' });\nonOrder({});\n",
  'log-winston-commonjs': [
    "const { submitCard } = require('./app/controllers/charge.controller.js');",
    "submitCard({ headers: { 'x-request-id': 'req-1' }, body: { cardNumber: '4111' } });",
    "submitCard({ headers: { 'x-request-id': 'req-2' }, body: { cardNumber: '5500' } });",
    '',
  ].join('\n'),
};

/**
 * Lines that carry nothing that differs from run to run must be the same bytes. Each case's control
 * removes what the codemod added to make the logger read the context: the lines must then differ.
 */
const BYTE_FOR_BYTE: Record<string, RegExp> = {
  'log-fields-winston': /winstonFormat\(.*?\)\)?,\s*/,
  'log-winston-commonjs': /winstonFormat\(.*?\)\)?,\s*/,
  'log-json-wrapper': /request_id: request\.tryGet\('requestId'\), /,
};

// Differ from run to run whatever the code does.
const VOLATILE = new Set(['time', 'pid', 'hostname']);

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** The project's src/*.ts as JavaScript next to a driver, run by node; its stdout lines without the volatile fields. */
function linesOf(projectDir: string, driver: string, change: (file: string, text: string) => string = (_, text) => text): string[] {
  return outputOf(projectDir, driver, change)
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const fields = Object.entries(JSON.parse(line) as Record<string, unknown>).filter(([key]) => !VOLATILE.has(key));
      return JSON.stringify(Object.fromEntries(fields.sort(([a], [b]) => (a < b ? -1 : 1))));
    });
}

/** What the compiled project writes to stdout when the driver runs it. */
function outputOf(projectDir: string, driver: string, change: (file: string, text: string) => string = (_, text) => text): string {
  mkdirSync(tmpRoot, { recursive: true });
  const dir = mkdtempSync(path.join(tmpRoot, 'log-lines-'));
  made.push(dir);
  const tsSources = existsSync(path.join(projectDir, 'src')) ? readdirSync(path.join(projectDir, 'src')).filter((n) => n.endsWith('.ts')) : [];
  if (tsSources.length === 0) {
    // A JavaScript project runs as it is (its own package.json says CommonJS or ESM).
    cpSync(projectDir, dir, { recursive: true, filter: (source) => !source.includes('node_modules') });
    for (const file of readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'))) {
      writeFileSync(path.join(dir, file), change(file, readFileSync(path.join(dir, file), 'utf8')));
    }
  } else {
    mkdirSync(path.join(dir, 'src'));
    for (const name of tsSources) {
      const source = change(name, readFileSync(path.join(projectDir, 'src', name), 'utf8'));
      const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
      writeFileSync(path.join(dir, 'src', name.replace(/\.ts$/, '.js')), outputText);
    }
    writeFileSync(path.join(dir, 'package.json'), '{ "private": true, "type": "module" }\n');
  }
  const driverFile = driver.includes('require(') ? 'drive.cjs' : 'drive.js';
  writeFileSync(path.join(dir, driverFile), driver);
  const run = spawnSync(process.execPath, [driverFile], { cwd: dir, encoding: 'utf8', timeout: 20_000 });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout;
}

describe('log fixtures write the same lines before and after the codemod', () => {
  it.each(Object.keys(DRIVERS))('%s', (name) => {
    const before = linesOf(path.join(fixturesDir, name, 'input'), DRIVERS[name]!);
    expect(before.length).toBeGreaterThan(1);
    expect(linesOf(path.join(fixturesDir, name, 'expected'), DRIVERS[name]!)).toEqual(before);
  });

  it.each(Object.keys(BYTE_FOR_BYTE))('%s: the same bytes', (name) => {
    const before = outputOf(path.join(fixturesDir, name, 'input'), DRIVERS[name]!);
    expect(before.split('\n').filter((line) => /"(requestId|x_request_id|request_id)":"req-/.test(line)).length).toBeGreaterThan(1);
    expect(outputOf(path.join(fixturesDir, name, 'expected'), DRIVERS[name]!)).toBe(before);
    // Without the format the lines lose the field: the comparison sees it.
    const unconfigured = outputOf(path.join(fixturesDir, name, 'expected'), DRIVERS[name]!, (_, text) => text.replace(BYTE_FOR_BYTE[name]!, ''));
    expect(unconfigured).not.toBe(before);
  });

  it('tells them apart when the mixin writes the key under another name than the log calls did', () => {
    const name = 'log-field-rename';
    const before = linesOf(path.join(fixturesDir, name, 'input'), DRIVERS[name]!);
    const renamedBack = linesOf(path.join(fixturesDir, name, 'expected'), DRIVERS[name]!, (_, text) => text.replace('request_id: request', 'requestId: request'));
    expect(renamedBack).not.toEqual(before);
    expect(before.every((line) => line.includes('"request_id":'))).toBe(true);
  });
});
