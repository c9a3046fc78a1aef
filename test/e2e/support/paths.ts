import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const workspaceRoot = fileURLToPath(new URL('../../../', import.meta.url));
/** An example service under fixtures/ (`express-app`, `fastify-app`, `koa-app`, `hono-app`, `hapi-app`). */
export function fixtureDirOf(name: string): string {
  return join(workspaceRoot, 'fixtures', name);
}
export const fixtureDir = fixtureDirOf('express-app');
export const codemodCli = join(workspaceRoot, 'packages', 'codemod', 'dist', 'cli.js');
export const contextDist = join(workspaceRoot, 'packages', 'context', 'dist', 'index.js');
