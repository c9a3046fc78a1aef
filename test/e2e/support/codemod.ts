import { existsSync } from 'node:fs';
import { codemodCli } from './paths.js';
import { runNode, type NodeRun } from './run-node.js';

/**
 * Runs the built `unthread` CLI on the app in `dir`, writing in place. `--force`: the copy lives in a
 * temp directory outside any git work tree, so there is no clean tree to protect.
 */
export async function runCodemod(dir: string, extraArgs: readonly string[] = []): Promise<NodeRun> {
  if (!existsSync(codemodCli)) {
    throw new Error(`the codemod CLI is not built: ${codemodCli} is missing (build it with \`npx tsc -b packages/codemod\`).`);
  }
  return runNode([codemodCli, '.', '--param', 'requestId', '--force', ...extraArgs], dir, 120_000);
}
