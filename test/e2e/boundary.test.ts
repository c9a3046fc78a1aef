// The boundary expectations the framework-app suites switch on must tell an app whose handlers wrap
// each call in run() from one that installs the framework adapter once.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adapterInstalls, runCallsIn } from './support/boundary.js';

let dir: string;

async function write(files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'unthread-boundary-'));
  await write({
    // Per-call wrapping, as the codemod writes it when it cannot prove a boundary.
    'wrapped/src/routes.ts': [
      "import { request as requestContext } from './context.js';",
      'app.get("/a", async (request) => requestContext.run({ requestId: request.id }, () => list(request.params.user)));',
      'app.post("/b", async (request) => {',
      '  // requestContext.run( in a comment is not a call',
      '  return requestContext.run({ requestId: request.id }, () => place());',
      '});',
    ].join('\n'),
    // One adapter, installed once, under another local name; the handlers call plainly.
    'adapter/src/app.ts': [
      "import { requestContext as withRequest } from '@unthread/context/fastify';",
      "import { request } from './context.js';",
      'app.register(withRequest(request, { useFastifyId: true }));',
    ].join('\n'),
    'adapter/src/routes.ts': 'app.get("/a", async (req) => list(req.params.user));\nconst runner = { run: 1 };\n',
  });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('runCallsIn', () => {
  it('finds every .run() call in the named files, by line, and nothing in comments', async () => {
    expect(await runCallsIn(join(dir, 'wrapped'), ['src/routes.ts'])).toEqual(['src/routes.ts:2', 'src/routes.ts:5']);
    expect(await runCallsIn(join(dir, 'adapter'), ['src/routes.ts', 'src/app.ts'])).toEqual([]);
  });
});

describe('adapterInstalls', () => {
  it("finds the call of the adapter module's import, whatever its local name", async () => {
    expect(await adapterInstalls(join(dir, 'adapter', 'src'), '@unthread/context/fastify')).toEqual(['app.ts:3']);
  });

  it('finds none where no file imports that module', async () => {
    expect(await adapterInstalls(join(dir, 'wrapped', 'src'), '@unthread/context/fastify')).toEqual([]);
    expect(await adapterInstalls(join(dir, 'adapter', 'src'), '@unthread/context/koa')).toEqual([]);
  });
});
