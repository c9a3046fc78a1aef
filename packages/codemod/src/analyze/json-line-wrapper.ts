// The repository's own logging function that prints JSON lines itself (`log(message, fields)` doing
// `console.log(JSON.stringify({ level, message, ...fields }))`): the fields its callers pass are spread
// into the line, so the function can read the context once and write the key just before that spread,
// where a caller's first field landed. JSON.stringify leaves out an `undefined` value, so outside a
// request the line has no key, as when no caller passed one.
import { ts } from 'ts-morph';
import type { LoggerConstruction } from '../types.js';
import { skipParentheses } from './syntax.js';

/** The `JSON.stringify({ …, ...reference })` call that spreads `reference` into the line, or undefined. */
export function jsonLineTaking(reference: ts.Identifier, checker: ts.TypeChecker): ts.CallExpression | undefined {
  const spread = reference.parent;
  if (!ts.isSpreadAssignment(spread) || spread.expression !== reference || !ts.isObjectLiteralExpression(spread.parent)) return undefined;
  const call = spread.parent.parent;
  return ts.isCallExpression(call) && call.arguments[0] === spread.parent && isJsonStringify(call, checker) ? call : undefined;
}

/** `JSON.stringify(…)` of the global `JSON`. */
export function isJsonStringify(call: ts.CallExpression, checker: ts.TypeChecker): boolean {
  const callee = skipParentheses(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'stringify' || !ts.isIdentifier(callee.expression) || callee.expression.text !== 'JSON') return false;
  const declaration = checker.getSymbolAtLocation(callee.expression)?.declarations?.[0];
  return declaration !== undefined && declaration.getSourceFile().isDeclarationFile;
}

/** Where the context's keys go: just before the spread of the function's parameter, or why nowhere. */
export function spreadInsert(call: ts.CallExpression, sf: ts.SourceFile, checker: ts.TypeChecker): NonNullable<LoggerConstruction['insert']> | string {
  const object = call.arguments[0];
  if (object === undefined || !ts.isObjectLiteralExpression(object)) return 'the line is not an object literal';
  const spreads = object.properties.filter(ts.isSpreadAssignment);
  const spread = spreads.find((s) => {
    const declaration = ts.isIdentifier(s.expression) ? checker.getSymbolAtLocation(s.expression)?.valueDeclaration : undefined;
    return declaration !== undefined && ts.isParameter(declaration);
  });
  if (spread === undefined || spreads.length > 1) return 'the line spreads more than the fields its callers pass';
  const start = spread.getStart(sf);
  const text = sf.text;
  const previous = object.properties[object.properties.indexOf(spread) - 1];
  const lead = text.slice(previous?.end ?? object.getStart(sf) + 1, start);
  if (!lead.includes('\n')) return { at: start, before: '', after: ', ' };
  const lineStart = text.lastIndexOf('\n', start) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
  const newline = text[lineStart - 2] === '\r' ? '\r\n' : '\n';
  return { at: start, before: '', after: `,${newline}${indent}` };
}
