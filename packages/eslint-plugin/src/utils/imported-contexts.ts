// Instances imported from the project's own modules: a service keeps `export const als = new
// AsyncLocalStorage()` (or `export const request = createContext(...)`) in one module and imports it
// everywhere else, where a single-file view cannot see what it is. For a RELATIVE specifier this module
// finds the file on disk and scans its text - no parser, no type checker - for the names it exports as
// instances. It never throws: a missing or unreadable file simply exports nothing it recognises.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { CONTEXT_MODULE, type ContextKind } from './context-names.js';

/** Export name → kind, for the names a module exports as instances (`default` for a default export). */
export type ExportedContexts = ReadonlyMap<string, ContextKind>;

const NONE: ExportedContexts = new Map();

/** Extensions tried after the specifier as written, in NodeNext's and bundlers' usual order. */
const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs', '.jsx'];
/** NodeNext writes the output's extension in the specifier: `./context.js` is `./context.ts` on disk. */
const OUTPUT_TO_SOURCE: Readonly<Record<string, readonly string[]>> = {
  '.js': ['.ts', '.tsx'],
  '.mjs': ['.mts'],
  '.cjs': ['.cts'],
  '.jsx': ['.tsx'],
};
/** Barrels re-export from further barrels; a few hops cover real layouts and stop cycles. */
const MAX_REEXPORT_DEPTH = 4;

export function isRelativeSpecifier(specifier: string): boolean {
  return specifier === '.' || specifier === '..' || specifier.startsWith('./') || specifier.startsWith('../');
}

interface DirectoryListing {
  mtimeMs: number;
  /** Entry name → whether it is a file; undefined for a symbolic link, whose target is asked once. */
  entries: Map<string, boolean | undefined>;
}

// One listing per directory for the whole lint run instead of a stat per candidate (a specifier has up
// to ~20): the directory's own mtime changes when an entry is added or removed, so one stat tells
// whether the listing still holds (editor sessions create files while the process lives).
const directoryCache = new Map<string, DirectoryListing>();

function listDirectory(directory: string): DirectoryListing | undefined {
  const stats = statSync(directory, { throwIfNoEntry: false });
  if (!stats?.isDirectory()) {
    directoryCache.delete(directory);
    return undefined;
  }
  const cached = directoryCache.get(directory);
  if (cached && cached.mtimeMs === stats.mtimeMs) return cached;
  const entries = new Map<string, boolean | undefined>();
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    entries.set(entry.name, entry.isSymbolicLink() ? undefined : entry.isFile());
  }
  const listing = { mtimeMs: stats.mtimeMs, entries };
  directoryCache.set(directory, listing);
  return listing;
}

function isFile(candidate: string, listings: Map<string, DirectoryListing | undefined>): boolean {
  try {
    const directory = path.dirname(candidate);
    if (!listings.has(directory)) listings.set(directory, listDirectory(directory));
    const listing = listings.get(directory);
    if (!listing) return false;
    const name = path.basename(candidate);
    if (!listing.entries.has(name)) return false;
    const known = listing.entries.get(name);
    if (known !== undefined) return known;
    return statSync(candidate, { throwIfNoEntry: false })?.isFile() === true;
  } catch {
    return false;
  }
}

// Every file of a service imports the same few modules (`./context.js` from one folder,
// `../shared/context.js` from each domain's): each path a specifier points at is resolved once for
// the process. The file found is still read through readModuleText, which notices a changed one.
// A miss is not cached: in a long-lived editor session the module may be created a moment later.
const resolutionCache = new Map<string, string>();

/** The file a relative specifier names, seen from `fromFile`; undefined when there is none. */
export function resolveRelativeModule(fromFile: string, specifier: string): string | undefined {
  if (!isRelativeSpecifier(specifier) || !path.isAbsolute(fromFile)) return undefined;
  const base = getBasePath(path.dirname(fromFile), specifier);
  const cached = resolutionCache.get(base);
  if (cached !== undefined) return cached;
  const resolved = resolveBase(base);
  if (resolved !== undefined) resolutionCache.set(base, resolved);
  return resolved;
}

// The path a specifier names from a directory is pure string work, but path.resolve on every import of
// every file showed in profiles: a file's siblings import the same specifiers, so it is kept.
const basePaths = new Map<string, Map<string, string>>();

function getBasePath(directory: string, specifier: string): string {
  let bySpecifier = basePaths.get(directory);
  if (!bySpecifier) {
    bySpecifier = new Map();
    basePaths.set(directory, bySpecifier);
  }
  let base = bySpecifier.get(specifier);
  if (base === undefined) {
    base = path.resolve(directory, specifier.split(/[?#]/u)[0] ?? specifier);
    bySpecifier.set(specifier, base);
  }
  return base;
}

function resolveBase(base: string): string | undefined {
  const extension = path.extname(base);
  const candidates = [
    base,
    ...(OUTPUT_TO_SOURCE[extension] ?? []).map((source) => base.slice(0, -extension.length) + source),
    ...EXTENSIONS.map((ext) => base + ext),
    ...EXTENSIONS.map((ext) => path.join(base, `index${ext}`)),
  ];
  // Listings asked for during this one resolution: each directory is checked once, not per candidate.
  const listings = new Map<string, DirectoryListing | undefined>();
  return candidates.find((candidate) => isFile(candidate, listings));
}

interface CachedModule {
  mtimeMs: number;
  size: number;
  text: string | undefined;
}

// One entry per file for the whole lint run; a changed file (editor sessions) is read again.
const textCache = new Map<string, CachedModule>();

function readModuleText(file: string): string | undefined {
  try {
    const stats = statSync(file, { throwIfNoEntry: false });
    if (!stats?.isFile()) return undefined;
    const cached = textCache.get(file);
    if (cached?.mtimeMs === stats.mtimeMs && cached.size === stats.size) return cached.text;
    // A module that holds the instance is small; a huge file (a bundle) is not worth reading.
    const text = stats.size > 2_000_000 ? undefined : readFileSync(file, 'utf8');
    textCache.set(file, { mtimeMs: stats.mtimeMs, size: stats.size, text });
    return text;
  } catch {
    return undefined;
  }
}

const IDENTIFIER = String.raw`[A-Za-z_$][\w$]*`;
// `new AsyncLocalStorage(`, `new hooks.AsyncLocalStorage<Store>(`.
const NEW_STORAGE = String.raw`new\s+(?:${IDENTIFIER}\s*\.\s*)?AsyncLocalStorage\b`;
// `createContext(`, `createContext<Store>(`, `ctx.createContext(`.
const CREATE_CONTEXT = String.raw`(?:${IDENTIFIER}\s*\.\s*)?createContext\s*(?:<[^;()]*>)?\s*\(`;
// An optional type annotation between the name and `=`: `als: AsyncLocalStorage<Store> =`.
const ANNOTATION = String.raw`(?:\s*:[^=;]*)?`;

function constructionKind(init: string, text: string): ContextKind | undefined {
  if (new RegExp(`^${NEW_STORAGE}`, 'u').test(init) && /\basync_hooks\b/u.test(text)) return 'storage';
  if (new RegExp(`^${CREATE_CONTEXT}`, 'u').test(init) && text.includes(CONTEXT_MODULE)) return 'context';
  return undefined;
}

interface ModuleScan {
  /** Names declared in the module with an instance as their initial value. */
  locals: Map<string, ContextKind>;
  exported: Map<string, ContextKind>;
  /** `export { a as b } from './x'`: export name → [specifier, name there]. */
  reexports: Map<string, [string, string]>;
  /** `export * from './x'`. */
  starExports: string[];
}

/** What a module's text declares and exports as instances, without parsing it. */
function scanModule(text: string): ModuleScan {
  const scan: ModuleScan = { locals: new Map(), exported: new Map(), reexports: new Map(), starExports: [] };
  const mentionsInstances = text.includes('AsyncLocalStorage') || text.includes('createContext');

  if (mentionsInstances) {
    // `[export] const|let|var NAME[: T] = <construction>`
    const declaration = new RegExp(
      String.raw`(^|[\s;{}])(export\s+)?(?:const|let|var)\s+(${IDENTIFIER})${ANNOTATION}\s*=\s*(?=(${NEW_STORAGE}|${CREATE_CONTEXT}))`,
      'gu',
    );
    for (const match of text.matchAll(declaration)) {
      const [, , exported, name, init] = match;
      if (name === undefined || init === undefined) continue;
      const kind = constructionKind(init, text);
      if (!kind) continue;
      scan.locals.set(name, kind);
      if (exported) scan.exported.set(name, kind);
    }
    // CommonJS: `exports.NAME = <construction>`, `module.exports.NAME = <construction>`.
    const cjsProperty = new RegExp(
      String.raw`\b(?:module\s*\.\s*)?exports\s*\.\s*(${IDENTIFIER})\s*=\s*(?=(${NEW_STORAGE}|${CREATE_CONTEXT}))`,
      'gu',
    );
    for (const [, name, init] of text.matchAll(cjsProperty)) {
      const kind = name === undefined || init === undefined ? undefined : constructionKind(init, text);
      if (name !== undefined && kind) scan.exported.set(name, kind);
    }
    // `export default new AsyncLocalStorage()`.
    const defaultExport = new RegExp(String.raw`\bexport\s+default\s+(?=(${NEW_STORAGE}|${CREATE_CONTEXT}))`, 'u');
    const defaultInit = defaultExport.exec(text)?.[1];
    const defaultKind = defaultInit === undefined ? undefined : constructionKind(defaultInit, text);
    if (defaultKind) scan.exported.set('default', defaultKind);
  }

  // `export { als, request as requestContext } [from './x']`.
  for (const [, list = '', source] of text.matchAll(/\bexport\s+(?:type\s+)?\{([^}]*)\}\s*(?:from\s*['"]([^'"]+)['"])?/gu)) {
    for (const entry of list.split(',')) {
      const names = /^\s*(?:type\s+)?([\w$]+)(?:\s+as\s+([\w$]+))?\s*$/u.exec(entry);
      const local = names?.[1];
      if (local === undefined || /^\s*type\s/u.test(entry)) continue;
      const exportedName = names?.[2] ?? local;
      if (source !== undefined) scan.reexports.set(exportedName, [source, local]);
      else {
        const kind = scan.locals.get(local);
        if (kind) scan.exported.set(exportedName, kind);
      }
    }
  }
  // `export * from './x'` (not `export * as ns from`: that exports a namespace, not the names).
  for (const [, source] of text.matchAll(/\bexport\s+\*\s*from\s*['"]([^'"]+)['"]/gu)) {
    if (source !== undefined) scan.starExports.push(source);
  }
  // `module.exports = { als, request: requestContext }`.
  const cjsObject = /\bmodule\s*\.\s*exports\s*=\s*\{([^}]*)\}/u.exec(text)?.[1];
  if (cjsObject !== undefined) {
    for (const entry of cjsObject.split(',')) {
      const names = /^\s*([\w$]+)\s*(?::\s*([\w$]+))?\s*$/u.exec(entry);
      const key = names?.[1];
      const kind = key === undefined ? undefined : scan.locals.get(names?.[2] ?? key);
      if (key !== undefined && kind) scan.exported.set(key, kind);
    }
  }
  return scan;
}

const scanCache = new Map<string, { text: string; scan: ModuleScan }>();

function scanFile(file: string): ModuleScan | undefined {
  const text = readModuleText(file);
  if (text === undefined) return undefined;
  const cached = scanCache.get(file);
  if (cached?.text === text) return cached.scan;
  const scan = scanModule(text);
  scanCache.set(file, { text, scan });
  return scan;
}

/** What the module at `file` exports as instances, following re-exports a few hops. */
function exportsOfFile(file: string, depth: number, visiting: Set<string>): ExportedContexts {
  if (depth > MAX_REEXPORT_DEPTH || visiting.has(file)) return NONE;
  const scan = scanFile(file);
  if (!scan) return NONE;
  if (scan.reexports.size === 0 && scan.starExports.length === 0) return scan.exported;
  visiting.add(file);
  const result = new Map(scan.exported);
  for (const [exportedName, [source, name]] of scan.reexports) {
    const target = resolveRelativeModule(file, source);
    const kind = target ? exportsOfFile(target, depth + 1, visiting).get(name) : undefined;
    if (kind) result.set(exportedName, kind);
  }
  for (const source of scan.starExports) {
    const target = resolveRelativeModule(file, source);
    if (!target) continue;
    for (const [name, kind] of exportsOfFile(target, depth + 1, visiting)) {
      // `export *` never re-exports a default, and a module's own exports win.
      if (name !== 'default' && !result.has(name)) result.set(name, kind);
    }
  }
  visiting.delete(file);
  return result;
}

/**
 * What the module a relative specifier names exports as instances, seen from `fromFile`. Empty for a
 * package specifier, a missing or unreadable file, or a module that exports no instance.
 */
export function getImportedContexts(fromFile: string, specifier: string): ExportedContexts {
  try {
    const file = resolveRelativeModule(fromFile, specifier);
    return file ? exportsOfFile(file, 0, new Set()) : NONE;
  } catch {
    return NONE;
  }
}
