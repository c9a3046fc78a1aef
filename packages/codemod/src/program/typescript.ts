// Which TypeScript judges the repository: its own `typescript` when it has one (5.0 or newer), found the
// way `npx tsc` run in the repository finds it, else the one bundled with ts-morph. Versions differ in
// what a tsconfig means (TypeScript 6 resolves `module: commonjs` like a bundler, 5.x like Node 10; 6
// is strict by default) and so in which errors a change adds: the repo's own compiler is the one whose
// verdict the user will see.
//
// The analysis itself always runs on ts-morph's TypeScript (its syntax kinds and node shapes are what the
// analysis reads), so the repo's compiler is used where its answer can differ: reading the tsconfig,
// the options it leaves implicit, module resolution, and type-checking before and after the change.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ts } from 'ts-morph';

/** The TypeScript API as the codemod uses it; 5.x and 6.x agree on every member it calls. */
export type TypeScriptApi = typeof ts;

export interface TypeScriptInUse {
  api: TypeScriptApi;
  version: string;
  /** The folder of the `typescript` package (the repository's own, or the one inside ts-morph). */
  path: string;
  /** `repo`: the repository's own `typescript`; `bundled`: ts-morph's. */
  source: 'repo' | 'bundled';
  /** Why the repository's own `typescript` was not used, when it exists but is older than 5.0. */
  skipped?: string;
}

/** The oldest TypeScript whose API and options the codemod can drive. */
const OLDEST_MAJOR = 5;

export function findTypeScript(root: string): TypeScriptInUse {
  const bundled = bundledTypeScript();
  const requireFromRoot = createRequire(path.join(root, 'package.json'));
  let manifest: string;
  try {
    manifest = requireFromRoot.resolve('typescript/package.json');
  } catch {
    return bundled; // The repository has no TypeScript of its own.
  }
  const folder = path.dirname(manifest);
  const version = (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version ?? '0';
  if (Number.parseInt(version, 10) < OLDEST_MAJOR) {
    return { ...bundled, skipped: `the repository's typescript ${version} (${folder}) is older than ${OLDEST_MAJOR}.0` };
  }
  const api = requireFromRoot(folder) as TypeScriptApi;
  return { api, version: api.version, path: folder, source: 'repo' };
}

let bundledCache: TypeScriptInUse | undefined;

function bundledTypeScript(): TypeScriptInUse {
  if (bundledCache !== undefined) return bundledCache;
  // ts-morph ships TypeScript inside @ts-morph/common (dist/typescript.js), not as a `typescript` package.
  const requireHere = createRequire(__filename);
  const common = createRequire(requireHere.resolve('ts-morph')).resolve('@ts-morph/common');
  bundledCache = { api: ts, version: ts.version, path: path.dirname(common), source: 'bundled' };
  return bundledCache;
}
