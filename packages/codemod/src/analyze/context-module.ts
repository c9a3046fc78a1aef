// Reads the context module if it exists: which export holds the context and which keys its shape has,
// so a second run (or a hand-written module) is extended rather than replaced.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ts } from 'ts-morph';
import type { ContextModuleInfo } from '../types.js';
import { indentationAt, propertyNameText } from './syntax.js';

export function inspectContextModule(program: ts.Program, file: string, projectLanguage: 'ts' | 'js', root: string): ContextModuleInfo {
  const language = /\.[cm]?tsx?$/.test(file) ? 'ts' : projectLanguage === 'ts' && !/\.[cm]?jsx?$/.test(file) ? 'ts' : 'js';
  const info: ContextModuleInfo = {
    file,
    exists: existsSync(file),
    exportName: 'request',
    existingKeys: [],
    module: moduleKind(file, language, root),
    language,
  };
  if (!info.exists) return info;
  const text = program.getSourceFile(file)?.text ?? readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  if (/\brequire\s*\(/.test(text) && !sf.statements.some((s) => ts.isImportDeclaration(s))) info.module = 'cjs';
  for (const statement of sf.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      const init = declaration.initializer;
      if (init === undefined || !ts.isCallExpression(init) || !ts.isIdentifier(declaration.name)) continue;
      const callee = init.expression;
      const calleeName = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
      if (calleeName !== 'createContext') continue;
      info.exportName = declaration.name.text;
      const shape = shapeMembers(init.typeArguments?.[0], sf);
      if (shape !== undefined) Object.assign(info, shape);
      return info;
    }
  }
  return info;
}

function moduleKind(file: string, language: 'ts' | 'js', root: string): 'esm' | 'cjs' {
  if (language === 'ts' || file.endsWith('.mjs')) return 'esm';
  if (file.endsWith('.cjs')) return 'cjs';
  try {
    const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { type?: string };
    return manifest.type === 'module' ? 'esm' : 'cjs';
  } catch {
    return 'cjs';
  }
}

/** The keys of `createContext<{ ... }>` (a literal, or an interface / type alias in the same file). */
function shapeMembers(
  typeNode: ts.TypeNode | undefined,
  sf: ts.SourceFile,
): Pick<ContextModuleInfo, 'existingKeys' | 'narrowKeyTypes' | 'shapeInsertAt' | 'shapePrefix' | 'shapeSuffix'> | undefined {
  if (typeNode === undefined) return undefined;
  let members: ts.NodeArray<ts.TypeElement> | undefined;
  let container: ts.Node | undefined;
  if (ts.isTypeLiteralNode(typeNode)) {
    members = typeNode.members;
    container = typeNode;
  } else if (ts.isTypeReferenceNode(typeNode) && ts.isIdentifier(typeNode.typeName)) {
    const name = typeNode.typeName.text;
    for (const statement of sf.statements) {
      if (ts.isInterfaceDeclaration(statement) && statement.name.text === name) {
        members = statement.members;
        container = statement;
      } else if (ts.isTypeAliasDeclaration(statement) && statement.name.text === name && ts.isTypeLiteralNode(statement.type)) {
        members = statement.type.members;
        container = statement.type;
      }
    }
  }
  if (members === undefined || container === undefined) return undefined;
  const existingKeys = members.flatMap((m) => (m.name !== undefined ? [propertyNameText(m.name) ?? ''] : []));
  const narrowKeyTypes = members.flatMap((m) => {
    if (!ts.isPropertySignature(m) || m.type === undefined || admitsUndefined(m.type)) return [];
    return [{ key: propertyNameText(m.name) ?? '', start: m.type.getStart(sf), end: m.type.end, parenthesize: needsParentheses(m.type) }];
  });
  const last = members[members.length - 1];
  const text = sf.text;
  const multiline = text.slice(container.getStart(sf), container.end).includes('\n');
  if (last === undefined) {
    const open = text.indexOf('{', container.getStart(sf)) + 1;
    return { existingKeys, narrowKeyTypes, shapeInsertAt: open, shapePrefix: ' ', shapeSuffix: ';' };
  }
  const lastText = last.getText(sf);
  const terminated = lastText.endsWith(';') || lastText.endsWith(',');
  if (multiline) {
    const indent = indentationAt(text, last.getStart(sf));
    return { existingKeys, narrowKeyTypes, shapeInsertAt: last.end, shapePrefix: `${terminated ? '' : ';'}\n${indent}`, shapeSuffix: terminated ? ';' : '' };
  }
  return { existingKeys, narrowKeyTypes, shapeInsertAt: last.end, shapePrefix: terminated ? ' ' : '; ', shapeSuffix: terminated ? ';' : '' };
}

/** `undefined`, `unknown`, `any`, or a union naming one of them at the top level. */
export function admitsUndefined(type: ts.TypeNode): boolean {
  const open = [ts.SyntaxKind.UndefinedKeyword, ts.SyntaxKind.UnknownKeyword, ts.SyntaxKind.AnyKeyword];
  if (open.includes(type.kind)) return true;
  if (ts.isParenthesizedTypeNode(type)) return admitsUndefined(type.type);
  return ts.isUnionTypeNode(type) && type.types.some(admitsUndefined);
}

/** Types that bind looser than `|` (`() => T`, `A extends B ? C : D`) need parentheses before ` | undefined`. */
export function needsParentheses(type: ts.TypeNode): boolean {
  return ts.isFunctionTypeNode(type) || ts.isConstructorTypeNode(type) || ts.isConditionalTypeNode(type);
}
