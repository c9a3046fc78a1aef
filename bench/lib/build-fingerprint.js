// A hash of the built package, taken before and after the run. Every child process imports
// packages/context/dist afresh, so a rebuild while the bench runs (another `tsc -b` in the workspace)
// would silently mix two builds in one report; comparing the two hashes makes that visible.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { contextDist } from './paths.js';

function jsFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return jsFiles(path);
    return entry.name.endsWith('.js') ? [path] : [];
  });
}

export function buildFingerprint() {
  const hash = createHash('sha256');
  for (const file of jsFiles(contextDist).sort()) {
    hash.update(relative(contextDist, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 12);
}
