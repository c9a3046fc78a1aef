// `--param` names are parameter names: a name no parameter can have (`foo-bar`, `123`, `class`) is a
// typo or a quoting mistake, refused before anything loads rather than reported as "matches nothing".
import { ts } from 'ts-morph';

/** Names that strict code (every module) cannot bind as a parameter, beyond the reserved words. */
const STRICT_UNBINDABLE = new Set(['arguments', 'eval']);

/**
 * Why `value` cannot name a parameter, or undefined when it can. Only the names before a `:` are judged:
 * `name`, or `name=key` where both must be names.
 */
export function invalidParamName(value: string): string | undefined {
  for (const name of value.split(':', 1)[0]!.split('=')) {
    const invalid = invalidName(name);
    if (invalid !== undefined) return invalid;
  }
  return undefined;
}

function invalidName(name: string): string | undefined {
  if (name === '') return 'a parameter name is empty';
  // TypeScript's own scanner: one token spanning the whole name, an identifier or a keyword.
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, name);
  const token = scanner.scan();
  const whole = scanner.getTokenEnd() === name.length && scanner.scan() === ts.SyntaxKind.EndOfFileToken;
  if (!whole || !(token === ts.SyntaxKind.Identifier || (token >= ts.SyntaxKind.FirstKeyword && token <= ts.SyntaxKind.LastKeyword))) {
    return `'${name}' is not a valid parameter name`;
  }
  const reserved =
    (token >= ts.SyntaxKind.FirstReservedWord && token <= ts.SyntaxKind.LastReservedWord) ||
    (token >= ts.SyntaxKind.FirstFutureReservedWord && token <= ts.SyntaxKind.LastFutureReservedWord);
  if (reserved || STRICT_UNBINDABLE.has(name)) return `'${name}' is a reserved word and cannot name a parameter`;
  return undefined;
}
