// In a test, a function replaced by a double (`jest.mock`, `createMock<Service>()`, `jest.spyOn`) is
// named to configure or query the double: `service.find.mockResolvedValue(x)`,
// `(find as jest.Mock).mockReset()`, `expect(service.find).not.toHaveBeenCalled()`. None of these
// passes the function anywhere nor reads its argument list, so none is a value use that keeps it.
// Reads of the argument list by position (`.mock.calls[0][1]`, `mockImplementation((a, b) => …)`)
// are, and stay uses.
import { ts } from 'ts-morph';

/** Jest/vitest double methods that set what the double returns or clear what it recorded. */
const CONFIGURATIONS = new Set([
  'mockResolvedValue',
  'mockResolvedValueOnce',
  'mockRejectedValue',
  'mockRejectedValueOnce',
  'mockReturnValue',
  'mockReturnValueOnce',
  'mockReturnThis',
  'mockClear',
  'mockReset',
  'mockRestore',
  'mockName',
]);
/** Methods that give the double a body: not a use when that body declares no parameter at all. */
const IMPLEMENTATIONS = new Set(['mockImplementation', 'mockImplementationOnce']);
/** Assertions on a double that never name its arguments. */
const ARGUMENT_FREE_ASSERTIONS = new Set([
  'toHaveBeenCalled',
  'toBeCalled',
  'toHaveBeenCalledTimes',
  'toBeCalledTimes',
  'toHaveBeenCalledOnce',
  'toHaveReturned',
  'toHaveReturnedTimes',
  'toHaveBeenCalledBefore',
  'toHaveBeenCalledAfter',
]);

/** Whether `node` (naming a function) only configures or queries a test double standing in for it. */
export function configuresDouble(node: ts.Expression): boolean {
  let current: ts.Node = node;
  // `(find as jest.MockedFunction<typeof find>)`, `(<jest.Mock>find)`, `find!`.
  while (
    ts.isParenthesizedExpression(current.parent) ||
    ts.isAsExpression(current.parent) ||
    ts.isTypeAssertionExpression(current.parent) ||
    ts.isNonNullExpression(current.parent) ||
    ts.isSatisfiesExpression(current.parent)
  ) {
    current = current.parent;
  }
  const parent = current.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.expression === current && ts.isCallExpression(parent.parent) && parent.parent.expression === parent) {
    const method = parent.name.text;
    if (CONFIGURATIONS.has(method)) return true;
    if (IMPLEMENTATIONS.has(method)) {
      const body = parent.parent.arguments[0];
      return body !== undefined && (ts.isArrowFunction(body) || ts.isFunctionExpression(body)) && body.parameters.length === 0;
    }
    return false;
  }
  // `expect(find).not.toHaveBeenCalled()`; a bare `expect(find)` asserts nothing.
  if (ts.isCallExpression(parent) && parent.arguments[0] === current && ts.isIdentifier(parent.expression) && parent.expression.text === 'expect') {
    if (ts.isExpressionStatement(parent.parent)) return true;
    let chain: ts.Node = parent;
    while (ts.isPropertyAccessExpression(chain.parent) && chain.parent.expression === chain) {
      const name = chain.parent.name.text;
      if (ARGUMENT_FREE_ASSERTIONS.has(name)) return ts.isCallExpression(chain.parent.parent) && chain.parent.parent.expression === chain.parent;
      chain = chain.parent;
    }
  }
  return false;
}

/**
 * `(find as jest.MockedFunction<typeof find>).mockResolvedValue(x)`: the `typeof` names the function
 * only to type its own double, whose type follows the function when its parameters change.
 */
export function typesItsOwnDouble(node: ts.Identifier): boolean {
  if (!ts.isTypeQueryNode(node.parent)) return false;
  let current: ts.Node = node.parent;
  while (!ts.isAsExpression(current) && !ts.isTypeAssertionExpression(current)) {
    if (ts.isStatement(current) || ts.isSourceFile(current)) return false;
    current = current.parent;
  }
  let subject = current.expression;
  while (ts.isParenthesizedExpression(subject)) subject = subject.expression;
  return ts.isIdentifier(subject) && subject.text === node.text && configuresDouble(subject);
}
