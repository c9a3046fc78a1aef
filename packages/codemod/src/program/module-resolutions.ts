// Every module resolution a program made, per importing file. Verification builds a second program
// whose edited files import what they imported before, and needs the importer graph: both come from
// here instead of resolving every import again (each resolution probes the file system).
import path from 'node:path';
import type { ts } from 'ts-morph';
import type { TypeScriptApi } from './typescript.js';

type Resolution = ts.ResolvedModuleWithFailedLookupLocations;
type ResolveLiterals = NonNullable<ts.CompilerHost['resolveModuleNameLiterals']>;
/**
 * The file a module in a build output is read from instead (its source), or undefined to keep it.
 * `alsoSource` names source files beyond those the configs list (files the change adds).
 */
export type RedirectResolved = (outputFile: string, alsoSource?: (file: string) => boolean) => string | undefined;

export class ModuleResolutions {
  private readonly byFile = new Map<string, Map<string, Resolution>>();

  /**
   * A `resolveModuleNameLiterals` for a compiler host that resolves the way `api` (a TypeScript) does by
   * default and records each result. `reuse` may answer first with an earlier program's resolution.
   * `programApi` is the TypeScript whose program asks: it made the import's syntax nodes, and only it
   * reads them right (syntax kinds differ between versions).
   */
  resolver(
    api: TypeScriptApi,
    programApi: TypeScriptApi,
    host: ts.ModuleResolutionHost,
    cache: ts.ModuleResolutionCache,
    reuse?: (file: string, name: string, mode: ts.ResolutionMode) => Resolution | undefined,
    redirect?: RedirectResolved,
  ): ResolveLiterals {
    return (literals, containingFile, redirectedReference, options, containingSourceFile) => {
      const recorded = this.namesOf(containingFile);
      return literals.map((literal) => {
        const mode = programApi.getModeForUsageLocation(containingSourceFile, literal, options);
        const earlier = reuse?.(containingFile, literal.text, mode);
        const resolution =
          earlier ??
          redirected(api.resolveModuleName(literal.text, containingFile, options, host, cache, redirectedReference, mode), literal.text, containingFile, redirect);
        recorded.set(keyOf(literal.text, mode), resolution);
        return resolution;
      });
    };
  }

  get(file: string, name: string, mode: ts.ResolutionMode): Resolution | undefined {
    return this.byFile.get(path.resolve(file))?.get(keyOf(name, mode));
  }

  has(file: string): boolean {
    return this.byFile.has(path.resolve(file));
  }

  /** The files a file's imports, re-exports, requires and import types resolved to (absolute paths). */
  importedFiles(file: string): string[] {
    const result: string[] = [];
    for (const resolution of this.byFile.get(path.resolve(file))?.values() ?? []) {
      const resolved = resolution.resolvedModule?.resolvedFileName;
      if (resolved !== undefined) result.push(path.resolve(resolved));
    }
    return result;
  }

  private namesOf(file: string): Map<string, Resolution> {
    const key = path.resolve(file);
    let names = this.byFile.get(key);
    if (names === undefined) this.byFile.set(key, (names = new Map<string, Resolution>()));
    return names;
  }
}

/**
 * A resolution that lands on a build output, pointed at the source it is compiled from; and a relative
 * import of an output not built yet (the context module's, before the repository builds it), at its source.
 */
function redirected(resolution: Resolution, specifier: string, containingFile: string, redirect: RedirectResolved | undefined): Resolution {
  if (redirect === undefined) return resolution;
  const module = resolution.resolvedModule;
  const output = module !== undefined ? path.resolve(module.resolvedFileName) : unresolvedOutput(specifier, containingFile);
  const source = output !== undefined ? redirect(output) : undefined;
  if (source === undefined) return resolution;
  const extension = /\.[cm]?[jt]sx?$/.exec(source)![0] as ts.Extension;
  return {
    ...resolution,
    resolvedModule: { resolvedFileName: source, extension, isExternalLibraryImport: false, resolvedUsingTsExtension: false },
  };
}

function unresolvedOutput(specifier: string, containingFile: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const target = path.resolve(path.dirname(containingFile), specifier);
  return /\.[cm]?js$/.test(target) ? target : `${target}.js`;
}

function keyOf(name: string, mode: ts.ResolutionMode): string {
  return `${mode ?? ''}|${name}`;
}
