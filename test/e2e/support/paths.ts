import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const workspaceRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const fixtureDir = join(workspaceRoot, 'fixtures', 'express-app');
export const codemodCli = join(workspaceRoot, 'packages', 'codemod', 'dist', 'cli.js');
export const contextDist = join(workspaceRoot, 'packages', 'context', 'dist', 'index.js');
