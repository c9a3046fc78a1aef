// Generates the service the ESLint benchmark lints: exactly N TypeScript files of a service that
// already uses async context, so the plugin's rules have real work on every file, not an early exit.
// Middleware runs each request in `request.run(...)` from @unthread/context, a raw
// AsyncLocalStorage from node:async_hooks carries trace spans, services read the id with
// `request.get`/`getStore()`, repositories hand callbacks to a pool, event modules add listeners,
// jobs start timers, and a share of functions still thread `requestId` by hand. A few known
// mistakes (enterWith in middleware, an unchecked `getStore().x`, a store mutated in place, a storage
// made per call, a timer started inside run()) appear in every tenth domain, as in a real code base
// on its way to clean.
//
// Deterministic: the same N gives byte-identical files. Usage (writes into an empty directory):
//   node bench/eslint/generate.js <dir> <files>
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { seededRandom } from '../lib/random.js';
import { writeTree } from '../lib/workdir.js';

const NOUNS = ['order', 'user', 'invoice', 'payment', 'shipment', 'product', 'cart', 'review', 'coupon', 'account', 'ticket', 'report'];
const FILES_PER_DOMAIN = 10;
const SHARED_FILES = 6;

const pascal = (word) => word[0].toUpperCase() + word.slice(1);

const sharedFiles = {
  'src/context.ts': `import { AsyncLocalStorage } from 'node:async_hooks';
import { createContext } from '@unthread/context';

export interface RequestStore {
  requestId: string;
  tenantId: string;
}

export const request = createContext<RequestStore>({ name: 'request' });

export interface Span {
  name: string;
  startedAt: number;
}

export const spans = new AsyncLocalStorage<Span>();
`,
  'src/logger.ts': `import { request } from './context.js';

export type Level = 'debug' | 'info' | 'warn' | 'error';

export function log(level: Level, message: string, fields: Record<string, unknown> = {}): void {
  const line = { level, message, ...request.all(), ...fields, time: Date.now() };
  process.stdout.write(\`\${JSON.stringify(line)}\\n\`);
}
`,
  'src/pool.ts': `import { EventEmitter } from 'node:events';

export interface Row {
  id: string;
  ownerId: string;
  amount: number;
}

export type QueryCallback = (error: Error | null, rows: Row[]) => void;

export class Pool extends EventEmitter {
  query(sql: string, params: unknown[], callback: QueryCallback): void {
    setImmediate(() => callback(null, params.length > 0 ? [] : [{ id: sql, ownerId: '', amount: 0 }]));
  }
}

export const pool = new Pool();
`,
  'src/http.ts': `import type { IncomingMessage, ServerResponse } from 'node:http';

export type Next = (error?: unknown) => void;
export type Middleware = (req: IncomingMessage, res: ServerResponse, next: Next) => void;
export type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
`,
  'src/errors.ts': `export class NotFoundError extends Error {
  constructor(what: string, id: string) {
    super(\`\${what} \${id} not found\`);
    this.name = 'NotFoundError';
  }
}
`,
};

function serverFile(domains) {
  return `import { createServer } from 'node:http';
import type { Handler, Middleware } from './http.js';
${domains.map((d) => `import * as ${d.id} from './domains/${d.id}/index.js';`).join('\n')}

const middleware: Middleware[] = [
${domains.map((d) => `  ${d.id}.${d.id}Middleware,`).join('\n')}
];

const routes = new Map<string, Handler>([
${domains.map((d) => `  ['/${d.id}', ${d.id}.handle${d.Noun}],`).join('\n')}
]);

export function start(port: number): void {
  createServer((req, res) => {
    const handler = routes.get(req.url ?? '/');
    if (!handler) {
      res.statusCode = 404;
      res.end();
      return;
    }
    const first = middleware[0];
    if (first) first(req, res, () => void handler(req, res));
  }).listen(port, '127.0.0.1');
}
`;
}

function middlewareFile({ id, index }) {
  // Every tenth domain still uses enterWith: the leak the plugin exists to catch.
  const enter = index % 10 === 3;
  return `import { randomUUID } from 'node:crypto';
import { request, spans } from '../../context.js';
import { header } from '../../http.js';
import type { Middleware } from '../../http.js';

export const ${id}Middleware: Middleware = (req, res, next) => {
  const requestId = header(req, 'x-request-id') ?? randomUUID();
  const tenantId = header(req, 'x-tenant-id') ?? 'public';
  res.setHeader('x-request-id', requestId);
${enter
    ? `  spans.enterWith({ name: '${id}', startedAt: Date.now() });
  request.run({ requestId, tenantId }, () => next());`
    : `  spans.run({ name: '${id}', startedAt: Date.now() }, () => {
    request.run({ requestId, tenantId }, () => next());
  });`}
};
`;
}

function handlerFile({ id, Noun }) {
  return `import type { IncomingMessage, ServerResponse } from 'node:http';
import { request } from '../../context.js';
import { log } from '../../logger.js';
import { find${Noun}, list${Noun}s } from './service.js';

export async function handle${Noun}(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = request.get('requestId');
  log('info', \`\${req.method ?? 'GET'} /${id}\`);
  const body = req.url?.endsWith('/all') ? await list${Noun}s(20) : await find${Noun}(req.url ?? '');
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ requestId, body }));
}
`;
}

function serviceFile({ id, Noun, index }, next, random) {
  const threaded = random.int(1, 3);
  // Functions that still take requestId by hand and only pass it on: what no-threaded-context finds.
  const threadedFunctions = Array.from({ length: threaded }, (_, i) => `export async function audit${Noun}${i}(requestId: string, action: string): Promise<void> {
  await record${Noun}(requestId, \`\${action}-${i}\`);
}`);
  const unchecked = index % 10 === 5;
  return `import { request, spans } from '../../context.js';
import { NotFoundError } from '../../errors.js';
import { log } from '../../logger.js';
import { exists${next.Noun} } from '../${next.id}/service.js';
import { ${id}Repository } from './repository.js';
import { to${Noun}Dto } from './mapper.js';
import type { ${Noun}Dto } from './types.js';

async function record${Noun}(requestId: string, action: string): Promise<void> {
  log('debug', \`${id} \${action}\`, { requestId });
  await Promise.resolve();
}

${threadedFunctions.join('\n\n')}

export async function find${Noun}(id: string): Promise<${Noun}Dto> {
  const span = spans.getStore();
${unchecked ? `  const started = spans.getStore().startedAt;` : `  const started = span?.startedAt ?? Date.now();`}
  const row = await ${id}Repository.find(id);
  if (!row) throw new NotFoundError('${id}', id);
  await exists${next.Noun}(row.ownerId);
  await audit${Noun}0(request.get('requestId'), 'find');
  log('debug', \`find took \${Date.now() - started} ms\`, { span: span?.name });
  return to${Noun}Dto(row, request.get('tenantId'));
}

export async function list${Noun}s(limit: number): Promise<${Noun}Dto[]> {
  const tenantId = request.tryGet('tenantId') ?? 'public';
  const rows = await ${id}Repository.list(limit);
  return rows.map((row) => to${Noun}Dto(row, tenantId));
}

export async function exists${Noun}(id: string): Promise<boolean> {
  return (await ${id}Repository.find(id)) !== undefined;
}
`;
}

function repositoryFile({ id, Noun }) {
  return `import { AsyncLocalStorage } from 'node:async_hooks';
import { request } from '../../context.js';
import { log } from '../../logger.js';
import { pool } from '../../pool.js';
import type { Pool, Row } from '../../pool.js';

export class ${Noun}Repository {
  readonly #table = '${id}';

  constructor(private readonly pool: Pool) {}

  find(id: string): Promise<Row | undefined> {
    return new Promise((resolve, reject) => {
      this.pool.query(\`select * from \${this.#table} where id = $1\`, [id], AsyncLocalStorage.bind((error, rows) => {
        if (error) reject(error);
        else resolve(rows[0]);
      }));
    });
  }

  list(limit: number): Promise<Row[]> {
    return new Promise((resolve, reject) => {
      this.pool.query(\`select * from \${this.#table}\`, [], request.bind((error: Error | null, rows: Row[]) => {
        log('debug', \`\${this.#table} listed \${rows.length}\`);
        if (error) reject(error);
        else resolve(rows.slice(0, limit));
      }));
    });
  }
}

export const ${id}Repository = new ${Noun}Repository(pool);
`;
}

function eventsFile({ id, Noun, index }) {
  const mutates = index % 10 === 7;
  return `import { AsyncLocalStorage } from 'node:async_hooks';
import { EventEmitter } from 'node:events';
import { spans } from '../../context.js';
import { log } from '../../logger.js';

export const ${id}Events = new EventEmitter();

export function on${Noun}Changed(listener: (id: string) => void): () => void {
  const bound = AsyncLocalStorage.bind(listener);
  ${id}Events.on('changed', bound);
  return () => ${id}Events.off('changed', bound);
}

export function emit${Noun}Changed(id: string): void {
  const span = spans.getStore();
  if (span) {
${mutates ? `    span.name = \`\${span.name}:changed\`;
` : ''}    log('debug', \`\${span.name}: ${id} \${id} changed\`);
  }
  ${id}Events.emit('changed', id);
}
`;
}

function jobsFile({ id, Noun, index }) {
  return `import { randomUUID } from 'node:crypto';
import { request } from '../../context.js';
import { log } from '../../logger.js';
import { exists${Noun} } from './service.js';

export async function run${Noun}Job(ids: string[]): Promise<number> {
  let found = 0;
  for (const id of ids) {
    const exists = await request.run({ requestId: randomUUID(), tenantId: 'jobs' }, () => exists${Noun}(id));
    if (exists) found++;
  }
  log('info', \`${id} job found \${found}\`);
  return found;
}

export function schedule${Noun}Job(everyMs: number, ids: () => string[]): NodeJS.Timeout {
${index % 10 === 1
    // A timer started inside run() keeps that store alive for the life of the process.
    ? `  return request.run({ requestId: 'scheduler', tenantId: 'jobs' }, () => setInterval(() => {
    void run${Noun}Job(ids());
  }, everyMs));`
    : `  return setInterval(() => {
    void run${Noun}Job(ids());
  }, everyMs);`}
}
`;
}

function mapperFile({ Noun }) {
  return `import type { Row } from '../../pool.js';
import type { ${Noun}Dto } from './types.js';

export function to${Noun}Dto(row: Row, tenantId: string): ${Noun}Dto {
  return { id: row.id, ownerId: row.ownerId, amount: row.amount, tenantId };
}

export function total${Noun}s(rows: Row[]): number {
  return rows.reduce((sum, row) => sum + row.amount, 0);
}
`;
}

function cacheFile({ id, Noun, index }) {
  // Every tenth domain makes a storage per call, which no-storage-per-call reports.
  const perCall = index % 10 === 9
    ? `
export function with${Noun}Scope<T>(fn: () => T): T {
  const scope = new AsyncLocalStorage<string>();
  return scope.run('${id}', fn);
}
`
    : '';
  return `${perCall ? "import { AsyncLocalStorage } from 'node:async_hooks';\n" : ''}import { request } from '../../context.js';
import type { ${Noun}Dto } from './types.js';

const entries = new Map<string, ${Noun}Dto>();

export function cached${Noun}(id: string): ${Noun}Dto | undefined {
  return entries.get(\`\${request.get('tenantId')}:\${id}\`);
}

export function remember${Noun}(dto: ${Noun}Dto): void {
  entries.set(\`\${dto.tenantId}:\${dto.id}\`, dto);
  if (entries.size > 1000) entries.clear();
}

export const ${id}CacheSize = (): number => entries.size;
${perCall}`;
}

function typesFile({ Noun }) {
  return `export interface ${Noun}Dto {
  id: string;
  ownerId: string;
  amount: number;
  tenantId: string;
}
`;
}

function indexFile({ id, Noun }) {
  return `export { handle${Noun} } from './handler.js';
export { ${id}Middleware } from './middleware.js';
export { run${Noun}Job, schedule${Noun}Job } from './jobs.js';
export { on${Noun}Changed, emit${Noun}Changed } from './events.js';
export type { ${Noun}Dto } from './types.js';
`;
}

function extraFile(suffix, random) {
  return `import { request } from '../../context.js';

export function format${suffix}(value: number): string {
  return \`\${request.tryGet('tenantId') ?? 'public'}:\${value.toFixed(${random.int(0, 4)})}\`;
}
`;
}

/** The service as relative path -> text: exactly `fileCount` files under src/, plus a package.json. */
export function generateLintService(fileCount) {
  const domainCount = Math.floor((fileCount - SHARED_FILES) / FILES_PER_DOMAIN);
  if (domainCount < 2) throw new Error(`generate: ${fileCount} files is too few; use at least ${SHARED_FILES + 2 * FILES_PER_DOMAIN}`);
  const random = seededRandom(fileCount + 1);
  const domains = Array.from({ length: domainCount }, (_, index) => {
    const noun = NOUNS[index % NOUNS.length];
    const id = `${noun}s${index}`;
    return { index, id, Noun: `${pascal(noun)}${index}`, dir: `src/domains/${id}` };
  });
  const files = { ...sharedFiles, 'src/server.ts': serverFile(domains) };
  const extraCount = fileCount - SHARED_FILES - domainCount * FILES_PER_DOMAIN;
  for (const domain of domains) {
    const next = domains[(domain.index + 1) % domainCount];
    Object.assign(files, {
      [`${domain.dir}/middleware.ts`]: middlewareFile(domain),
      [`${domain.dir}/handler.ts`]: handlerFile(domain),
      [`${domain.dir}/service.ts`]: serviceFile(domain, next, random),
      [`${domain.dir}/repository.ts`]: repositoryFile(domain),
      [`${domain.dir}/events.ts`]: eventsFile(domain),
      [`${domain.dir}/jobs.ts`]: jobsFile(domain),
      [`${domain.dir}/mapper.ts`]: mapperFile(domain),
      [`${domain.dir}/cache.ts`]: cacheFile(domain),
      [`${domain.dir}/types.ts`]: typesFile(domain),
      [`${domain.dir}/index.ts`]: indexFile(domain),
    });
  }
  for (let i = 0; i < extraCount; i++) {
    files[`${domains[i % domainCount].dir}/format-value${i}.ts`] = extraFile(`Value${i}`, random);
  }
  return {
    ...files,
    'package.json': `${JSON.stringify({ name: `lint-service-${fileCount}`, private: true, type: 'module', engines: { node: '>=20.19' } }, null, 2)}\n`,
  };
}

export function writeLintService(dir, fileCount) {
  writeTree(dir, generateLintService(fileCount));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [dir, count] = process.argv.slice(2);
  const fileCount = Number(count);
  if (!dir || !Number.isInteger(fileCount)) {
    process.stderr.write('usage: node bench/eslint/generate.js <empty dir> <number of files, e.g. 1000>\n');
    process.exit(2);
  }
  writeLintService(resolve(dir), fileCount);
}
