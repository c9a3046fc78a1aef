// The specifier a file would write for the context module through the repository's path aliases
// (`paths` / `baseUrl`), when the file's own imports of its repository's modules mostly go through one:
// a code base of `@/services/user` imports gets `@/context`, not `../../../context`.
//
// The alias is learnt from the file's imports rather than from the tsconfig's patterns: an import
// `@/services/user` that resolves to `src/services/user.ts` says that `@/` stands for `src/` in this
// file. The specifier built from it is then resolved with the options of the tsconfig that owns the
// file, and used only when it leads to the context module.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ts } from 'ts-morph';

/** One alias the file uses: the specifier prefix and the folder it stands for. */
interface Alias {
  prefix: string;
  folder: string;
  /** Whether the file writes a `.js` extension after it. */
  jsExtension: boolean;
}

export class AliasSpecifiers {
  private readonly configs = new Map<string, { options: ts.CompilerOptions; files: Set<string> } | undefined>();
  /** Whether a specifier leads to the target, per compiler options: an alias resolves alike from every file under them. */
  private readonly checked = new Map<ts.CompilerOptions, Map<string, boolean>>();

  constructor(
    private readonly program: ts.Program,
    private readonly root: string,
  ) {}

  /** The aliased specifier of `target` for `sf`, or undefined when the file imports relatively or no alias leads there. */
  specifierFor(sf: ts.SourceFile, specifiers: readonly ts.StringLiteralLike[], target: string): string | undefined {
    const aliases = this.aliasesOf(sf, specifiers);
    // A file that reaches other folders with `../` more often than through an alias keeps to `../`.
    const climbing = specifiers.filter((s) => s.text.startsWith('../')).length;
    if (aliases.length <= climbing) return undefined;
    // The alias the file uses most, among those whose folder holds the target.
    const counts = new Map<string, { alias: Alias; count: number }>();
    for (const alias of aliases) {
      if (!isInside(target, alias.folder)) continue;
      const key = `${alias.prefix}\0${alias.folder}`;
      const entry = counts.get(key) ?? { alias, count: 0 };
      entry.count++;
      counts.set(key, entry);
    }
    const best = [...counts.values()].sort((a, b) => b.count - a.count)[0]?.alias;
    if (best === undefined) return undefined;
    const rest = path.relative(best.folder, target).split(path.sep).join('/');
    const specifier = `${best.prefix}${best.jsExtension ? withJsExtension(rest) : rest.replace(/\.[cm]?[jt]sx?$/, '')}`;
    return this.resolvesTo(specifier, sf.fileName, target) ? specifier : undefined;
  }

  /** The repository's file a specifier of `sf` resolves to (none for a package in node_modules). */
  resolvedFile(sf: ts.SourceFile, specifier: ts.StringLiteralLike): string | undefined {
    const symbol = this.program.getTypeChecker().getSymbolAtLocation(specifier);
    const declaration = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
    if (declaration === undefined || !ts.isSourceFile(declaration)) return undefined;
    const file = path.resolve(declaration.fileName);
    return file.split(path.sep).includes('node_modules') ? undefined : file;
  }

  private aliasesOf(sf: ts.SourceFile, specifiers: readonly ts.StringLiteralLike[]): Alias[] {
    const aliases: Alias[] = [];
    for (const literal of specifiers) {
      const text = literal.text;
      if (text.startsWith('.') || text.startsWith('/')) continue;
      const file = this.resolvedFile(sf, literal);
      if (file === undefined) continue;
      const alias = aliasOf(text, file);
      if (alias !== undefined) aliases.push(alias);
    }
    return aliases;
  }

  private resolvesTo(specifier: string, fromFile: string, target: string): boolean {
    const options = this.optionsFor(fromFile);
    let known = this.checked.get(options);
    if (known === undefined) {
      known = new Map<string, boolean>();
      this.checked.set(options, known);
    }
    let resolves = known.get(specifier);
    if (resolves === undefined) {
      resolves = this.resolve(specifier, fromFile, target, options);
      known.set(specifier, resolves);
    }
    return resolves;
  }

  private resolve(specifier: string, fromFile: string, target: string, options: ts.CompilerOptions): boolean {
    // The context module may not exist yet: resolution must find it all the same.
    const host: ts.ModuleResolutionHost = {
      fileExists: (file) => path.resolve(file) === target || ts.sys.fileExists(file),
      readFile: (file) => ts.sys.readFile(file),
      directoryExists: (dir) => isInside(target, path.resolve(dir)) || ts.sys.directoryExists(dir),
      getCurrentDirectory: () => this.root,
    };
    const resolved = ts.resolveModuleName(specifier, fromFile, options, host).resolvedModule?.resolvedFileName;
    return resolved !== undefined && stripExtension(path.resolve(resolved)) === stripExtension(target);
  }

  /** The options of the nearest tsconfig above the file when it includes the file, else the program's. */
  private optionsFor(file: string): ts.CompilerOptions {
    for (let dir = path.dirname(file); isInside(dir, this.root) || dir === this.root; dir = path.dirname(dir)) {
      const configFile = path.join(dir, 'tsconfig.json');
      if (existsSync(configFile)) {
        if (!this.configs.has(configFile)) {
          const parsed = ts.getParsedCommandLineOfConfigFile(configFile, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
          this.configs.set(configFile, parsed === undefined ? undefined : { options: parsed.options, files: new Set(parsed.fileNames.map((f) => path.resolve(f))) });
        }
        const config = this.configs.get(configFile);
        return config !== undefined && config.files.has(path.resolve(file)) ? config.options : this.program.getCompilerOptions();
      }
      if (dir === this.root || path.dirname(dir) === dir) break;
    }
    return this.program.getCompilerOptions();
  }
}

/**
 * What `specifier` → `file` says about an alias: the specifier's tail that matches the file's path
 * (extension and `/index` aside) is a path below the alias folder; the rest, ending in `/` (or empty,
 * for `baseUrl`), is the alias. A specifier that is a whole name (`@config`) says nothing.
 */
function aliasOf(specifier: string, file: string): Alias | undefined {
  const jsExtension = /\.[cm]?js$/.test(specifier);
  const bare = specifier.replace(/\.[cm]?[jt]sx?$/, '');
  const fileBase = stripExtension(file);
  const candidates = [fileBase, ...(path.basename(fileBase) === 'index' ? [path.dirname(fileBase)] : [])];
  const parts = bare.split('/');
  for (const base of candidates) {
    const baseParts = base.split(path.sep);
    // The longest tail of the specifier (at least one segment, never the whole alias) that ends the file's path.
    let matched = 0;
    while (matched < parts.length && matched < baseParts.length && parts[parts.length - 1 - matched] === baseParts[baseParts.length - 1 - matched]) matched++;
    if (matched === 0) continue;
    const prefixParts = parts.slice(0, parts.length - matched);
    const folder = baseParts.slice(0, baseParts.length - matched).join(path.sep) || path.sep;
    return { prefix: prefixParts.length > 0 ? `${prefixParts.join('/')}/` : '', folder, jsExtension };
  }
  return undefined;
}

function withJsExtension(file: string): string {
  return file.replace(/\.ts$/, '.js').replace(/\.mts$/, '.mjs').replace(/\.cts$/, '.cjs').replace(/\.tsx$/, '.js');
}

function isInside(file: string, folder: string): boolean {
  const relative = path.relative(folder, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

function stripExtension(file: string): string {
  return file.replace(/\.d\.[cm]?ts$/, '').replace(/\.[cm]?[jt]sx?$/, '');
}
