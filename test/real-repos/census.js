// Counts, over a checkout's own source files, what a migration of `params` should change: where the
// parameters' names occur, which types their declarations have, how often they are logged as a
// field, and how many `<context>.run(` calls exist. Taken before and after the codemod, the
// differences are the row's "occurrences", "log fields removed" and "run() wrappers added".
//
// Syntax trees, not text search: a name inside a string, a comment or a longer name is not an
// occurrence, and a type is read as its declaration spells it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const SOURCE = /\.(?:[cm]?[jt]s|[jt]sx)$/;

// Methods of pino, winston, bunyan, console and the loggers built on them: an object literal passed
// to one of these is a set of log fields.
const LOG_METHODS = new Set(['trace', 'debug', 'info', 'warn', 'warning', 'error', 'fatal', 'log', 'verbose', 'silly', 'child']);

function scriptKind(file) {
  if (file.endsWith('x')) return file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.JSX;
  return /\.[cm]?ts$/.test(file) ? ts.ScriptKind.TS : ts.ScriptKind.JS;
}

/** The files of `tracked` (paths relative to `dir`) under `roots` that hold code. */
export function sourceFiles(tracked, roots) {
  const under = roots.map((root) => (root === '.' ? '' : `${root.replace(/\/$/, '')}/`));
  return tracked.filter((file) => SOURCE.test(file) && under.some((prefix) => file.startsWith(prefix)));
}

function calleeMethod(call) {
  const callee = call.expression;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  if (ts.isIdentifier(callee)) return callee.text;
  return undefined;
}

/**
 * `{ occurrences, declaredTypes, logFields }` per parameter name and `runCalls`, the calls of
 * `<contextName>.run(`, summed over `files`.
 */
export function census(dir, files, params, contextName) {
  const wanted = new Set(params);
  const result = {
    files: files.length,
    occurrences: Object.fromEntries(params.map((p) => [p, 0])),
    declaredTypes: Object.fromEntries(params.map((p) => [p, {}])),
    logFields: Object.fromEntries(params.map((p) => [p, 0])),
    runCalls: 0,
  };
  const addType = (param, type) => {
    result.declaredTypes[param][type] = (result.declaredTypes[param][type] ?? 0) + 1;
  };
  for (const file of files) {
    let text;
    try {
      text = readFileSync(join(dir, file), 'utf8');
    } catch {
      continue; // Listed by git but gone (deleted by the codemod's write, or a broken symlink).
    }
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKind(file));
    const visit = (node) => {
      if (ts.isIdentifier(node) && wanted.has(node.text)) result.occurrences[node.text]++;
      if (ts.isParameter(node)) {
        if (ts.isIdentifier(node.name) && wanted.has(node.name.text)) {
          addType(node.name.text, node.type ? node.type.getText(source).replace(/\s+/g, ' ') : '(no annotation)');
        } else if (ts.isObjectBindingPattern(node.name)) {
          for (const element of node.name.elements) {
            const key = element.propertyName ?? element.name;
            if (ts.isIdentifier(key) && wanted.has(key.text)) addType(key.text, '(destructured)');
          }
        }
      }
      if (ts.isCallExpression(node)) {
        const method = calleeMethod(node);
        if (method === 'run' && ts.isPropertyAccessExpression(node.expression) &&
            ts.isIdentifier(node.expression.expression) && node.expression.expression.text === contextName) {
          result.runCalls++;
        }
        if (method !== undefined && LOG_METHODS.has(method)) {
          for (const arg of node.arguments) {
            if (!ts.isObjectLiteralExpression(arg)) continue;
            for (const property of arg.properties) {
              const name = property.name;
              if (name && (ts.isIdentifier(name) || ts.isStringLiteral(name)) && wanted.has(name.text)) result.logFields[name.text]++;
            }
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return result;
}

/** `[{ key, type, optional }]`: the members of the type literals and interfaces of a context module. */
export function contextKeys(path) {
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, scriptKind(path));
  const keys = [];
  const visit = (node) => {
    if (ts.isPropertySignature(node) && node.name && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name))) {
      keys.push({ key: node.name.text, type: node.type ? node.type.getText(source).replace(/\s+/g, ' ') : '(none)', optional: node.questionToken !== undefined });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return keys;
}
