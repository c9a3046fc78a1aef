// Type-checks the changed program in memory against the original: a second ts.Program built from the
// edited texts, reusing the first (`oldProgram`) so unchanged files are not parsed again. Only files
// that changed or import a changed file are compared: nothing else can gain an error.
import path from 'node:path';
import { ts } from 'ts-morph';
import type { FileChange, NewDiagnostic, Plan } from '../types.js';

export interface Verification {
  newErrors: NewDiagnostic[];
  notes: string[];
}

export function verifyChanges(
  program: ts.Program,
  changes: readonly FileChange[],
  plan: Plan,
  libText: (fileName: string) => string | undefined = () => undefined,
): Verification {
  const byFile = new Map(changes.map((c) => [path.resolve(c.file), c]));
  const options = program.getCompilerOptions();
  const host = ts.createCompilerHost(options, true);
  // ts-morph serves TypeScript's lib files from its own folder: point the new program at the same ones.
  const lib = program.getSourceFiles().find((sf) => program.isSourceFileDefaultLibrary(sf));
  if (lib !== undefined) {
    const libDir = path.dirname(lib.fileName);
    host.getDefaultLibLocation = () => libDir;
    host.getDefaultLibFileName = (o) => path.join(libDir, ts.getDefaultLibFileName(o));
  }
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (f) => byFile.get(path.resolve(f))?.after ?? readFile(f);
  host.fileExists = (f) => byFile.has(path.resolve(f)) || fileExists(f);
  // A new context module may sit in a folder that does not exist yet.
  const newDirs = new Set(changes.filter((c) => c.before === undefined).flatMap((c) => ancestors(path.dirname(c.file))));
  const directoryExists = host.directoryExists?.bind(host);
  host.directoryExists = (d) => newDirs.has(path.resolve(d)) || (directoryExists?.(d) ?? true);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const changed = byFile.get(path.resolve(fileName));
    if (changed !== undefined) return ts.createSourceFile(fileName, changed.after, languageVersion, true);
    return program.getSourceFile(fileName) ?? libFile(fileName) ?? getSourceFile(fileName, languageVersion, onError, shouldCreate);
  };
  // Lib files the original program did not need (a new `lib` reference) come from ts-morph's copy.
  const libFile = (fileName: string): ts.SourceFile | undefined => {
    if (lib === undefined || path.dirname(fileName) !== path.dirname(lib.fileName)) return undefined;
    const text = libText(fileName);
    return text !== undefined ? ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true) : undefined;
  };
  const added = changes.filter((c) => c.before === undefined).map((c) => c.file);
  const after = ts.createProgram({ rootNames: [...program.getRootFileNames(), ...added], options, host, oldProgram: program });

  const affected = affectedFiles(after, new Set(byFile.keys()));
  const notes: string[] = [];
  const newErrors: NewDiagnostic[] = [];
  for (const file of affected) {
    const sf = after.getSourceFile(file);
    if (sf === undefined) continue;
    const afterDiagnostics = diagnosticsOf(after, sf);
    if (afterDiagnostics.length === 0) continue;
    // Only a file with errors after the change needs its errors from before, to tell old from new.
    const beforeCounts = new Map<string, number>();
    const original = program.getSourceFile(file);
    for (const d of original !== undefined ? diagnosticsOf(program, original) : []) beforeCounts.set(keyOf(d), (beforeCounts.get(keyOf(d)) ?? 0) + 1);
    for (const d of afterDiagnostics) {
      const key = keyOf(d);
      const left = beforeCounts.get(key) ?? 0;
      if (left > 0) {
        beforeCounts.set(key, left - 1);
        continue;
      }
      const message = ts.flattenDiagnosticMessageText(d.messageText, ' ');
      if (d.code === 2307 && message.includes('@unthread/context')) {
        notes.push('@unthread/context is not installed in this project: add it to your dependencies (npm install @unthread/context).');
        continue;
      }
      const line = sf.getLineAndCharacterOfPosition(d.start ?? 0).line + 1;
      const relative = path.relative(plan.root, file);
      newErrors.push({
        file: relative,
        line,
        code: d.code,
        message,
        causes: [
          ...plan.functions.filter((f) => f.file === relative && f.decision === 'strip').map((f) => `${f.id} ${f.name} (${f.file}:${f.line})`),
          ...plan.calls.filter((c) => c.file === relative).map((c) => `${c.id} ${c.action} ${c.calleeName}(...) (${c.file}:${c.line})`),
        ].slice(0, 8),
      });
    }
  }
  return { newErrors, notes: [...new Set(notes)] };
}

function ancestors(dir: string): string[] {
  const result = [dir];
  while (path.dirname(result[result.length - 1]!) !== result[result.length - 1]) result.push(path.dirname(result[result.length - 1]!));
  return result;
}

function diagnosticsOf(program: ts.Program, sf: ts.SourceFile): readonly ts.Diagnostic[] {
  return [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)].filter(
    (d) => d.category === ts.DiagnosticCategory.Error,
  );
}

function keyOf(d: ts.Diagnostic): string {
  return `${d.file?.fileName ?? ''}|${d.code}|${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
}

/** The changed files and every file that imports one of them (directly, or through re-exports). */
function affectedFiles(program: ts.Program, changed: Set<string>): Set<string> {
  const importers = new Map<string, Set<string>>();
  const options = program.getCompilerOptions();
  const cache = ts.createModuleResolutionCache(process.cwd(), (f) => f, options);
  for (const sf of program.getSourceFiles()) {
    if (sf.isDeclarationFile || sf.fileName.includes('/node_modules/')) continue;
    const from = path.resolve(sf.fileName);
    for (const literal of moduleSpecifiers(sf)) {
      if (!literal.text.startsWith('.') && !literal.text.startsWith('/') && options.paths === undefined) continue;
      const mode = program.getModeForUsageLocation(sf, literal);
      const resolved = ts.resolveModuleName(literal.text, sf.fileName, options, ts.sys, cache, undefined, mode).resolvedModule?.resolvedFileName;
      if (resolved === undefined) continue;
      const target = path.resolve(resolved);
      let set = importers.get(target);
      if (set === undefined) importers.set(target, (set = new Set()));
      set.add(from);
    }
  }
  const result = new Set(changed);
  const queue = [...changed];
  while (queue.length > 0) {
    const file = queue.pop()!;
    for (const importer of importers.get(file) ?? []) {
      if (result.has(importer)) continue;
      result.add(importer);
      // Through a barrel the change reaches the barrel's importers too.
      if (reExports(program.getSourceFile(importer))) queue.push(importer);
    }
  }
  return result;
}

function reExports(sf: ts.SourceFile | undefined): boolean {
  return sf?.statements.some((s) => ts.isExportDeclaration(s) && s.moduleSpecifier !== undefined) === true;
}

function moduleSpecifiers(sf: ts.SourceFile): ts.StringLiteralLike[] {
  const result: ts.StringLiteralLike[] = [];
  for (const statement of sf.statements) {
    if ((ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) && statement.moduleSpecifier !== undefined && ts.isStringLiteralLike(statement.moduleSpecifier)) {
      result.push(statement.moduleSpecifier);
    }
  }
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require' && node.arguments[0] !== undefined && ts.isStringLiteralLike(node.arguments[0])) {
      result.push(node.arguments[0]);
    }
    ts.forEachChild(node, visit);
  };
  if (/\brequire\s*\(/.test(sf.text)) visit(sf);
  return result;
}
