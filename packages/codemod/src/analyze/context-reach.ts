// Where a context holding a value can be active. A call that leaves an optional threaded parameter out
// gave the callee `undefined`; after the change the callee reads the context, so the call is wrapped in
// `run({ requestId: undefined })` in case a request's (or a job's) value is active there. Code no
// request reaches needs no wrapper: a test calling the function directly, start-up code at a module's
// top level, a CLI's `main()`. Proving that means following the code that runs the call back to where
// it starts, so everything this module cannot follow counts as reached.
import path from 'node:path';
import { ts } from 'ts-morph';
import type { CallInfo } from '../types.js';
import { isFunctionBoundary, skipParentheses } from './syntax.js';

/** Callbacks these run in the caller's own context, before they return or later (the context they were scheduled in). */
const SAME_CONTEXT_CALLS = new Set(['setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask', 'nextTick']);
const ARRAY_METHODS = new Set(['map', 'forEach', 'filter', 'some', 'every', 'find', 'findIndex', 'findLast', 'findLastIndex', 'flatMap', 'reduce', 'reduceRight', 'sort']);
/** Test-runner functions whose callbacks the runner calls, outside any request. */
const TEST_RUNNER_CALLS = new Set(['describe', 'context', 'suite', 'it', 'test', 'fit', 'xit', 'fdescribe', 'xdescribe', 'beforeEach', 'afterEach', 'beforeAll', 'afterAll', 'before', 'after']);
const TEST_FILE = /(^|[\\/])(__tests__|__mocks__|tests?|specs?|e2e)[\\/]|\.(test|spec|e2e-spec)\.[cm]?[jt]sx?$/;
/** Beyond this many functions followed back, a call counts as reached: the proof would cost more than the wrapper. */
const MAX_FUNCTIONS = 500;

/**
 * Sets `contextFree` on every call that leaves a threaded parameter out where no context holding a
 * value can be active. `calls` are all calls to threaded functions: those that pass a value are where
 * `run()` sets one.
 */
export function markContextFreeCalls(files: readonly ts.SourceFile[], calls: readonly CallInfo[], checker: ts.TypeChecker, root: string): void {
  const leavingOut = calls.filter((c) => c.args.some((a) => a.kind === 'missing'));
  if (leavingOut.length === 0) return;
  const reach = new Reach(files, calls, checker, root);
  for (const call of leavingOut) {
    const node = reach.callAt(call);
    if (node !== undefined && !reach.reaches(node)) call.contextFree = true;
  }
}

class Reach {
  readonly #byFile = new Map<string, ts.SourceFile>();
  /** Per file, the spans of calls that pass a threaded value: each may become a `run()` around its statement. */
  readonly #valueCalls = new Map<string, { start: number; end: number }[]>();
  readonly #callInfo = new Map<string, CallInfo>();
  readonly #callNodes = new Map<string, Map<string, ts.CallExpression | ts.NewExpression>>();
  readonly #entersContext = new Map<ts.SourceFile, boolean>();
  #identifiers: Map<string, ts.Identifier[]> | undefined;
  readonly #functions = new Map<ts.Node, boolean>();
  readonly #pending = new Set<ts.Node>();
  #visited: ts.Node[] = [];

  constructor(
    private readonly files: readonly ts.SourceFile[],
    calls: readonly CallInfo[],
    private readonly checker: ts.TypeChecker,
    private readonly root: string,
  ) {
    for (const sf of files) this.#byFile.set(path.resolve(sf.fileName), sf);
    for (const call of calls) {
      this.#callInfo.set(`${call.file}:${call.span.start}:${call.span.end}`, call);
      if (!call.args.some((a) => a.kind !== 'missing')) continue;
      const spans = this.#valueCalls.get(call.file) ?? [];
      spans.push(call.span);
      this.#valueCalls.set(call.file, spans);
    }
    for (const spans of this.#valueCalls.values()) spans.sort((a, b) => a.start - b.start);
  }

  /** The call's node; each file's calls are indexed by position once. */
  callAt(call: CallInfo): ts.CallExpression | ts.NewExpression | undefined {
    let index = this.#callNodes.get(call.file);
    if (index === undefined) {
      const calls = new Map<string, ts.CallExpression | ts.NewExpression>();
      const sf = this.#byFile.get(call.file);
      const visit = (node: ts.Node): void => {
        if (ts.isCallExpression(node) || ts.isNewExpression(node)) calls.set(`${node.getStart(sf)}:${node.end}`, node);
        ts.forEachChild(node, visit);
      };
      if (sf !== undefined) visit(sf);
      index = calls;
      this.#callNodes.set(call.file, index);
    }
    return index.get(`${call.span.start}:${call.span.end}`);
  }

  /** Whether a context holding a value may be active when `node` runs. */
  reaches(node: ts.Node): boolean {
    const sf = node.getSourceFile();
    // A file that sets the context by hand (`enterWith`) can leave it set anywhere after.
    let entered = this.#entersContext.get(sf);
    if (entered === undefined) {
      entered = sf.text.includes('enterWith');
      this.#entersContext.set(sf, entered);
    }
    if (entered) return true;
    let current = node;
    for (;;) {
      const boundary = enclosingFunction(current);
      if (this.#inValueStatement(current, boundary)) return true;
      if (boundary === undefined) return instanceInitializer(current);
      const parent = skipParentheses(boundary as ts.Expression).parent;
      let outer: ts.Node = boundary;
      while (ts.isParenthesizedExpression(outer.parent)) outer = outer.parent;
      const call = outer.parent;
      if (ts.isCallExpression(call) && call.expression === outer) {
        current = call; // called where it is written
        continue;
      }
      if ((ts.isCallExpression(call) || ts.isNewExpression(call)) && call.arguments?.includes(outer as ts.Expression) === true) {
        const runs = this.#callbackRuns(call, sf);
        if (runs === 'caller') {
          current = call;
          continue;
        }
        return runs === 'reached';
      }
      const declaration = namedFunction(boundary, parent, this.checker);
      return declaration === undefined ? true : this.#functionReaches(declaration);
    }
  }

  /** When the function passed to `call` runs: in the caller's context, by a test runner, or unknown. */
  #callbackRuns(call: ts.CallExpression | ts.NewExpression, sf: ts.SourceFile): 'caller' | 'test-runner' | 'reached' {
    const callee = call.expression;
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
    if (ts.isNewExpression(call)) return name === 'Promise' ? 'caller' : 'reached';
    if (name !== undefined && SAME_CONTEXT_CALLS.has(name)) return 'caller';
    if (name !== undefined && ARRAY_METHODS.has(name) && ts.isPropertyAccessExpression(callee) && this.checker.isArrayType(this.checker.getTypeAtLocation(callee.expression))) {
      return 'caller';
    }
    const base = baseName(callee);
    // The path within the project: a checkout under `/home/me/tests/` is not all tests.
    if (base !== undefined && TEST_RUNNER_CALLS.has(base) && TEST_FILE.test(path.relative(this.root, sf.fileName))) return 'test-runner';
    return 'reached';
  }

  /** The statement holding `node` (directly in the function's body, or the module's) also passes a value: it may move into a `run()`. */
  #inValueStatement(node: ts.Node, boundary: ts.Node | undefined): boolean {
    const body = boundary !== undefined ? functionBody(boundary) : undefined;
    let statement = node;
    while (!ts.isSourceFile(statement.parent) && statement.parent !== boundary && statement.parent !== body) statement = statement.parent;
    const file = path.resolve(node.getSourceFile().fileName);
    const start = statement.getStart();
    const spans = this.#valueCalls.get(file) ?? [];
    // Sorted by start: the first span starting inside the statement, then those after it while they start inside.
    let low = 0;
    let high = spans.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (spans[middle]!.start < start) low = middle + 1;
      else high = middle;
    }
    for (let i = low; i < spans.length && spans[i]!.start < statement.end; i++) if (spans[i]!.end <= statement.end) return true;
    return false;
  }

  /** Whether a context with a value may be active in some call of a named function; memoised, cycles count as not reached until shown otherwise. */
  #functionReaches(declaration: NamedFunction): boolean {
    const known = this.#functions.get(declaration.node);
    if (known !== undefined) return known;
    if (this.#pending.has(declaration.node)) return false;
    const outermost = this.#pending.size === 0;
    if (outermost) this.#visited = [];
    if (this.#visited.length >= MAX_FUNCTIONS) return true;
    this.#pending.add(declaration.node);
    this.#visited.push(declaration.node);
    const reached = this.#callersReach(declaration);
    this.#pending.delete(declaration.node);
    // Only a result that assumed nothing about a function still being followed is final.
    if (reached) this.#functions.set(declaration.node, true);
    else if (outermost) for (const node of this.#visited) this.#functions.set(node, false);
    return reached;
  }

  #callersReach({ name, symbol, exported }: NamedFunction): boolean {
    const references = (this.#identifierIndex().get(name.text) ?? []).filter((id) => id !== name);
    let called = false;
    for (const reference of references) {
      const parent = reference.parent;
      if (ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent)) {
        // `import { f as g }` and `export { f as g }` call it by another name: not followed.
        if (parent.propertyName !== undefined && parent.propertyName !== parent.name) {
          if (this.#resolves(reference, symbol)) return true;
        }
        continue;
      }
      if (ts.isTypeQueryNode(parent) || ts.isJSDocNameReference(parent)) continue;
      const target = this.#symbolOf(reference);
      if (target === undefined) {
        // Named like it but unresolved (untyped JavaScript): it may be a call of it.
        if (isCalled(reference) !== undefined) return true;
        continue;
      }
      if (target !== symbol) continue;
      const call = isCalled(reference);
      if (call === undefined) return true; // passed, stored or returned: its callers are not all known
      called = true;
      const info = this.#callInfo.get(`${path.resolve(call.getSourceFile().fileName)}:${call.getStart()}:${call.end}`);
      if (info !== undefined && info.args.some((a) => a.kind !== 'missing')) return true;
      if (this.reaches(call)) return true;
    }
    // Exported and called nowhere in the repository: whoever calls it is out of sight.
    return exported && !called;
  }

  #resolves(reference: ts.Identifier, symbol: ts.Symbol): boolean {
    return this.#symbolOf(reference) === symbol;
  }

  #symbolOf(reference: ts.Identifier): ts.Symbol | undefined {
    const parent = reference.parent;
    let symbol = ts.isShorthandPropertyAssignment(parent) ? this.checker.getShorthandAssignmentValueSymbol(parent) : this.checker.getSymbolAtLocation(reference);
    if (symbol !== undefined && symbol.flags & ts.SymbolFlags.Alias) symbol = this.checker.getAliasedSymbol(symbol);
    return symbol;
  }

  /** Every identifier of every source file by its text, built once when a function must be followed. */
  #identifierIndex(): Map<string, ts.Identifier[]> {
    if (this.#identifiers !== undefined) return this.#identifiers;
    const index = new Map<string, ts.Identifier[]>();
    const visit = (node: ts.Node): void => {
      if (ts.isIdentifier(node)) {
        const list = index.get(node.text);
        if (list === undefined) index.set(node.text, [node]);
        else list.push(node);
      }
      ts.forEachChild(node, visit);
    };
    for (const sf of this.files) if (!sf.isDeclarationFile) visit(sf);
    this.#identifiers = index;
    return index;
  }
}

interface NamedFunction {
  node: ts.Node;
  name: ts.Identifier;
  symbol: ts.Symbol;
  exported: boolean;
}

/** A function declaration, or a function bound to a `const`: the functions whose callers can be listed by name. */
function namedFunction(boundary: ts.Node, parent: ts.Node, checker: ts.TypeChecker): NamedFunction | undefined {
  let name: ts.Identifier | undefined;
  let modifiersOf: ts.Node | undefined;
  if (ts.isFunctionDeclaration(boundary) && boundary.name !== undefined && boundary.body !== undefined) {
    name = boundary.name;
    modifiersOf = boundary;
  } else if (
    (ts.isArrowFunction(boundary) || ts.isFunctionExpression(boundary)) &&
    ts.isVariableDeclaration(parent) &&
    ts.isIdentifier(parent.name) &&
    ts.getCombinedNodeFlags(parent) & ts.NodeFlags.Const
  ) {
    name = parent.name;
    modifiersOf = parent.parent.parent;
  }
  if (name === undefined || modifiersOf === undefined) return undefined;
  const modifiers = ts.canHaveModifiers(modifiersOf) ? (ts.getModifiers(modifiersOf) ?? []) : [];
  // A default export is imported under any name: its callers cannot be found by this one.
  if (modifiers.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)) return undefined;
  const symbol = checker.getSymbolAtLocation(name);
  if (symbol === undefined) return undefined;
  return { node: boundary, name, symbol, exported: modifiers.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) };
}

function enclosingFunction(node: ts.Node): ts.Node | undefined {
  for (let current = node.parent; current !== undefined; current = current.parent) if (isFunctionBoundary(current)) return current;
  return undefined;
}

function functionBody(boundary: ts.Node): ts.Node | undefined {
  return (boundary as ts.FunctionLikeDeclaration).body;
}

/** Code outside every function runs when the module loads, unless it initialises an instance field (it runs at each `new`). */
function instanceInitializer(node: ts.Node): boolean {
  for (let current = node.parent; current !== undefined; current = current.parent) {
    if (ts.isPropertyDeclaration(current) && !ts.getModifiers(current)?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword)) return true;
    if (ts.isDecorator(current)) return true;
  }
  return false;
}

/** The call `reference` is the callee of (`f(...)`, `ns.f(...)`, `new F(...)`), if any. */
function isCalled(reference: ts.Identifier): ts.CallExpression | ts.NewExpression | undefined {
  let callee: ts.Node = reference;
  if (ts.isPropertyAccessExpression(reference.parent) && reference.parent.name === reference) callee = reference.parent;
  while (ts.isParenthesizedExpression(callee.parent)) callee = callee.parent;
  const call = callee.parent;
  return (ts.isCallExpression(call) || ts.isNewExpression(call)) && call.expression === callee ? call : undefined;
}

/** `it` of `it.each(table)(...)`, `describe.only(...)`, `test.concurrent(...)`. */
function baseName(callee: ts.Expression): string | undefined {
  let current = callee;
  for (;;) {
    if (ts.isIdentifier(current)) return current.text;
    if (ts.isPropertyAccessExpression(current) || ts.isCallExpression(current)) current = current.expression;
    else return undefined;
  }
}
