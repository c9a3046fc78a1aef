// Generates a synthetic TypeScript service of exactly N files that threads `requestId` by hand, the
// code base the codemod is built for: HTTP handlers that make the id (from a header, randomUUID(), a
// template), services, class repositories (instance, static and #private methods), arrow-function
// validators, mappers that take it inside an options object (plain and renamed destructuring),
// object-literal clients with an optional parameter, callback-style events, background jobs that
// make their own id in a loop, and a logger that finally reads it. Services call into the next
// domain, so the id crosses files and domains. A few step functions are stored in arrays (used as
// values), which the codemod must keep.
//
// Deterministic: the same N gives byte-identical files. Usage (writes into an empty directory):
//   node bench/codemod/generate.js <dir> <files>
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { seededRandom } from '../lib/random.js';
import { commitAll, linkDependencies, writeTree } from '../lib/workdir.js';

const NOUNS = ['order', 'user', 'invoice', 'payment', 'shipment', 'product', 'cart', 'review', 'coupon', 'account', 'ticket', 'report'];
const FILES_PER_DOMAIN = 10;
const SHARED_FILES = 5;

const pascal = (word) => word[0].toUpperCase() + word.slice(1);

function domainNames(index) {
  const noun = NOUNS[index % NOUNS.length];
  const id = `${noun}s${index}`;
  return { index, dir: `src/domains/${id}`, id, Noun: `${pascal(noun)}${index}` };
}

const sharedFiles = {
  'src/logger.ts': `export type Level = 'debug' | 'info' | 'warn' | 'error';

/** Every log line carries the request id, so lines of one request can be grouped. */
export function log(requestId: string, level: Level, message: string): void {
  process.stdout.write(\`\${JSON.stringify({ level, requestId, message, time: Date.now() })}\\n\`);
}
`,
  'src/errors.ts': `export class ValidationError extends Error {
  constructor(requestId: string, message: string) {
    super(\`[\${requestId}] \${message}\`);
    this.name = 'ValidationError';
  }
}

export class NotFoundError extends Error {
  constructor(what: string, id: string) {
    super(\`\${what} \${id} not found\`);
    this.name = 'NotFoundError';
  }
}
`,
  'src/db.ts': `export interface Row {
  id: string;
  ownerId: string;
  amount: number;
}

export interface Db {
  query(tag: string, sql: string, params: unknown[]): Promise<Row[]>;
}

const tables = new Map<string, Row[]>();

export const db: Db = {
  async query(tag, sql, params) {
    await Promise.resolve();
    const table = tables.get(sql.split(' ')[3] ?? '') ?? [];
    return table.filter((row) => params.length === 0 || row.id === params[0] || tag.length === 0);
  },
};
`,
  'src/http.ts': `export interface Request {
  headers: Record<string, string | undefined>;
  params: Record<string, string | undefined>;
  body: unknown;
}

export interface Response {
  status: number;
  body: unknown;
}

export type Handler = (req: Request) => Promise<Response>;
`,
};

function serverFile(domains) {
  const imports = domains.map(
    (d) => `import * as ${d.id} from './domains/${d.id}/index.js';`,
  );
  const routes = domains.flatMap((d) => [
    `  ['GET /${d.id}/:id', ${d.id}.handleGet${d.Noun}],`,
    `  ['POST /${d.id}', ${d.id}.handleCreate${d.Noun}],`,
    `  ['GET /${d.id}', ${d.id}.handleList${d.Noun}s],`,
  ]);
  const jobs = domains.map((d) => `  ${d.id}.run${d.Noun}Job,`);
  return `import type { Handler } from './http.js';
${imports.join('\n')}

export const routes = new Map<string, Handler>([
${routes.join('\n')}
]);

export const jobs: Array<(ids: string[]) => Promise<number>> = [
${jobs.join('\n')}
];

export function start(): number {
  return routes.size + jobs.length;
}
`;
}

function typesFile({ Noun }) {
  return `export interface ${Noun}Input {
  ownerId: string;
  amount: number;
  locale?: string;
}

export interface ${Noun}Dto {
  id: string;
  ownerId: string;
  amount: number;
  locale: string;
  trace: string;
}
`;
}

function handlerFile({ id, Noun }) {
  return `import { randomUUID } from 'node:crypto';
import type { Request, Response } from '../../http.js';
import { log } from '../../logger.js';
import type { ${Noun}Input } from './types.js';
import { create${Noun}, get${Noun}, list${Noun}s } from './service.js';

function parseInput(body: unknown): ${Noun}Input {
  const input = (body ?? {}) as Partial<${Noun}Input>;
  return { ownerId: input.ownerId ?? '', amount: input.amount ?? 0 };
}

export async function handleGet${Noun}(req: Request): Promise<Response> {
  const requestId = req.headers['x-request-id'] ?? randomUUID();
  log(requestId, 'info', 'GET /${id}/:id');
  const found = await get${Noun}(requestId, req.params['id'] ?? '');
  return { status: found ? 200 : 404, body: found };
}

export async function handleCreate${Noun}(req: Request): Promise<Response> {
  const created = await create${Noun}(randomUUID(), parseInput(req.body));
  return { status: 201, body: created };
}

export const handleList${Noun}s = async (req: Request): Promise<Response> => {
  const tenant = req.params['tenant'] ?? 'anonymous';
  const items = await list${Noun}s(\`\${tenant}-\${Date.now()}\`, { limit: 20 });
  return { status: 200, body: items };
};
`;
}

function serviceFile(domain, next, extras, random) {
  const { id, Noun } = domain;
  const steps = random.int(2, 5);
  const stepFunctions = Array.from({ length: steps }, (_, i) => {
    const calls = i === 0 ? `  await ${next.id}Exists(requestId, id);` : `  await step${i - 1}(requestId, id);`;
    return `async function step${i}(requestId: string, id: string): Promise<void> {
${calls}
  log(requestId, 'debug', '${id} step ${i} for ' + id);
}`;
  });
  // Every other service keeps its steps in an array and calls them through it: the steps are used
  // as values, so the codemod must keep their parameter and pass it from the context instead.
  const stepsAsValues = domain.index % 2 === 0;
  const runSteps = stepsAsValues
    ? `  const steps = [${Array.from({ length: steps }, (_, i) => `step${i}`).join(', ')}];
  for (const step of steps) await step(requestId, id);`
    : `  await step${steps - 1}(requestId, id);`;
  const extraImports = extras.map((e) => `import { format${e.suffix} } from './${e.file}.js';`);
  const extraCalls = extras.map((e) => `    format${e.suffix}(requestId, row.amount);`);
  return `import { log } from '../../logger.js';
import { exists${next.Noun} as ${next.id}Exists } from '../${next.id}/service.js';
import { ${id}Client } from './client.js';
import { publish } from './events.js';
import { to${Noun}Dto, to${Noun}Summary } from './mapper.js';
import { ${id}Repository } from './repository.js';
import type { ${Noun}Dto, ${Noun}Input } from './types.js';
import { validateId, validateInput } from './validator.js';
${extraImports.join('\n')}

${stepFunctions.join('\n\n')}

export async function get${Noun}(requestId: string, id: string): Promise<${Noun}Dto | undefined> {
  validateId(requestId, id);
  const row = await ${id}Repository.find(requestId, id);
  if (!row) {
    log(requestId, 'warn', \`${id} \${id} not found\`);
    return undefined;
  }
${runSteps}
  return to${Noun}Dto({ user: row.ownerId, requestId }, row);
}

export async function create${Noun}(requestId: string, input: ${Noun}Input): Promise<${Noun}Dto> {
  validateInput(requestId, input);
  const row = await ${id}Repository.insert(requestId, input);
  publish(requestId, '${id}.created', row.id, (error) => {
    if (error) log(requestId, 'error', error.message);
  });
  await ${id}Client.notify(requestId, row.id);
  return to${Noun}Dto({ user: input.ownerId, requestId, locale: input.locale ?? 'en' }, row);
}

export async function list${Noun}s(requestId: string, options: { limit: number }): Promise<string> {
  const rows = await ${id}Repository.list(requestId, options.limit);
  for (const row of rows) {
${extraCalls.join('\n') || "    log(requestId, 'debug', row.id);"}
  }
  return to${Noun}Summary({ user: 'list', requestId }, rows);
}

export async function exists${Noun}(requestId: string, id: string): Promise<boolean> {
  return (await ${id}Repository.find(requestId, id)) !== undefined;
}
`;
}

function repositoryFile({ id, Noun }) {
  return `import type { Db, Row } from '../../db.js';
import { db } from '../../db.js';
import { log } from '../../logger.js';
import type { ${Noun}Input } from './types.js';

export class ${Noun}Repository {
  readonly #table = '${id}';

  constructor(private readonly db: Db) {}

  static tag(requestId: string, operation: string): string {
    return \`/* \${requestId} */ \${operation}\`;
  }

  async find(requestId: string, id: string): Promise<Row | undefined> {
    this.#audit(requestId, 'find');
    const rows = await this.db.query(${Noun}Repository.tag(requestId, 'find'), \`select * from \${this.#table} where id = $1\`, [id]);
    return rows[0];
  }

  async insert(requestId: string, input: ${Noun}Input): Promise<Row> {
    this.#audit(requestId, 'insert');
    const row: Row = { id: \`\${this.#table}-\${Date.now()}\`, ownerId: input.ownerId, amount: input.amount };
    await this.db.query(${Noun}Repository.tag(requestId, 'insert'), \`insert into \${this.#table} values ($1)\`, [row]);
    return row;
  }

  async list(requestId: string, limit: number): Promise<Row[]> {
    const rows = await this.db.query(${Noun}Repository.tag(requestId, 'list'), \`select * from \${this.#table}\`, []);
    return rows.slice(0, limit);
  }

  #audit(requestId: string, action: string): void {
    log(requestId, 'debug', \`\${this.#table}.\${action}\`);
  }
}

export const ${id}Repository = new ${Noun}Repository(db);
`;
}

function validatorFile({ Noun }) {
  return `import { ValidationError } from '../../errors.js';
import type { ${Noun}Input } from './types.js';

export const validateId = (requestId: string, id: string): void => {
  if (id.length === 0) throw new ValidationError(requestId, 'id is required');
};

export const validateInput = function (requestId: string, input: ${Noun}Input): void {
  validateId(requestId, input.ownerId);
  if (input.amount < 0) throw new ValidationError(requestId, 'amount must not be negative');
};
`;
}

function mapperFile({ Noun }) {
  return `import type { Row } from '../../db.js';
import type { ${Noun}Dto } from './types.js';

export interface ${Noun}MapOptions {
  user: string;
  requestId: string;
  locale?: string;
}

export function to${Noun}Dto({ user, requestId, locale = 'en' }: ${Noun}MapOptions, row: Row): ${Noun}Dto {
  return { id: row.id, ownerId: user, amount: row.amount, locale, trace: requestId };
}

export function to${Noun}Summary({ requestId: request_id, user }: ${Noun}MapOptions, rows: Row[]): string {
  return \`\${request_id}:\${user}:\${rows.length}\`;
}
`;
}

function clientFile({ id }) {
  return `import { log } from '../../logger.js';

export const ${id}Client = {
  async notify(requestId: string, id: string): Promise<void> {
    log(requestId, 'debug', \`notify ${id} \${id}\`);
    await Promise.resolve(this.headers(requestId));
  },

  headers(requestId?: string): Record<string, string> {
    return requestId ? { 'x-request-id': requestId } : {};
  },
};
`;
}

function eventsFile() {
  return `import { log } from '../../logger.js';

type Done = (error: Error | undefined) => void;
type Listener = (payload: string) => void;

const listeners = new Map<string, Listener[]>();

export function subscribe(name: string, listener: Listener): void {
  listeners.set(name, [...(listeners.get(name) ?? []), listener]);
}

export function publish(requestId: string, name: string, payload: string, done: Done): void {
  log(requestId, 'debug', \`publish \${name}\`);
  setImmediate(() => {
    for (const listener of listeners.get(name) ?? []) listener(payload);
    done(undefined);
  });
}
`;
}

function jobsFile({ Noun }) {
  return `import { randomUUID } from 'node:crypto';
import { exists${Noun} } from './service.js';

export async function run${Noun}Job(ids: string[]): Promise<number> {
  const batch = randomUUID();
  let found = 0;
  for (const id of ids) {
    if (await exists${Noun}(\`\${batch}/\${id}\`, id)) found++;
  }
  return found;
}
`;
}

function indexFile({ Noun }) {
  return `export { handleCreate${Noun}, handleGet${Noun}, handleList${Noun}s } from './handler.js';
export { run${Noun}Job } from './jobs.js';
export type { ${Noun}Dto, ${Noun}Input } from './types.js';
`;
}

function extraFile(suffix, random) {
  const digits = random.int(0, 4);
  return `import { log } from '../../logger.js';

export function format${suffix}(requestId: string, value: number): string {
  const text = value.toFixed(${digits});
  log(requestId, 'debug', \`format${suffix} \${text}\`);
  return text;
}
`;
}

const tsconfig = `{
  "compilerOptions": {
    "target": "ES2022",
    "lib": ["ES2022"],
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "types": ["node"],
    "strict": true,
    "skipLibCheck": true,
    "outDir": "dist",
    "rootDir": "src"
  },
  "include": ["src"]
}
`;

/** The service as relative path -> text, exactly `fileCount` files under src/ plus project files. */
export function generateService(fileCount) {
  const domainCount = Math.floor((fileCount - SHARED_FILES) / FILES_PER_DOMAIN);
  if (domainCount < 2) throw new Error(`generate: ${fileCount} files is too few; use at least ${SHARED_FILES + 2 * FILES_PER_DOMAIN}`);
  const random = seededRandom(fileCount);
  const domains = Array.from({ length: domainCount }, (_, i) => domainNames(i));
  const extraCount = fileCount - SHARED_FILES - domainCount * FILES_PER_DOMAIN;
  const extrasOf = domains.map(() => []);
  for (let i = 0; i < extraCount; i++) extrasOf[i % domainCount].push({ suffix: `Value${i}`, file: `format-value${i}` });

  const files = { ...sharedFiles, 'src/server.ts': serverFile(domains) };
  for (const domain of domains) {
    const next = domains[(domain.index + 1) % domainCount];
    const extras = extrasOf[domain.index];
    Object.assign(files, {
      [`${domain.dir}/types.ts`]: typesFile(domain),
      [`${domain.dir}/handler.ts`]: handlerFile(domain),
      [`${domain.dir}/service.ts`]: serviceFile(domain, next, extras, random),
      [`${domain.dir}/repository.ts`]: repositoryFile(domain),
      [`${domain.dir}/validator.ts`]: validatorFile(domain),
      [`${domain.dir}/mapper.ts`]: mapperFile(domain),
      [`${domain.dir}/client.ts`]: clientFile(domain),
      [`${domain.dir}/events.ts`]: eventsFile(domain),
      [`${domain.dir}/jobs.ts`]: jobsFile(domain),
      [`${domain.dir}/index.ts`]: indexFile(domain),
    });
    for (const extra of extras) files[`${domain.dir}/${extra.file}.ts`] = extraFile(extra.suffix, random);
  }
  return {
    ...files,
    'tsconfig.json': tsconfig,
    'package.json': `${JSON.stringify({ name: `synthetic-service-${fileCount}`, private: true, type: 'module' }, null, 2)}\n`,
    '.gitignore': 'node_modules/\ndist/\n',
  };
}

/** Writes the service into `dir`, links its dependencies and commits it (a clean git tree). */
export function writeService(dir, fileCount) {
  writeTree(dir, generateService(fileCount));
  linkDependencies(dir, ['@types/node', '@unthread/context']);
  commitAll(dir);
}

/**
 * One big file, `src/big.ts`, of `functionCount` functions that thread `requestId` down a chain: each
 * logs it (a read that stays) and passes it to the next; every 50th chain starts at an entry point
 * that makes the id with randomUUID() (wrapped in run()), and every 10th function is a class method.
 * Thousands of edits in one file: what shows whether applying and diffing them grows with the
 * file's size or with its square.
 */
export function generateBigFile(functionCount) {
  const parts = [`import { randomUUID } from 'node:crypto';\n\nimport { log } from './logger.js';\n`];
  const isMethod = (i) => i % 10 === 9;
  const call = (i, args) => (isMethod(i) ? `Steps${i}.step${i}(${args})` : `step${i}(${args})`);
  for (let i = 0; i < functionCount; i++) {
    if (i % 50 === 0) parts.push(`export function entry${i}(): number {\n  return ${call(i, `randomUUID(), ${i}`)};\n}\n`);
    const last = i + 1 === functionCount || (i + 1) % 50 === 0;
    const body = [
      '{',
      '  let total = value;',
      `  log(requestId, 'info', \`step${i} \${value}\`);`,
      ...(last ? [] : [`  total += ${call(i + 1, 'requestId, value + 1')};`]),
      '  return total;',
      '}',
    ];
    const signature = `step${i}(requestId: string, value: number): number `;
    if (isMethod(i)) parts.push(`export class Steps${i} {\n  static ${signature}${body.join('\n  ')}\n}\n`);
    else parts.push(`export function ${signature}${body.join('\n')}\n`);
  }
  return {
    'src/big.ts': parts.join('\n'),
    'src/logger.ts': sharedFiles['src/logger.ts'],
    'tsconfig.json': tsconfig,
    'package.json': `${JSON.stringify({ name: `synthetic-big-file-${functionCount}`, private: true, type: 'module' }, null, 2)}\n`,
    '.gitignore': 'node_modules/\ndist/\n',
  };
}

/** Writes the one-big-file service into `dir`, links its dependencies and commits it. */
export function writeBigFile(dir, functionCount) {
  writeTree(dir, generateBigFile(functionCount));
  linkDependencies(dir, ['@types/node', '@unthread/context']);
  commitAll(dir);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const oneFile = args[0] === '--one-file';
  const [dir, count] = oneFile ? args.slice(1) : args;
  const size = Number(count);
  if (!dir || !Number.isInteger(size)) {
    process.stderr.write('usage: node bench/codemod/generate.js <empty dir> <number of files, e.g. 1000>\n' +
      '       node bench/codemod/generate.js --one-file <empty dir> <number of functions in src/big.ts, e.g. 5000>\n');
    process.exit(2);
  }
  if (oneFile) writeBigFile(resolve(dir), size);
  else writeService(resolve(dir), size);
}
