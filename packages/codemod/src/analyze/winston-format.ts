// Where the context's format goes in a winston `createLogger({ format: format.combine(...) })`: first
// in the combine, so every later format (and the transports) sees the keys the log calls used to pass.
// A format that is not a combine is left alone: wrapping it would need the file's own `format` import.
import { ts } from 'ts-morph';
import type { LoggerConstruction } from '../types.js';
import { skipParentheses } from './syntax.js';

const FORMAT_DECLARATION = /[\\/]node_modules[\\/](logform|winston)[\\/]/;

/** The insertion before the combine's first format, or why the logger takes none. */
export function combineInsert(
  options: ts.Expression | undefined,
  sf: ts.SourceFile,
  checker: ts.TypeChecker,
): NonNullable<LoggerConstruction['insert']> | string {
  if (options === undefined || !ts.isObjectLiteralExpression(options)) return 'its options are not an object literal unthread can add a format to';
  if (options.properties.some(ts.isSpreadAssignment)) return 'it spreads options that may hold a format';
  const format = options.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText(sf) === 'format');
  if (format === undefined) return 'it sets no format option (winston then writes json()); unthread adds its format to a format.combine(...)';
  const combine = skipParentheses(format.initializer);
  if (!ts.isCallExpression(combine) || !isCombine(combine, checker)) return 'its format is not a format.combine(...) call unthread can add a format to';
  const first = combine.arguments[0];
  if (first === undefined) return { at: combine.arguments.pos, before: '', after: '' };
  const start = first.getStart(sf);
  const text = sf.text;
  const lead = text.slice(combine.arguments.pos, start);
  if (!lead.includes('\n')) return { at: start, before: '', after: ', ' };
  // One format per line: the new one gets a line of its own, indented like the first.
  const lineStart = text.lastIndexOf('\n', start) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
  const newline = text[lineStart - 2] === '\r' ? '\r\n' : '\n';
  return { at: start, before: '', after: `,${newline}${indent}` };
}

/** `format.combine(...)`, `winston.format.combine(...)` or an imported `combine(...)`: logform's own function. */
function isCombine(call: ts.CallExpression, checker: ts.TypeChecker): boolean {
  const callee = skipParentheses(call.expression);
  const name = ts.isPropertyAccessExpression(callee) ? callee.name : ts.isIdentifier(callee) ? callee : undefined;
  if (name?.text !== 'combine') return false;
  const declaration = checker.getResolvedSignature(call)?.getDeclaration();
  return declaration !== undefined && FORMAT_DECLARATION.test(declaration.getSourceFile().fileName);
}
