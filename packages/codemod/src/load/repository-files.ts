// Everything under the project root that can call the code: every tsconfig (a test folder's own
// `spec/tsconfig.json`, `tsconfig.*.json`) and every source file, whichever config (if any) names it.
// A test outside the root config still calls the functions the codemod changes; unseen, it would fail
// at runtime with the old arguments. Dependencies, `.git`, build outputs and git-ignored paths are left out.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { BuildOutputs } from './build-outputs.js';

export const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
const CONFIG_NAME = /^[tj]sconfig(\..+)?\.json$/;

export interface RepositoryFiles {
  configs: string[];
  sources: string[];
}

export function repositoryFiles(root: string, outputs: BuildOutputs, isIgnored: (relative: string) => boolean): RepositoryFiles {
  const found: RepositoryFiles = { configs: [], sources: [] };
  const visit = (entry: string, isDirectory: boolean): void => {
    const relative = path.relative(root, entry);
    if (relative !== '' && isIgnored(isDirectory ? `${relative}/` : relative)) return;
    const base = path.basename(entry);
    if (isDirectory) {
      if (base === 'node_modules' || (base.startsWith('.') && relative !== '')) return;
      if (outputs.isOutputFolder(entry)) return outputs.addFolder(entry);
      for (const child of readdirSync(entry, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const full = path.join(entry, child.name);
        // A symlinked folder is not followed: it may lead outside the repository, or in a circle.
        visit(full, child.isDirectory());
      }
    } else if (CONFIG_NAME.test(base)) {
      found.configs.push(entry);
    } else if (isSource(entry)) {
      found.sources.push(entry);
    }
  };
  visit(root, true);
  return found;
}

export function isSource(file: string): boolean {
  return SOURCE_EXTENSIONS.some((ext) => file.endsWith(ext)) && !/\.d\.[cm]?ts$/.test(file);
}

/** A `.js` file beside a `.ts` file of the same name is its compiled copy, not a second source. */
export function isCompiledCopy(file: string, sources: ReadonlySet<string>): boolean {
  if (!/\.[cm]?jsx?$/.test(file)) return false;
  const stem = file.replace(/\.[cm]?jsx?$/, '');
  return ['.ts', '.tsx', '.mts', '.cts'].some((ext) => sources.has(stem + ext));
}
