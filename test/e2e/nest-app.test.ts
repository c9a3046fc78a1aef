// fixtures/nest-app as its users build and run it: compiled by tsc with decorators and their
// metadata, started with node on each Nest platform, and sent concurrent keep-alive requests. Every
// response must carry the id and tenant its request sent, read by a service no parameter reaches.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspaceRoot } from './support/paths.js';
import { describeRun, runNode } from './support/run-node.js';

const appDir = join(workspaceRoot, 'fixtures', 'nest-app');
// Inside the fixture, so that the built app resolves its dependencies from the fixture's node_modules.
const outDir = join(appDir, '.tmp', `e2e-${process.pid}`);

beforeAll(async () => {
  const tsc = join(appDir, 'node_modules', 'typescript', 'bin', 'tsc');
  const build = await runNode([tsc, '-p', join(appDir, 'tsconfig.json'), '--outDir', outDir], appDir, 120_000);
  if (build.code !== 0) throw new Error(describeRun('tsc on fixtures/nest-app', build));
});

afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

/** Starts the built app on `platform` and resolves once it prints the port it listens on. */
async function startApp(platform: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [join(outDir, 'main.js'), platform], { cwd: appDir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the app did not listen within 30 s:\n${output}`)), 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening (\d+)/.exec(output);
      if (match !== null) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('exit', (code) => reject(new Error(`the app exited (${code}) before listening:\n${output}`)));
  });
  return { child, port };
}

function get(agent: Agent, port: number, path: string, headers: Record<string, string>): Promise<{ headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    httpRequest({ host: '127.0.0.1', port, path, agent, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ headers: res.headers, body }));
    })
      .on('error', reject)
      .end();
  });
}

describe.each(['express', 'fastify'])('fixtures/nest-app on the %s platform', (platform) => {
  let app: { child: ChildProcess; port: number } | undefined;

  afterAll(async () => {
    if (app === undefined || app.child.exitCode !== null) return;
    app.child.kill('SIGTERM');
    await once(app.child, 'exit');
  });

  it('answers 200 interleaved keep-alive requests each with its own id and tenant', async () => {
    app = await startApp(platform);
    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    const sent = Array.from({ length: 200 }, (_, i) => ({ i, id: `nest-${i}-${randomBytes(4).toString('hex')}`, tenant: `tenant-${i % 5}` }));
    try {
      const replies = await Promise.all(
        sent.map(({ i, id, tenant }) => get(agent, app!.port, `/orders/${i}`, { 'x-request-id': id, 'x-tenant': tenant })),
      );
      const expected = sent.map(({ i, id, tenant }) => ({ echoed: id, body: { orderId: String(i), requestId: id, tenantId: tenant } }));
      expect(replies.map((reply) => ({ echoed: reply.headers['x-request-id'], body: JSON.parse(reply.body) as unknown }))).toEqual(expected);
    } finally {
      agent.destroy();
    }
  });
});
