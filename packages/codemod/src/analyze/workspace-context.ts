// Where the context lives in a monorepo of packages built with project references (`tsc -b`). A file
// at the repository's root belongs to no package's project (TS6307, TS6059), and a context per package
// would not carry a value from one package's `run()` to another's `get()`. So the context goes into
// one package that every package holding a threaded function depends on (the one that declares the
// keys' types, when several do), in its source folder, re-exported from its entry; the other packages
// import it by that package's name, as they import anything else from it, never by a path into it.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ts } from 'ts-morph';
import type { FileStyle, KeyType } from '../types.js';

export interface WorkspaceContext {
  /** The context module: `<package>/<rootDir>/context.ts`. */
  file: string;
  /** The host package's name, which other packages import the context by. */
  packageName: string;
  packageDir: string;
  /** The source file of the package's entry (`src/index.ts` for `build/index.d.ts`), which re-exports the context. */
  entry: string;
}

interface Manifest {
  name?: string;
  main?: string;
  types?: string;
  typings?: string;
  exports?: unknown;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

interface WorkspacePackage {
  dir: string;
  manifest: Manifest & { name: string };
  config: ts.ParsedCommandLine;
}

/**
 * The package to host the context, or undefined when the repository is not such a monorepo or no
 * package suits (every threading package must depend on it, and its entry must map to a source file).
 */
export function findWorkspaceContext(
  program: ts.Program,
  threadingFiles: readonly string[],
  keyTypeFiles: readonly string[],
  language: 'ts' | 'js',
): WorkspaceContext | undefined {
  const packages = workspacePackages(program);
  if (packages.length < 2) return undefined;
  const packageOf = (file: string): WorkspacePackage | undefined =>
    packages.filter((p) => file.startsWith(p.dir + path.sep)).sort((a, b) => b.dir.length - a.dir.length)[0];
  const threading = [...new Set(threadingFiles.map(packageOf).filter((p): p is WorkspacePackage => p !== undefined))];
  const contextFileOf = (p: WorkspacePackage): string =>
    path.join(p.config.options.rootDir ?? path.join(p.dir, 'src'), language === 'ts' ? 'context.ts' : 'context.js');
  const dependsOn = (from: WorkspacePackage, on: WorkspacePackage): boolean =>
    from === on || [from.manifest.dependencies, from.manifest.devDependencies, from.manifest.peerDependencies].some((deps) => deps?.[on.manifest.name] !== undefined);
  // A package whose context module exists already hosts it (a later run, with nothing left to thread, still finds it).
  const existing = packages.filter((p) => existsSync(contextFileOf(p)));
  const hosts = existing.length > 0 ? existing : threading.length > 0 ? packages.filter((host) => threading.every((p) => dependsOn(p, host))) : [];
  // The package that declares the keys' types imports nothing new for them.
  const declaring = (p: WorkspacePackage): number => keyTypeFiles.filter((f) => f.startsWith(p.dir + path.sep)).length;
  // Then the package that threads the most (a package depended on only for other things is no home for it).
  const threads = (p: WorkspacePackage): number => threadingFiles.filter((f) => f.startsWith(p.dir + path.sep)).length;
  for (const host of hosts.sort((a, b) => declaring(b) - declaring(a) || threads(b) - threads(a) || a.dir.localeCompare(b.dir))) {
    const entry = entrySource(host);
    if (entry === undefined) continue;
    return { file: contextFileOf(host), packageName: host.manifest.name, packageDir: host.dir, entry };
  }
  return undefined;
}

/** Packages of the program's project references: a folder with a tsconfig and a named package.json. */
function workspacePackages(program: ts.Program): WorkspacePackage[] {
  const result: WorkspacePackage[] = [];
  const seen = new Set<string>();
  const visit = (refs: readonly (ts.ResolvedProjectReference | undefined)[] | undefined): void => {
    for (const ref of refs ?? []) {
      if (ref === undefined || seen.has(ref.sourceFile.fileName)) continue;
      seen.add(ref.sourceFile.fileName);
      const dir = path.dirname(path.resolve(ref.sourceFile.fileName));
      const manifest = readManifest(dir);
      if (manifest?.name !== undefined) result.push({ dir, manifest: manifest as Manifest & { name: string }, config: ref.commandLine });
      visit(ref.references);
    }
  };
  visit(program.getResolvedProjectReferences());
  return result;
}

function readManifest(dir: string): Manifest | undefined {
  const file = path.join(dir, 'package.json');
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

/**
 * The source of the package's entry: its `types` (or `main`) mapped from the output folder back to the
 * source folder. A package with an `exports` map is left alone: its entry's conditions decide more.
 */
function entrySource(pkg: WorkspacePackage): string | undefined {
  const { manifest, config, dir } = pkg;
  if (manifest.exports !== undefined) return undefined;
  const declared = manifest.types ?? manifest.typings ?? manifest.main;
  if (declared === undefined) return undefined;
  const { outDir, rootDir } = config.options;
  const built = path.resolve(dir, declared);
  if (outDir === undefined || rootDir === undefined || !built.startsWith(outDir + path.sep)) return undefined;
  const stem = path.join(rootDir, path.relative(outDir, built)).replace(/(\.d)?\.[cm]?[jt]sx?$/, '');
  const sources = new Set(config.fileNames.map((f) => path.resolve(f)));
  return ['.ts', '.tsx', '.mts', '.js'].map((ext) => stem + ext).find((f) => sources.has(f));
}

/**
 * Key types named through the host package's own name (`import type { Logger } from '@acme/shared'`),
 * rewritten to its entry relatively: the context module sits inside that package, which does not
 * import itself by name.
 */
export function selfImportsRelative(keyTypes: Record<string, KeyType>, workspace: WorkspaceContext, jsExtension: boolean): void {
  const entryName = path.basename(workspace.entry).replace(/\.[cm]?[jt]sx?$/, jsExtension ? '.js' : '');
  for (const type of Object.values(keyTypes)) {
    for (const reference of type.references) {
      if (reference.module.specifier !== workspace.packageName) continue;
      reference.module = { specifier: `./${entryName}`, relativeTo: path.dirname(workspace.entry) };
    }
  }
}

/**
 * The statement that re-exports the context from the package's entry, written in the entry's style and
 * placed after its last `export … from`; undefined when the entry already re-exports the context module.
 */
export function entryReexport(entry: ts.SourceFile, contextFile: string, exportName: string, style: FileStyle): { at: number; text: string } | undefined {
  const stem = (file: string): string => file.replace(/\.[cm]?[jt]sx?$/, '');
  const dir = path.dirname(path.resolve(entry.fileName));
  let last: ts.Statement | undefined;
  for (const statement of entry.statements) {
    if (!ts.isExportDeclaration(statement) || statement.moduleSpecifier === undefined || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const specifier = statement.moduleSpecifier.text;
    if (specifier.startsWith('.') && stem(path.resolve(dir, specifier)) === stem(contextFile)) return undefined;
    last = statement;
  }
  let specifier = path.relative(dir, contextFile).split(path.sep).join('/');
  if (!specifier.startsWith('.')) specifier = `./${specifier}`;
  specifier = style.jsExtension ? specifier.replace(/\.ts$/, '.js').replace(/\.mts$/, '.mjs').replace(/\.cts$/, '.cjs') : stem(specifier);
  const text = `export { ${exportName} } from ${style.quote}${specifier}${style.quote}${style.semicolon ? ';' : ''}`;
  if (last !== undefined) return { at: last.end, text: `${style.newline}${text}` };
  const end = entry.text.length;
  const needsNewline = end > 0 && !entry.text.endsWith('\n');
  return { at: end, text: `${needsNewline ? style.newline : ''}${text}${style.newline}` };
}
