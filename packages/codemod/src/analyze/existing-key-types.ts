// The types of the keys an existing context module declares (`createContext<{ req: BridgeRequest }>`).
// A later run measures parameters against them: the key already holds one value, and a parameter of
// another type is another value however many functions still thread it. Without this anchor, the run
// after a migration (which stripped most parameters of the key's type) could find another type in the
// majority and pick it as the key's value.
import { ts } from 'ts-morph';

export function existingKeyTypes(program: ts.Program, contextFile: string, exportName: string): Map<string, ts.Type> {
  const result = new Map<string, ts.Type>();
  const sf = program.getSourceFile(contextFile);
  if (sf === undefined) return result;
  const checker = program.getTypeChecker();
  for (const statement of sf.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (!ts.isIdentifier(declaration.name) || declaration.name.text !== exportName) continue;
      const init = declaration.initializer;
      const shape = init !== undefined && ts.isCallExpression(init) ? init.typeArguments?.[0] : undefined;
      if (shape === undefined) continue;
      const type = checker.getTypeFromTypeNode(shape);
      for (const property of type.getProperties()) {
        result.set(property.getName(), checker.getNonNullableType(checker.getTypeOfSymbolAtLocation(property, shape)));
      }
    }
  }
  return result;
}
