// Imports of a repository's own build output, read as imports of the sources it is built from. A test
// folder with its own tsconfig often imports the compiled code (`../../lib/bridge/Bridge`, the
// `outDir` of the main tsconfig) rather than `src/`: its calls are calls of the functions the codemod
// changes, and the repository rebuilds that output from the changed sources before the tests run. Seen
// through the old output's declarations, such a call would neither be rewritten nor checked against
// the new signature. The folder a file imports through also decides where it finds the context: one
// that reaches the code through `lib/` must import the context from `lib/` too, or it would load a
// second copy of the context module (another AsyncLocalStorage) beside the one the code reads.
//
// Only outputs of configs that are not project references: TypeScript itself redirects a referenced
// project's outputs to its sources (program/compiler-host.ts, useProjectReferenceSources).
import path from 'node:path';
import type { ts } from 'ts-morph';

interface Output {
  /** The folder the config emits into (`outDir`). */
  outDir: string;
  /** The folder its sources are laid out from: `rootDir`; without one, the common folder of its input files (TypeScript before 6) or the config's folder (6). */
  sourceDir: string;
}

const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

export class CompiledSources {
  private readonly outputs: Output[] = [];
  private readonly sources = new Set<string>();

  /** A parsed config whose output folder maps back to its sources. */
  addConfig(config: ts.ParsedCommandLine, configDir: string): void {
    const outDir = config.options.outDir;
    const inputs = config.fileNames.map((f) => path.resolve(f)).filter((f) => !/\.d\.[cm]?ts$/.test(f));
    if (outDir === undefined || inputs.length === 0) return;
    for (const file of inputs) this.sources.add(file);
    const sourceDirs = config.options.rootDir !== undefined ? [path.resolve(configDir, config.options.rootDir)] : [commonFolder(inputs), configDir];
    for (const sourceDir of sourceDirs) {
      const output = { outDir: path.resolve(configDir, outDir), sourceDir };
      if (!this.outputs.some((o) => o.outDir === output.outDir && o.sourceDir === output.sourceDir)) this.outputs.push(output);
    }
  }

  get isEmpty(): boolean {
    return this.outputs.length === 0;
  }

  /**
   * The source file a build output file (`lib/a/b.d.ts`, `lib/a/b.js`) is compiled from, when the
   * program's configs name it (or `alsoSource` does: a file the change adds).
   */
  sourceOf(file: string, alsoSource?: (file: string) => boolean): string | undefined {
    const absolute = path.resolve(file);
    for (const { outDir, sourceDir } of this.outputs) {
      if (!absolute.startsWith(outDir + path.sep)) continue;
      const stem = path.relative(outDir, absolute).replace(/(\.d)?\.[cm]?[jt]sx?$/, '');
      for (const extension of SOURCE_EXTENSIONS) {
        const candidate = path.join(sourceDir, stem + extension);
        if (this.sources.has(candidate) || alsoSource?.(candidate) === true) return candidate;
      }
    }
    return undefined;
  }

  /**
   * Where a file that imports through a build output finds a source file compiled: the output path of
   * `source` (without extension) when one of the file's relative specifiers leads into an output folder
   * that `source` is built into, else undefined.
   */
  outputFor(importingFile: string, specifiers: readonly string[], source: string): string | undefined {
    const dir = path.dirname(path.resolve(importingFile));
    for (const specifier of specifiers) {
      if (!specifier.startsWith('.')) continue;
      const target = path.resolve(dir, specifier);
      for (const { outDir, sourceDir } of this.outputs) {
        if (!target.startsWith(outDir + path.sep) || !source.startsWith(sourceDir + path.sep)) continue;
        if (this.sourceOf(target + '.js') === undefined && this.sourceOf(target) === undefined) continue;
        return path.join(outDir, path.relative(sourceDir, source).replace(/\.[cm]?[jt]sx?$/, ''));
      }
    }
    return undefined;
  }
}

function commonFolder(files: readonly string[]): string {
  let common = path.dirname(files[0]!);
  for (const file of files.slice(1)) {
    while (!file.startsWith(common + path.sep)) common = path.dirname(common);
  }
  return common;
}
