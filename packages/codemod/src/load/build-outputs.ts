// Build outputs are never sources: a compiled `dist/app.js` holds the same functions as `src/app.ts`,
// and analysed as code it would be a second caller of everything (keeping what it calls) or, worse,
// edited. They are the folders a tsconfig emits into (`outDir`, `declarationDir`) and a package's
// conventional `dist/` and `build/` folders, which a config with `allowJs` and its own `exclude` (or no
// config at all) would otherwise load.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ts } from 'ts-morph';

const CONVENTIONAL = ['dist', 'build'];

export class BuildOutputs {
  private readonly folders = new Set<string>();

  /** The output folders of a parsed tsconfig, and its folder's conventional ones. */
  addConfig(config: ts.ParsedCommandLine, configDir: string): void {
    for (const dir of [config.options.outDir, config.options.declarationDir]) {
      if (dir !== undefined) this.folders.add(path.resolve(configDir, dir));
    }
    for (const name of CONVENTIONAL) this.folders.add(path.join(configDir, name));
  }

  /** A `dist/` or `build/` folder of a package (its parent holds a package.json or a tsconfig.json). */
  isOutputFolder(dir: string): boolean {
    if (this.folders.has(dir)) return true;
    if (!CONVENTIONAL.includes(path.basename(dir))) return false;
    const parent = path.dirname(dir);
    return ['package.json', 'tsconfig.json', 'jsconfig.json'].some((name) => existsSync(path.join(parent, name)));
  }

  addFolder(dir: string): void {
    this.folders.add(dir);
  }

  /** Whether a file lies in a known output folder. */
  contains(file: string): boolean {
    for (let dir = path.dirname(file); path.dirname(dir) !== dir; dir = path.dirname(dir)) {
      if (this.folders.has(dir)) return true;
    }
    return false;
  }
}
