import { join } from 'node:path';
import { runNode, type NodeRun } from './run-node.js';

/** Builds the app in `dir` to `dir/dist` with the real tsc the fixture depends on, under its own tsconfig. */
export function compileApp(dir: string): Promise<NodeRun> {
  const tsc = join(dir, 'node_modules', 'typescript', 'bin', 'tsc');
  return runNode([tsc, '-p', join(dir, 'tsconfig.json')], dir, 120_000);
}
