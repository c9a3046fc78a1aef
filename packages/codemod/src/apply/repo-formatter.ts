// The formatter the repository formats its code with: prettier, biome or dprint, when the repository
// both configures it and has it installed. unthread never brings its own: a formatter the repository
// does not run would restyle code its maintainers never asked to restyle.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { installedPackageDir } from '../program/installed-package.js';

export interface RepoFormatter {
  kind: 'prettier' | 'biome' | 'dprint';
  /** The installed package's folder, as a file of the repository would load it. */
  packageDir: string;
  /** The folder the formatter runs from (its configuration's, or the project's). */
  cwd: string;
}

const PRETTIER_CONFIGS = [
  '.prettierrc',
  ...['json', 'json5', 'yaml', 'yml', 'toml', 'js', 'cjs', 'mjs', 'ts', 'cts', 'mts'].map((ext) => `.prettierrc.${ext}`),
  ...['js', 'cjs', 'mjs', 'ts', 'cts', 'mts'].map((ext) => `prettier.config.${ext}`),
];
const BIOME_CONFIGS = ['biome.json', 'biome.jsonc'];
const DPRINT_CONFIGS = ['dprint.json', '.dprint.json', 'dprint.jsonc', '.dprint.jsonc'];

/**
 * The repository's formatter for the project at `root`, or undefined. Its configuration is looked for
 * from `root` up to `repository` (the git root): a `.prettierrc` (or `prettier` key of a package.json,
 * or prettier listed in the project's or the repository's own package.json), a `biome.json`, a
 * `dprint.json`. The package must be installed where the project's files would load it.
 */
export function findRepoFormatter(root: string, repository: string): RepoFormatter | undefined {
  for (let dir = path.resolve(root); ; dir = path.dirname(dir)) {
    const found = formatterConfiguredIn(dir, dir === path.resolve(root) || dir === path.resolve(repository));
    if (found !== undefined) {
      const packageDir = installedPackageDir(packageOf(found), root);
      return packageDir !== undefined ? { kind: found, packageDir, cwd: dir } : undefined;
    }
    if (dir === path.resolve(repository) || path.dirname(dir) === dir) return undefined;
  }
}

function formatterConfiguredIn(dir: string, ownManifest: boolean): RepoFormatter['kind'] | undefined {
  if (PRETTIER_CONFIGS.some((name) => existsSync(path.join(dir, name)))) return 'prettier';
  if (BIOME_CONFIGS.some((name) => existsSync(path.join(dir, name)))) return 'biome';
  if (DPRINT_CONFIGS.some((name) => existsSync(path.join(dir, name)))) return 'dprint';
  const manifest = readManifest(path.join(dir, 'package.json'));
  if (manifest === undefined) return undefined;
  if (manifest.prettier !== undefined) return 'prettier';
  // A project that lists prettier and configures nothing formats with prettier's defaults. Only the
  // project's and the repository's own manifests say so: a folder above them is someone else's.
  if (ownManifest && (manifest.devDependencies?.prettier !== undefined || manifest.dependencies?.prettier !== undefined)) return 'prettier';
  return undefined;
}

function packageOf(kind: RepoFormatter['kind']): string {
  return kind === 'biome' ? '@biomejs/biome' : kind;
}

interface Manifest {
  prettier?: unknown;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

function readManifest(file: string): Manifest | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}
