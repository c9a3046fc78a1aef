// The compiler host the codemod's programs are built with (the program load builds and the ones verify
// builds): TypeScript's own host for the repository's files, and a record of every module resolution,
// made by the TypeScript that judges the repository (program/typescript.ts). A host for ts-morph's
// TypeScript serves its lib files, which live in memory at a virtual folder; a host for the
// repository's own TypeScript reads that one's lib files from disk, as its `tsc` does.
//
// Files are parsed the way `tsc` parses them: without parent pointers (the binder sets them, and the
// checker is created before any analysis reads them) and, in declaration files and node_modules,
// without the JSDoc comments that cannot change a type error (@types/node is mostly such comments).
// The repository's own files keep all their JSDoc: the codemod edits `@param` tags.
import { statSync } from 'node:fs';
import path from 'node:path';
import { Project, ts } from 'ts-morph';
import { ModuleResolutions, type RedirectResolved } from './module-resolutions.js';
import type { TypeScriptApi } from './typescript.js';

export interface ProgramHost {
  /** The TypeScript whose programs this host serves (parses and type-checks with it). */
  api: TypeScriptApi;
  /** The TypeScript that resolves its module names. */
  resolveApi: TypeScriptApi;
  compilerHost: ts.CompilerHost;
  resolutions: ModuleResolutions;
  /** The text of one of TypeScript's lib files, or undefined for any other path. */
  libText: (fileName: string) => string | undefined;
  /** Where resolutions that land on a build output read the source instead (load/compiled-sources.ts). */
  redirect?: RedirectResolved;
  /** How a file is parsed, from the options the program asks with. */
  parseOptions: (fileName: string, requested: ts.ScriptTarget | ts.CreateSourceFileOptions) => ts.CreateSourceFileOptions;
}

/** Where ts-morph serves TypeScript's lib files from (in memory, whatever the real file system holds). */
const LIB_FOLDER = '/node_modules/typescript/lib';

/**
 * A host for programs of `api` (ts-morph's TypeScript by default), whose module names are resolved by
 * `resolveWith` (the repository's own TypeScript when it has one: its resolution is what its `tsc` sees).
 */
export function createProgramHost(
  options: ts.CompilerOptions,
  api: TypeScriptApi = ts,
  resolveWith: TypeScriptApi = api,
  redirect?: RedirectResolved,
): ProgramHost {
  const host = api.createCompilerHost(options, false);
  const parseOptions: ProgramHost['parseOptions'] = (fileName, requested) => ({
    ...(typeof requested === 'object' ? requested : { languageVersion: requested }),
    // JSDocParsingMode's values are the same in every TypeScript that has it (5.3+); older ones ignore it.
    jsDocParsingMode: isProjectFile(fileName) ? ts.JSDocParsingMode.ParseAll : ts.JSDocParsingMode.ParseForTypeErrors,
  });
  let libText = (_fileName: string): string | undefined => undefined;
  if (api === ts) {
    const libFiles = new Project({ skipAddingFilesFromTsConfig: true, skipFileDependencyResolution: true }).getModuleResolutionHost();
    libText = (fileName) => (path.dirname(fileName) === LIB_FOLDER && libFiles.fileExists(fileName) ? libFiles.readFile(fileName) : undefined);
    host.getDefaultLibLocation = () => LIB_FOLDER;
    host.getDefaultLibFileName = (o) => path.posix.join(LIB_FOLDER, ts.getDefaultLibFileName(o));
  }
  const readFile = host.readFile.bind(host);
  const fileExists = memoize(host.fileExists.bind(host));
  host.readFile = (f) => libText(f) ?? readFile(f);
  host.fileExists = (f) => libText(f) !== undefined || fileExists(f);
  // Module resolution asks the same questions from every folder (`../../logger.ts`?), each a stat
  // call; the answers cannot change while the codemod runs (verification overlays its own files).
  if (host.directoryExists !== undefined) host.directoryExists = memoize(host.directoryExists.bind(host));
  if (host.realpath !== undefined) host.realpath = memoize(host.realpath.bind(host));
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, requested, onError, shouldCreate) => {
    const lib = libText(fileName);
    if (lib !== undefined) return api.createSourceFile(fileName, lib, parseOptions(fileName, requested), false);
    const parse = parseOptions(fileName, requested);
    if (api === ts || !isSharedDeclarationFile(fileName)) return getSourceFile(fileName, parse, onError, shouldCreate);
    // The repository's own TypeScript parses its lib files and @types afresh for each program; parsed
    // once per process instead (as its language service shares them between programs), while unchanged.
    const key = `${fileName}|${parse.languageVersion}|${parse.impliedNodeFormat ?? ''}|${parse.jsDocParsingMode ?? ''}|${options.moduleDetection ?? ''}`;
    const cache = declarationCache(api);
    const mtime = modifiedTime(fileName);
    const cached = cache.get(key);
    if (cached !== undefined && cached.mtime === mtime) return cached.file;
    const file = getSourceFile(fileName, parse, onError, shouldCreate);
    if (file !== undefined && mtime !== undefined) cache.set(key, { file, mtime });
    return file;
  };
  const resolutions = new ModuleResolutions();
  const cache = resolveWith.createModuleResolutionCache(host.getCurrentDirectory(), (f) => host.getCanonicalFileName(f), options);
  host.resolveModuleNameLiterals = resolutions.resolver(resolveWith, api, host, cache, undefined, redirect);
  // The program may use the cache only when the same TypeScript made it (type reference directives).
  if (resolveWith === api) host.getModuleResolutionCache = () => cache;
  return { api, resolveApi: resolveWith, compilerHost: host, resolutions, libText, parseOptions, ...(redirect !== undefined ? { redirect } : {}) };
}

const declarationCaches = new WeakMap<TypeScriptApi, Map<string, { file: ts.SourceFile; mtime: number }>>();

function declarationCache(api: TypeScriptApi): Map<string, { file: ts.SourceFile; mtime: number }> {
  let cache = declarationCaches.get(api);
  if (cache === undefined) declarationCaches.set(api, (cache = new Map<string, { file: ts.SourceFile; mtime: number }>()));
  return cache;
}

/** A declaration file of a package or of TypeScript itself: the same in every project that reads it. */
function isSharedDeclarationFile(fileName: string): boolean {
  return /\.d\.[cm]?ts$/.test(fileName) && fileName.includes('/node_modules/');
}

function modifiedTime(fileName: string): number | undefined {
  try {
    return statSync(fileName).mtimeMs;
  } catch {
    return undefined;
  }
}

function memoize<T>(question: (path: string) => T): (path: string) => T {
  const answers = new Map<string, T>();
  return (p) => {
    let answer = answers.get(p);
    if (answer === undefined && !answers.has(p)) answers.set(p, (answer = question(p)));
    return answer as T;
  };
}

function isProjectFile(fileName: string): boolean {
  return !fileName.endsWith('.d.ts') && !/\.d\.[cm]ts$/.test(fileName) && !fileName.includes('/node_modules/');
}

/**
 * Makes a program with project references read a referenced project's sources where an import reaches
 * its built declarations (`dist/index.d.ts`), as editors do. A member of every TypeScript's compiler
 * host that its declarations leave out.
 */
export function useProjectReferenceSources(host: ts.CompilerHost): void {
  (host as ts.CompilerHost & { useSourceOfProjectReferenceRedirect?: () => boolean }).useSourceOfProjectReferenceRedirect = () => true;
}
