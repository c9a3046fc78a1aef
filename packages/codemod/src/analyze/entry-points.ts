// Functions reachable from the package's entry points (`main`, `module`, `exports`) are called from
// outside the repo with arguments the codemod cannot rewrite: they keep their parameters.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ts } from 'ts-morph';
import type { CandidateIndex } from './collect-functions.js';

export function addEntryPointKeeps(program: ts.Program, root: string, index: CandidateIndex): void {
  const checker = program.getTypeChecker();
  for (const file of entryFiles(program, root)) {
    const sf = program.getSourceFile(file);
    const moduleSymbol = sf !== undefined ? checker.getSymbolAtLocation(sf) : undefined;
    if (sf === undefined || moduleSymbol === undefined) continue;
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      for (const declaration of symbol.declarations ?? []) {
        const targets: ts.Node[] = [declaration];
        // An exported class or object exposes its members to outside callers as well.
        if (ts.isClassLike(declaration)) targets.push(...declaration.members.filter((m) => !isPrivate(m)), declaration);
        if (ts.isVariableDeclaration(declaration) && declaration.initializer !== undefined && ts.isObjectLiteralExpression(declaration.initializer)) {
          targets.push(...declaration.initializer.properties);
        }
        for (const target of targets) {
          const candidate = index.byDeclaration.get(target) ?? index.byNode.get(target);
          if (candidate === undefined || candidate.info.keeps.some((k) => k.reason === 'exported-from-entry-point')) continue;
          candidate.info.keeps.push({ reason: 'exported-from-entry-point', at: { file: candidate.info.file, line: candidate.info.line }, detail: `entry point ${path.relative(root, file)}` });
        }
      }
    }
  }
}

function isPrivate(member: ts.ClassElement): boolean {
  if (member.name !== undefined && ts.isPrivateIdentifier(member.name)) return true;
  return ts.getModifiers(member as ts.HasModifiers)?.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword) === true;
}

/** Source files behind package.json's `main`, `module`, `types` and `exports`, in the program. */
function entryFiles(program: ts.Program, root: string): string[] {
  const manifestPath = path.join(root, 'package.json');
  if (!existsSync(manifestPath)) return [];
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
  } catch {
    return [];
  }
  const specifiers: string[] = [];
  const collect = (value: unknown): void => {
    if (typeof value === 'string') specifiers.push(value);
    else if (Array.isArray(value)) value.forEach(collect);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(collect);
  };
  collect(manifest['main']);
  collect(manifest['module']);
  collect(manifest['exports']);
  const options = program.getCompilerOptions();
  const files = new Set<string>();
  for (const specifier of specifiers) {
    if (specifier.includes('*')) continue;
    for (const candidate of sourceCandidates(path.resolve(root, specifier), options)) {
      if (program.getSourceFile(candidate) !== undefined) {
        files.add(candidate);
        break;
      }
    }
  }
  return [...files];
}

/** The file itself, its TypeScript twin, and the same under rootDir when it points into outDir. */
function sourceCandidates(file: string, options: ts.CompilerOptions): string[] {
  const twins = (f: string): string[] => {
    const base = f.replace(/\.(d\.ts|[cm]?js|jsx)$/, '');
    return [f, `${base}.ts`, `${base}.tsx`, `${base}.mts`, `${base}.cts`, `${base}.js`, `${base}.mjs`, `${base}.cjs`];
  };
  const result = twins(file);
  if (options.outDir !== undefined && file.startsWith(options.outDir + path.sep)) {
    const rootDir = options.rootDir ?? path.dirname(options.outDir);
    result.push(...twins(path.join(rootDir, path.relative(options.outDir, file))));
    result.push(...twins(path.join(path.dirname(options.outDir), 'src', path.relative(options.outDir, file))));
  }
  return result;
}
