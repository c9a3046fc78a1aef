// fixtures/nest-app/threaded: a Nest app that threads a request context by hand, from a
// createParamDecorator (which reads the user a guard set) through controller, service and repository
// to the logger. Built once before and once after `unthread --param ctx`, each served on 127.0.0.1 on
// both Nest platforms and sent the same concurrent keep-alive requests: every request must log the
// same lines before and after, each under its own id and user, and the migrated app must set the
// context once, in the root module, with no parameter and no run() left in its controller.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { cp, mkdir, readFile, rm } from 'node:fs/promises';
import { Agent, request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCallsIn } from './support/boundary.js';
import { workspaceRoot, codemodCli } from './support/paths.js';
import { describeRun, runNode } from './support/run-node.js';
import { parametersNamed } from './support/threaded-parameters.js';

const appDir = join(workspaceRoot, 'fixtures', 'nest-app');
// Inside the fixture, so that both copies resolve Nest, TypeScript and @unthread/context from its node_modules.
const workDir = join(appDir, '.tmp', `migration-${process.pid}`);
const REQUESTS = 150;

interface LogLine {
  requestId: string;
  user: string;
  msg: string;
  order: string;
}

/** A copy of the threaded app, changed by `prepare`, built by the fixture's tsc. */
async function builtCopy(label: string, prepare?: (dir: string) => Promise<void>): Promise<string> {
  const dir = join(workDir, label);
  await cp(join(appDir, 'threaded'), dir, { recursive: true });
  await prepare?.(dir);
  const build = await runNode([join(appDir, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(dir, 'tsconfig.json')], dir, 120_000);
  if (build.code !== 0) throw new Error(describeRun(`tsc on the ${label} copy`, build));
  return dir;
}

/** Serves the built copy on `platform`, sends the requests, stops it, and returns its log lines. */
async function serve(dir: string, platform: string, sent: readonly { order: string; id: string; user: string }[]): Promise<LogLine[]> {
  const child: ChildProcess = spawn(process.execPath, [join(dir, 'dist', 'main.js'), platform], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no listening line within 30 s:\n${stdout}${stderr}`)), 30_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /listening (\d+)/.exec(stdout);
        if (match !== null) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      });
      child.once('exit', (code) => reject(new Error(`exited (${code}) before listening:\n${stdout}${stderr}`)));
    });
    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    try {
      const statuses = await Promise.all(sent.map(({ order, id, user }) => post(agent, port, `/orders/${order}`, { 'x-request-id': id, 'x-user': user })));
      expect(statuses.filter((status) => status !== 201), stderr).toEqual([]);
    } finally {
      agent.destroy();
    }
  } finally {
    child.kill('SIGTERM');
    if (child.exitCode === null) await once(child, 'exit');
  }
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

function post(agent: Agent, port: number, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    httpRequest({ host: '127.0.0.1', port, path, method: 'POST', agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    })
      .on('error', reject)
      .end();
  });
}

/** Each request's lines by its id, in the order it logged them. */
function linesById(lines: readonly LogLine[]): Map<string, string[]> {
  const byId = new Map<string, string[]>();
  for (const line of lines) byId.set(line.requestId, [...(byId.get(line.requestId) ?? []), JSON.stringify(line)]);
  return byId;
}

let before: string;
let after: string;

beforeAll(async () => {
  await mkdir(workDir, { recursive: true });
  before = await builtCopy('before');
  after = await builtCopy('after', async (dir) => {
    const codemod = await runNode([codemodCli, '.', '--param', 'ctx', '--force'], dir, 120_000);
    if (codemod.code !== 0) throw new Error(describeRun('unthread on the threaded Nest app', codemod));
  });
}, 300_000);

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

describe('fixtures/nest-app/threaded after `unthread --param ctx`', () => {
  it('sets the context once in the root module, and no ctx parameter or run() is left in the app', async () => {
    expect(await parametersNamed(join(after, 'src'), 'ctx')).toEqual([]);
    expect(await runCallsIn(after, ['src/orders.controller.ts', 'src/orders.service.ts', 'src/orders.repository.ts'])).toEqual([]);
    const appModule = await readFile(join(after, 'src', 'app.module.ts'), 'utf8');
    expect(appModule.match(/RequestContextModule\.forRoot\(/g)).toHaveLength(1);
    expect(appModule).toContain('handlerValues: (execution) => {');
  });

  describe.each(['express', 'fastify'])('on the %s platform', (platform) => {
    it(`logs the same lines under each of ${REQUESTS} concurrent requests as before, each under its own id and user`, async () => {
      const sent = Array.from({ length: REQUESTS }, (_, i) => ({ order: `o${i}`, id: `req-${i}-${randomBytes(4).toString('hex')}`, user: `user-${i % 9}` }));
      const [was, is] = [linesById(await serve(before, platform, sent)), linesById(await serve(after, platform, sent))];
      // Before: three lines per request, each under the id and the user (set by the guard) of the request that logged it.
      const expected = new Map(
        sent.map(({ order, id, user }) => [
          id,
          ['request received', 'placing order', 'order saved'].map((msg) => JSON.stringify({ requestId: id, user, msg, order })),
        ]),
      );
      expect(was).toEqual(expected);
      expect(is).toEqual(was);
    });
  });
});
