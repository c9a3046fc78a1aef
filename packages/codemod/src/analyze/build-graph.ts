import { existsSync } from 'node:fs';
import path from 'node:path';
import { ts } from 'ts-morph';
import type { LoadedProject } from '../load/load-project.js';
import type { ThreadGraph } from '../types.js';
import { collectCandidates } from './collect-functions.js';
import { inspectContextModule } from './context-module.js';
import { markContextFreeCalls } from './context-reach.js';
import { describeRunBlocks } from './run-blocks.js';
import { rewriteDoubleAssertions } from './double-assertions.js';
import { findBoundary } from './boundary.js';
import { addNestBoundary } from './boundary-nest.js';
import { addEntryPointKeeps } from './entry-points.js';
import { addFrameworkKeeps } from './framework-calls.js';
import { describeFileStyle } from './file-style.js';
import { AliasSpecifiers } from './path-alias.js';
import { findLogFields } from './log-fields.js';
import { keysByName, sameValueMerges } from './key-aliases.js';
import { groupSignatures } from './signature-groups.js';
import { groupAssignedValues } from './assigned-values.js';
import { addSignatureKeeps } from './signature-keeps.js';
import { type TypeReading } from './param-types.js';
import { findParamTypeImports } from './type-imports.js';
import { groupValues } from './value-groups.js';
import { addUnparsableFileKeeps } from './unparsable-files.js';
import { addUntypedCallKeeps } from './untyped-calls.js';
import { walkUses } from './walk-uses.js';
import { existingKeyTypes } from './existing-key-types.js';
import { entryReexport, findWorkspaceContext, selfImportsRelative } from './workspace-context.js';

/**
 * `typeChoices` maps a key to the type `--param key:Type` picked where parameters of that name hold
 * several values; `aliases` maps other parameter names to the key they hold (`--param request_id=requestId`).
 * Keys the calls show to carry one value are merged, and the program analysed again under the merge.
 */
export function buildThreadGraph(
  loaded: LoadedProject,
  params: readonly string[],
  contextModuleOption: string | undefined,
  typeChoices: ReadonlyMap<string, string> = new Map(),
  aliases: ReadonlyMap<string, string> = new Map(),
): ThreadGraph {
  const graph = analyse(loaded, params, contextModuleOption, typeChoices, aliases);
  const merges = sameValueMerges(graph.calls, params, graph.contextModule.existingKeys);
  if (merges.size === 0) return graph;
  const merged = new Map([...aliases].map(([name, key]) => [name, merges.get(key) ?? key]));
  for (const [key, into] of merges) merged.set(key, into);
  const choices = new Map([...typeChoices].map(([key, type]) => [merges.get(key) ?? key, type]));
  const again = analyse(loaded, params.filter((p) => !merges.has(p)), contextModuleOption, choices, merged);
  again.mergedKeys = Object.fromEntries(merges);
  return again;
}

function analyse(
  loaded: LoadedProject,
  params: readonly string[],
  contextModuleOption: string | undefined,
  typeChoices: ReadonlyMap<string, string>,
  aliases: ReadonlyMap<string, string>,
): ThreadGraph {
  const { program, root, transformable } = loaded;
  const checker = program.getTypeChecker();
  const files = program.getSourceFiles().filter((sf) => !sf.fileName.includes('/node_modules/'));
  const isTransformable = (file: string): boolean => transformable.has(file);
  const index = collectCandidates(program, files, keysByName(params, aliases), isTransformable);
  const groups = groupSignatures(files, index, checker, isTransformable);
  groupAssignedValues(files, index, checker, isTransformable, groups);
  // An assertion's subject (`expect(service.find)`) names the function without passing it anywhere.
  for (const subject of rewriteDoubleAssertions(files, index, checker, isTransformable)) groups.implementingNames.add(subject);
  addSignatureKeeps(index, checker, groups.implementingFunctions);
  addEntryPointKeeps(program, root, index);
  addFrameworkKeeps(index);
  addUntypedCallKeeps(files, index, checker);
  addUnparsableFileKeeps(program, files, index, isTransformable);
  const language = [...transformable].some((f) => /\.[cm]?tsx?$/.test(f)) ? 'ts' : 'js';
  const workspace =
    contextModuleOption === undefined && (program.getProjectReferences()?.length ?? 0) > 0
      ? findWorkspaceContext(program, index.list.filter((c) => isTransformable(c.info.file)).map((c) => c.info.file), keyTypeFiles(index.list, checker), language)
      : undefined;
  const contextFile = workspace?.file ?? path.resolve(root, contextModuleOption ?? defaultContextModule(root, language));
  const contextModule = inspectContextModule(program, contextFile, language, root);
  if (workspace !== undefined) contextModule.workspace = { packageName: workspace.packageName, packageDir: workspace.packageDir, entry: workspace.entry };
  const { calls, takenNames } = walkUses(program, files, index, params, isTransformable, contextModule.exportName, groups.implementingNames);
  const boundary = findBoundary(files, calls, checker, root, contextModule.exportName, isTransformable);
  addNestBoundary(files, index, calls, checker, root, isTransformable, boundary, contextModule.exportName);
  markContextFreeCalls(files, calls, checker, root);
  const runBlocks = describeRunBlocks(files, calls, checker);
  const fileInfo: ThreadGraph['fileInfo'] = {};
  const pathAliases = new AliasSpecifiers(program, root);
  for (const file of transformable) {
    const sf = program.getSourceFile(file);
    if (sf !== undefined) fileInfo[file] = describeFileStyle(sf, program, contextModule, [...(takenNames.get(file) ?? [])], pathAliases, loaded.compiledSources);
  }
  if (contextModule.workspace !== undefined) {
    const entry = program.getSourceFile(contextModule.workspace.entry);
    const style = fileInfo[contextModule.workspace.entry];
    if (entry !== undefined && style !== undefined) {
      const reexport = entryReexport(entry, contextModule.file, contextModule.exportName, style);
      if (reexport !== undefined) contextModule.workspace.reexport = reexport;
    }
  }
  // A file without imports cannot show its quotes: it takes the ones most files use.
  const styles = Object.values(fileInfo);
  const doubles = styles.filter((s) => s.hasImports && s.quote === '"').length;
  if (doubles * 2 > styles.filter((s) => s.hasImports).length) {
    for (const style of styles) if (!style.hasImports) style.quote = '"';
  }
  const jsExtensions = styles.filter((s) => s.hasImports).map((s) => s.jsExtension);
  const reading: TypeReading = {
    checker,
    strictNullChecks: strictNullChecks(program.getCompilerOptions()),
    checkJs: program.getCompilerOptions().checkJs === true,
    // A file without a style of its own (a declaration file) imports the way most files do.
    jsExtensionIn: (file) => fileInfo[file]?.jsExtension ?? jsExtensions.filter(Boolean).length * 2 > jsExtensions.length,
  };
  const keyTypes = groupValues(index, calls, reading, typeChoices, existingKeyTypes(program, contextModule.file, contextModule.exportName));
  if (workspace !== undefined) selfImportsRelative(keyTypes, workspace, reading.jsExtensionIn(workspace.entry));
  const typeImports = findParamTypeImports(index, checker, isTransformable, (file) => program.getSourceFile(file));
  const logs = findLogFields(program, files, index, calls, isTransformable);
  const matched = new Set(index.list.filter((c) => c.info.kind !== 'external').flatMap((c) => c.info.params.map((p) => p.key)));
  return {
    root,
    params: [...params],
    functions: index.list.map((c) => c.info),
    calls,
    unmatched: params.filter((p) => !matched.has(p)),
    skippedFiles: loaded.skippedFiles,
    contextModule,
    fileInfo,
    keyTypes,
    typeImports,
    boundary,
    logs,
    runBlocks,
  };
}

/** The effective `strictNullChecks` (set, or implied by `strict`, or the compiler's default). */
function strictNullChecks(options: ts.CompilerOptions): boolean {
  const implied = (ts as unknown as { getStrictOptionValue?: (o: ts.CompilerOptions, flag: string) => boolean }).getStrictOptionValue;
  return implied !== undefined ? implied(options, 'strictNullChecks') : (options.strictNullChecks ?? options.strict ?? false);
}

/** The files that declare the threaded parameters' types (their named types' declarations). */
function keyTypeFiles(candidates: readonly { paramSymbols: Map<ts.Symbol, unknown> }[], checker: ts.TypeChecker): string[] {
  const files = new Set<string>();
  for (const candidate of candidates) {
    for (const symbol of candidate.paramSymbols.keys()) {
      const declaration = symbol.valueDeclaration;
      if (declaration === undefined) continue;
      const type = checker.getTypeOfSymbolAtLocation(symbol, declaration);
      for (const named of [type.aliasSymbol, type.getSymbol()]) {
        for (const d of named?.declarations ?? []) files.add(path.resolve(d.getSourceFile().fileName));
      }
    }
  }
  return [...files];
}

function defaultContextModule(root: string, language: 'ts' | 'js'): string {
  const folder = existsSync(path.join(root, 'src')) ? 'src' : '.';
  return path.join(folder, language === 'ts' ? 'context.ts' : 'context.js');
}
