// The type-aware half of the async-context recogniser, used only when the config asks for it
// (`settings.unthread.useTypeInformation`, set by `recommended-type-checked`) and a program exists.
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import type * as ts from 'typescript';
import type { ContextKind } from './context-names.js';
import { readSettings } from './settings.js';

type AnyRuleContext = Readonly<TSESLint.RuleContext<string, readonly unknown[]>>;

/** The checker, for rules whose type-aware checks go beyond recognising instances. */
export interface TypeServices {
  checker: ts.TypeChecker;
  /** The node's type, or undefined for nodes TypeScript has no counterpart for. */
  getType(node: TSESTree.Node): ts.Type | undefined;
  /** The node's type (or one member of its union) has a callable `then`. */
  isThenable(node: TSESTree.Node): boolean;
}

/**
 * Type services when the config asked for them (`settings.unthread.useTypeInformation`) and the parser
 * built a program; undefined otherwise, so rules fall back to their syntactic checks.
 */
export function getTypeServices(context: AnyRuleContext): TypeServices | undefined {
  if (readSettings(context.settings).useTypeInformation !== true) return undefined;
  const services = context.sourceCode.parserServices;
  const program = services?.program;
  if (!services?.esTreeNodeToTSNodeMap || !program) return undefined;
  const checker = program.getTypeChecker();
  const nodeMap = services.esTreeNodeToTSNodeMap;
  const getType = (node: TSESTree.Node): ts.Type | undefined => {
    const tsNode = nodeMap.get(node as TSESTree.Expression) as ts.Node | undefined;
    return tsNode ? checker.getTypeAtLocation(tsNode) : undefined;
  };
  return {
    checker,
    getType,
    isThenable(node) {
      const type = getType(node);
      if (!type) return false;
      return (type.isUnion() ? type.types : [type]).some((part) => {
        const then = checker.getApparentType(part).getProperty('then');
        if (!then) return false;
        return checker.getTypeOfSymbol(then).getCallSignatures().length > 0;
      });
    },
  };
}

export function createTypeRecogniser(context: AnyRuleContext): ((node: TSESTree.Node) => ContextKind | undefined) | undefined {
  const types = getTypeServices(context);
  if (!types) return undefined;
  warnIfNodeTypesMissing(context);
  return (node) => {
    const type = types.getType(node);
    return type ? getTypeKind(types.checker, type) : undefined;
  };
}

/** Structural: an AsyncLocalStorage has `enterWith` and `getStore`; a Context has `tryGet` and `all`. */
export function getTypeKind(checker: ts.TypeChecker, type: ts.Type): ContextKind | undefined {
  const parts = type.isUnion() ? type.types : [type];
  for (const part of parts) {
    const apparent = checker.getApparentType(part);
    const has = (name: string): boolean => apparent.getProperty(name) !== undefined;
    if (has('enterWith') && has('getStore') && has('run')) return 'storage';
    if (has('tryGet') && has('all') && has('run') && has('get')) return 'context';
  }
  return undefined;
}

const programsWithNodeTypes = new WeakMap<ts.Program, boolean>();
let warnedOfMissingNodeTypes = false;

/**
 * Without Node's types in the program (TypeScript 6 sets `types` to `[]` unless the tsconfig lists
 * `node`), `AsyncLocalStorage` is `any` to the checker and typed mode silently finds nothing it would
 * not find by syntax: say so once per lint run, on the first file that asks the checker.
 */
function warnIfNodeTypesMissing(context: AnyRuleContext): void {
  const program = context.sourceCode.parserServices?.program;
  if (warnedOfMissingNodeTypes || !program) return;
  let hasNodeTypes = programsWithNodeTypes.get(program);
  if (hasNodeTypes === undefined) {
    hasNodeTypes = program.getSourceFiles().some((file) => /[\\/]@types[\\/]node[\\/]/u.test(file.fileName));
    programsWithNodeTypes.set(program, hasNodeTypes);
  }
  if (hasNodeTypes) return;
  warnedOfMissingNodeTypes = true;
  process.emitWarning(
    `@unthread/eslint-plugin: the type information of ${context.filename} has no Node.js types, so the checker cannot tell an AsyncLocalStorage and the rules fall back to syntax. Install @types/node and add "node" to compilerOptions.types in the tsconfig.`,
    { code: 'UNTHREAD_NO_NODE_TYPES' },
  );
}
