// The program as it will be after the change: a second ts.Program built from the edited texts,
// reusing the first (`oldProgram`) so unchanged files are neither parsed nor bound again, and reusing
// the first program's module resolutions for the edited files' imports too (TypeScript reuses them
// only for files whose text is unchanged, and for none once a file is added, as a new context module is).
import path from 'node:path';
import type { ts } from 'ts-morph';
import type { ProgramHost } from '../program/compiler-host.js';
import { ModuleResolutions } from '../program/module-resolutions.js';
import type { FileChange } from '../public-types.js';

export interface AfterProgram {
  program: ts.Program;
  /** Resolutions the new program made (for edited and added files; unchanged files keep the old ones). */
  resolutions: ModuleResolutions;
}

export function buildAfterProgram(before: ts.Program, beforeHost: ProgramHost, changes: readonly FileChange[]): AfterProgram {
  const byFile = new Map(changes.map((c) => [path.resolve(c.file), c]));
  const addedFiles = changes.filter((c) => c.before === undefined).map((c) => c.file);
  const added = new Set(addedFiles.map((f) => path.resolve(f)));
  const options = before.getCompilerOptions();
  const api = beforeHost.api;
  const base = beforeHost.compilerHost;
  const host: ts.CompilerHost = { ...base };
  host.readFile = (f) => byFile.get(path.resolve(f))?.after ?? base.readFile(f);
  host.fileExists = (f) => byFile.has(path.resolve(f)) || base.fileExists(f);
  // A new context module may sit in a folder that does not exist yet.
  const newDirs = new Set([...added].flatMap((f) => ancestors(path.dirname(f))));
  host.directoryExists = (d) => newDirs.has(path.resolve(d)) || (base.directoryExists?.(d) ?? true);
  host.getSourceFile = (fileName, requested, onError, shouldCreate) => {
    const changed = byFile.get(path.resolve(fileName));
    if (changed !== undefined) return api.createSourceFile(fileName, changed.after, beforeHost.parseOptions(fileName, requested), false);
    // The first program's file, parsed once, unless it is a redirect: a second copy of a package version
    // the program already holds, which TypeScript makes itself and which a host must not hand back.
    const earlier = before.getSourceFile(fileName);
    if (earlier !== undefined && (earlier as { redirectInfo?: unknown }).redirectInfo === undefined) return earlier;
    return base.getSourceFile(fileName, requested, onError, shouldCreate);
  };

  const resolutions = new ModuleResolutions();
  const cache = beforeHost.resolveApi.createModuleResolutionCache(host.getCurrentDirectory(), (f) => host.getCanonicalFileName(f), options);
  const reuse = (file: string, name: string, mode: ts.ResolutionMode): ts.ResolvedModuleWithFailedLookupLocations | undefined => {
    const earlier = beforeHost.resolutions.get(file, name, mode);
    if (earlier?.resolvedModule === undefined) return undefined;
    // A file the change adds can be a better match than the one found before: TypeScript lists every
    // candidate it probed and did not find, so such a resolution is made again.
    const probed = (earlier as { failedLookupLocations?: readonly string[] }).failedLookupLocations ?? [];
    return probed.some((candidate) => added.has(path.resolve(candidate))) ? undefined : earlier;
  };
  // An added file (the context module) has a build output to come, which files may already import.
  const baseRedirect = beforeHost.redirect;
  const redirect = baseRedirect !== undefined ? (file: string): string | undefined => baseRedirect(file, (source) => added.has(source)) : undefined;
  host.resolveModuleNameLiterals = resolutions.resolver(beforeHost.resolveApi, api, host, cache, reuse, redirect);
  if (beforeHost.resolveApi === api) host.getModuleResolutionCache = () => cache;

  const projectReferences = before.getProjectReferences();
  const program = api.createProgram({
    rootNames: [...before.getRootFileNames(), ...addedFiles],
    options,
    host,
    oldProgram: before,
    ...(projectReferences !== undefined ? { projectReferences } : {}),
  });
  return { program, resolutions };
}

function ancestors(dir: string): string[] {
  const result = [dir];
  while (path.dirname(result[result.length - 1]!) !== result[result.length - 1]) result.push(path.dirname(result[result.length - 1]!));
  return result;
}
