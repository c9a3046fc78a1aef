import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import ignore from 'ignore';
import { ts } from 'ts-morph';
import { InputError } from '../errors.js';
import { BuildOutputs } from './build-outputs.js';
import { CompiledSources } from './compiled-sources.js';
import { checkContextModulePath } from './repository-root.js';
import { isCompiledCopy, isSource, repositoryFiles } from './repository-files.js';
import { createProgramHost, type ProgramHost, useProjectReferenceSources } from '../program/compiler-host.js';
import { explicitOptions } from '../program/explicit-options.js';
import { findTypeScript, type TypeScriptApi, type TypeScriptInUse } from '../program/typescript.js';

export interface LoadedProject {
  program: ts.Program;
  /** The host the program was built with: its lib files, parse options and module resolutions. */
  programHost: ProgramHost;
  /** The TypeScript that judges the repository (its own, or ts-morph's), and the options as it reads them. */
  typescript: TypeScriptInUse;
  compilerOptions: ts.CompilerOptions;
  /** The folder the context module and package.json are looked up from. */
  root: string;
  /** Absolute paths of the files the codemod may change. */
  transformable: Set<string>;
  /** Build outputs the repository's files import, mapped back to their sources. */
  compiledSources: CompiledSources;
  skippedFiles: { file: string; reason: string }[];
}

/** Compiler options for a folder without a tsconfig: every JS and TS file, nothing emitted. */
const DEFAULT_OPTIONS: ts.CompilerOptions = {
  allowJs: true,
  checkJs: false,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  skipLibCheck: true,
  esModuleInterop: true,
  resolveJsonModule: true,
};

export function loadProject(paths: string[], cwd: string, tsconfig?: string, contextModule?: string): LoadedProject {
  const targets = paths.map((p) => path.resolve(cwd, p));
  for (const target of targets) {
    if (!existsSync(target)) throw new InputError(`${target}: no such file or folder; pass a path inside the repository`);
  }
  const first = targets[0] ?? cwd;
  const firstDir = statSync(first).isDirectory() ? first : path.dirname(first);
  // Several folders with their own tsconfig (packages of a monorepo) load together, like references.
  const configs =
    tsconfig !== undefined
      ? [path.resolve(cwd, tsconfig)]
      : targets.flatMap((t) => (statSync(t).isDirectory() ? [findConfig(t)] : [])).filter((c): c is string => c !== undefined);
  if (configs.length === 0 && tsconfig === undefined) {
    const found = findConfigUpwards(firstDir);
    if (found !== undefined) configs.push(found);
  }
  const configPath = configs[0];
  const root = configPath !== undefined && configs.length === 1 ? path.dirname(configPath) : commonDir(targets.map((t) => (statSync(t).isDirectory() ? t : path.dirname(t))));

  if (contextModule !== undefined) checkContextModulePath(contextModule, root);
  const typescript = findTypeScript(root);
  const api = typescript.api;

  // The program is built directly (not through a ts-morph Project, which would parse every file with
  // parent pointers and all JSDoc, and wrap each one): same root files, same options, in the same order.
  let options: ts.CompilerOptions;
  const rootNames = new Set<string>();
  const outputs = new BuildOutputs();
  const isIgnored = gitignoreFilter(root);
  let callersOnly = false;
  const loadedConfigs = new Set<string>();
  const parsedConfigs = new Map<string, ts.ParsedCommandLine>();
  if (configPath !== undefined) {
    options = readConfig(api, configPath, rootNames, outputs, loadedConfigs, parsedConfigs);
    for (const other of configs.slice(1)) {
      for (const ref of collectReferences(api, other, loadedConfigs)) addFilesOf(parseConfig(api, ref), ref, rootNames, outputs, parsedConfigs);
    }
    // The rest of the project: other configs' files (tests with their own tsconfig), then every source
    // file no config names (a jest root). They call the same functions: in the program, their calls
    // are rewritten too (or, outside the paths, keep what they call).
    const repository = repositoryFiles(root, outputs, isIgnored);
    for (const other of repository.configs) {
      for (const ref of collectReferences(api, other, loadedConfigs)) addFilesOf(parseConfig(api, ref), ref, rootNames, outputs, parsedConfigs);
    }
    const sources = new Set(repository.sources);
    // A file a config already names through a symlink is that same file: loading it again under its
    // real name would make the program hold it twice.
    const namedRealPaths = new Set([...rootNames].map(realPathOrSelf));
    for (const source of repository.sources) {
      if (rootNames.has(source) || outputs.contains(source) || isCompiledCopy(source, sources)) continue;
      if (namedRealPaths.has(realPathOrSelf(source))) continue;
      rootNames.add(source);
      if (/\.[cm]?jsx?$/.test(source)) callersOnly = true;
    }
  } else {
    options = DEFAULT_OPTIONS;
    for (const target of targets) addFolder(rootNames, target, root, outputs);
  }
  // Analysed with ts-morph's TypeScript, told every option the repository's leaves implicit, and
  // resolving imports the way the repository's does. JavaScript files no config names are read even
  // when the config has no `allowJs`, to see their calls (the repository's own check ignores them).
  const analysisOptions = { ...explicitOptions(api, options, api.sys), ...(callersOnly && options.allowJs !== true ? { allowJs: true } : {}) };
  // A package that imports a referenced package (by its name, through its built `dist/*.d.ts`) sees
  // that package's sources instead, as an editor does: its calls are calls of the functions the
  // codemod changes, and `tsc -b` will rebuild those declarations from the changed sources.
  const referenced = referencedConfigs(api, loadedConfigs);
  const projectReferences = referenced.map((config) => ({ path: config }));
  // Other configs' outputs that files import by path read as their sources too (compiled-sources.ts).
  const compiledSources = new CompiledSources();
  for (const [config, parsed] of parsedConfigs) if (!referenced.includes(config)) compiledSources.addConfig(parsed, path.dirname(config));
  const redirect = compiledSources.isEmpty ? undefined : (file: string, alsoSource?: (source: string) => boolean): string | undefined => compiledSources.sourceOf(file, alsoSource);
  const programHost = createProgramHost(analysisOptions, ts, api, redirect);
  if (projectReferences.length > 0) useProjectReferenceSources(programHost.compilerHost);
  const program = ts.createProgram({ rootNames: [...rootNames], options: analysisOptions, host: programHost.compilerHost, projectReferences });

  const transformable = new Set<string>();
  const skippedFiles: { file: string; reason: string }[] = [];
  for (const sf of program.getSourceFiles()) {
    const file = path.resolve(sf.fileName);
    if (sf.isDeclarationFile || file.split(path.sep).includes('node_modules') || outputs.contains(file)) continue;
    if (!targets.some((t) => file === t || file.startsWith(t + path.sep))) continue;
    const relative = path.relative(root, file);
    if (!relative.startsWith('..') && isIgnored(relative)) {
      skippedFiles.push({ file, reason: 'ignored by .gitignore' });
      continue;
    }
    const syntax = program.getSyntacticDiagnostics(sf);
    const firstError = syntax[0];
    if (firstError !== undefined) {
      const { line } = sf.getLineAndCharacterOfPosition(firstError.start ?? 0);
      const message = ts.flattenDiagnosticMessageText(firstError.messageText, ' ');
      skippedFiles.push({ file, reason: `does not parse (line ${line + 1}: ${message}); left unchanged` });
      continue;
    }
    transformable.add(file);
  }
  return { program, programHost, typescript, compilerOptions: options, root, transformable, compiledSources, skippedFiles };
}

function realPathOrSelf(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}

function commonDir(dirs: string[]): string {
  let common = dirs[0] ?? process.cwd();
  for (const dir of dirs.slice(1)) {
    while (dir !== common && !dir.startsWith(common + path.sep)) common = path.dirname(common);
  }
  return common;
}

/** The nearest tsconfig above a folder, not past the package (or repository) it belongs to. */
function findConfigUpwards(dir: string): string | undefined {
  for (let current = dir; ; current = path.dirname(current)) {
    const found = findConfig(current);
    if (found !== undefined) return found;
    const boundary = existsSync(path.join(current, 'package.json')) || existsSync(path.join(current, '.git'));
    if (boundary || path.dirname(current) === current) return undefined;
  }
}

function findConfig(dir: string): string | undefined {
  for (const name of ['tsconfig.json', 'jsconfig.json']) {
    const candidate = path.join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * A tsconfig, following project references: a solution config with `files: []` loads its references.
 * Adds the files of the config and its references to `rootNames`; returns the compiler options.
 */
function readConfig(
  api: TypeScriptApi,
  configPath: string,
  rootNames: Set<string>,
  outputs: BuildOutputs,
  loadedConfigs: Set<string>,
  parsedConfigs: Map<string, ts.ParsedCommandLine>,
): ts.CompilerOptions {
  let text: string;
  try {
    text = readFileSync(configPath, 'utf8');
  } catch (error) {
    throw new InputError(`${configPath}: cannot read the tsconfig (${(error as Error).message}); pass one with --tsconfig`);
  }
  const parsed = api.parseConfigFileTextToJson(configPath, text);
  if (parsed.error !== undefined) {
    const message = api.flattenDiagnosticMessageText(parsed.error.messageText, ' ');
    throw new InputError(`${configPath}: not a valid tsconfig (${message}); fix it or pass another with --tsconfig`);
  }
  const references = collectReferences(api, configPath, loadedConfigs);
  const configs = new Map(references.map((ref) => [ref, parseConfig(api, ref)]));
  // A solution config (no files of its own) lends its first reference's options; a config with files
  // of its own is checked with its own options, whatever it references (`tsc -p` reads those only).
  const isSolution = configs.get(configPath)!.fileNames.length === 0;
  const optionsSource = (isSolution ? references.find((ref) => ref !== configPath) : undefined) ?? configPath;
  for (const ref of references) addFilesOf(configs.get(ref)!, ref, rootNames, outputs, parsedConfigs);
  return (configs.get(optionsSource) ?? parseConfig(api, optionsSource)).options;
}

/** A tsconfig's options and files, as TypeScript reads it (`extends`, include and exclude); its errors are not ours to report. */
function parseConfig(api: TypeScriptApi, configPath: string): ts.ParsedCommandLine {
  const json = api.readConfigFile(configPath, api.sys.readFile.bind(api.sys)).config as unknown;
  return api.parseJsonConfigFileContent(json ?? {}, api.sys, path.dirname(configPath), undefined, configPath);
}

/** A config's files, but none in a build output (of this config or one read before it). */
function addFilesOf(
  config: ts.ParsedCommandLine,
  configPath: string,
  rootNames: Set<string>,
  outputs: BuildOutputs,
  parsedConfigs: Map<string, ts.ParsedCommandLine>,
): void {
  parsedConfigs.set(configPath, config);
  outputs.addConfig(config, path.dirname(configPath));
  for (const file of config.fileNames) {
    const absolute = path.resolve(file);
    if (existsSync(absolute) && !outputs.contains(absolute)) rootNames.add(absolute);
  }
}

/** The configs that some loaded config references (the projects `tsc -b` builds before their referrers). */
function referencedConfigs(api: TypeScriptApi, configs: ReadonlySet<string>): string[] {
  const referenced = new Set<string>();
  for (const config of configs) {
    for (const ref of referencesOf(api, config)) referenced.add(ref);
  }
  return [...referenced];
}

function referencesOf(api: TypeScriptApi, configPath: string): string[] {
  const raw = api.readConfigFile(configPath, api.sys.readFile.bind(api.sys)).config as { references?: { path: string }[] } | undefined;
  return (raw?.references ?? []).flatMap((ref) => {
    let refPath = path.resolve(path.dirname(configPath), ref.path);
    if (existsSync(refPath) && statSync(refPath).isDirectory()) refPath = path.join(refPath, 'tsconfig.json');
    return existsSync(refPath) ? [refPath] : [];
  });
}

function collectReferences(api: TypeScriptApi, configPath: string, seen: Set<string>): string[] {
  if (seen.has(configPath)) return [];
  seen.add(configPath);
  const result = [configPath];
  for (const refPath of referencesOf(api, configPath)) result.push(...collectReferences(api, refPath, seen));
  return result;
}

function addFolder(rootNames: Set<string>, target: string, root: string, outputs: BuildOutputs): void {
  const isIgnored = gitignoreFilter(root);
  const visit = (entry: string): void => {
    const stat = statSync(entry);
    const relative = path.relative(root, entry);
    if (relative !== '' && !relative.startsWith('..') && isIgnored(stat.isDirectory() ? `${relative}/` : relative)) return;
    if (stat.isDirectory()) {
      const base = path.basename(entry);
      if (base === 'node_modules' || base === '.git') return;
      if (outputs.isOutputFolder(entry)) return outputs.addFolder(entry);
      for (const child of readdirSorted(entry)) visit(path.join(entry, child));
    } else if (isSource(entry)) {
      rootNames.add(entry);
    }
  };
  visit(target);
}

function readdirSorted(dir: string): string[] {
  return readdirSync(dir).sort();
}

/** The root .gitignore as a predicate over paths relative to the root. */
function gitignoreFilter(root: string): (relative: string) => boolean {
  const matcher = ignore();
  const file = path.join(root, '.gitignore');
  if (existsSync(file)) matcher.add(readFileSync(file, 'utf8'));
  return (relative) => relative !== '' && matcher.ignores(relative.split(path.sep).join('/'));
}
