// The versions that actually ran, read from the installed packages: TypeScript as tsc (the bench's
// own), ts-morph as the codemod resolves it, and the TypeScript bundled inside ts-morph, which is
// the compiler the codemod's analysis and verification use.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { benchRoot } from '../lib/paths.js';

function versionOf(requireFrom, name) {
  try {
    return requireFrom(`${name}/package.json`).version;
  } catch {
    return 'not installed';
  }
}

export function toolVersions(repoRoot) {
  const fromBench = createRequire(join(benchRoot, 'package.json'));
  const fromCodemod = createRequire(join(repoRoot, 'packages/codemod/package.json'));
  let bundled = 'unknown';
  try {
    bundled = fromCodemod('ts-morph').ts.version;
  } catch {
    // ts-morph not installed: the report says "unknown" rather than failing the run.
  }
  return {
    'typescript (tsc)': versionOf(fromBench, 'typescript'),
    'ts-morph (codemod)': versionOf(fromCodemod, 'ts-morph'),
    'TypeScript inside ts-morph': bundled,
  };
}
