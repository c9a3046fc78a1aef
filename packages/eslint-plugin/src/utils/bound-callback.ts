// Spelling `fn` as a function bound to the current async context, with what the file already imports:
// `bindCallback(fn)` from @unthread/context, `AsyncLocalStorage.bind(fn)` / `AsyncResource.bind(fn)`
// (the same thing in Node), through a named, namespace or default import or a `require`. When nothing
// is imported, an ES module gets a new import line and a CommonJS script an inline `require`.
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { skipWrappers } from './ast.js';
import { CONTEXT_MODULE, HOOK_MODULES } from './context-names.js';
import { resolveFunction } from './reads-context.js';

const BINDERS = ['AsyncLocalStorage', 'AsyncResource'];

/** `bindCallback`, `AsyncLocalStorage.bind`, `hooks.AsyncResource.bind`..., or undefined. */
function findImportedBinder(program: TSESTree.Program): string | undefined {
  const found: string[] = [];
  for (const statement of program.body) {
    if (statement.type === AST_NODE_TYPES.ImportDeclaration && statement.importKind !== 'type') {
      const source = statement.source.value;
      for (const specifier of statement.specifiers) {
        if (specifier.type === AST_NODE_TYPES.ImportSpecifier) {
          if (specifier.importKind === 'type' || specifier.imported.type !== AST_NODE_TYPES.Identifier) continue;
          const imported = specifier.imported.name;
          if (source === CONTEXT_MODULE && imported === 'bindCallback') return specifier.local.name;
          if (HOOK_MODULES.has(source) && BINDERS.includes(imported)) found.push(`${specifier.local.name}.bind`);
        } else if (HOOK_MODULES.has(source)) {
          found.push(`${specifier.local.name}.AsyncLocalStorage.bind`);
        }
      }
    } else if (statement.type === AST_NODE_TYPES.VariableDeclaration) {
      for (const declarator of statement.declarations) {
        const binder = getRequiredBinder(declarator);
        if (binder) found.push(binder);
      }
    }
  }
  return found[0];
}

/** `const { AsyncLocalStorage } = require('async_hooks')` or `const hooks = require('node:async_hooks')`. */
function getRequiredBinder(declarator: TSESTree.VariableDeclarator): string | undefined {
  const init = declarator.init;
  if (
    init?.type !== AST_NODE_TYPES.CallExpression ||
    init.callee.type !== AST_NODE_TYPES.Identifier ||
    init.callee.name !== 'require' ||
    init.arguments[0]?.type !== AST_NODE_TYPES.Literal ||
    !HOOK_MODULES.has(String(init.arguments[0].value))
  ) {
    return undefined;
  }
  if (declarator.id.type === AST_NODE_TYPES.Identifier) return `${declarator.id.name}.AsyncLocalStorage.bind`;
  if (declarator.id.type !== AST_NODE_TYPES.ObjectPattern) return undefined;
  for (const property of declarator.id.properties) {
    if (
      property.type === AST_NODE_TYPES.Property &&
      property.key.type === AST_NODE_TYPES.Identifier &&
      BINDERS.includes(property.key.name) &&
      property.value.type === AST_NODE_TYPES.Identifier
    ) {
      return `${property.value.name}.bind`;
    }
  }
  return undefined;
}

/** ES module syntax, or a module-type file that uses no CommonJS globals. */
function isModule(sourceCode: Readonly<TSESLint.SourceCode>, sourceType: string | undefined): boolean {
  const program = sourceCode.ast;
  const hasModuleSyntax = program.body.some(
    (statement) =>
      statement.type === AST_NODE_TYPES.ImportDeclaration ||
      statement.type === AST_NODE_TYPES.ExportNamedDeclaration ||
      statement.type === AST_NODE_TYPES.ExportDefaultDeclaration ||
      statement.type === AST_NODE_TYPES.ExportAllDeclaration,
  );
  if (hasModuleSyntax) return true;
  const usesCommonJs = (sourceCode.scopeManager?.globalScope?.through ?? []).some(({ identifier }) =>
    ['require', 'module', 'exports'].includes(identifier.name),
  );
  return sourceType === 'module' && !usesCommonJs;
}

/**
 * A fix that wraps `callback` in a binder, adding the import when needed; undefined when the name a
 * new import would take is already used in the module (the fix would shadow or clash).
 */
export function buildBindFix(
  context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>,
  callback: TSESTree.Node,
): TSESLint.ReportFixFunction | undefined {
  const { sourceCode } = context;
  // `AsyncLocalStorage.bind(x)` throws ERR_INVALID_ARG_TYPE for anything but a function: a Buffer, an
  // Error or a state object handed to the same API is never wrapped.
  if (!resolveFunction(sourceCode, skipWrappers(callback))) return undefined;
  const program = sourceCode.ast;
  const wrapped = (binder: string): string => `${binder}(${sourceCode.getText(callback)})`;
  const imported = findImportedBinder(program);
  if (imported) return (fixer) => fixer.replaceText(callback, wrapped(imported));
  if (!isModule(sourceCode, context.languageOptions.sourceType)) {
    return (fixer) => fixer.replaceText(callback, wrapped(`require('node:async_hooks').AsyncLocalStorage.bind`));
  }
  const moduleScope = sourceCode.scopeManager?.globalScope?.childScopes[0];
  const taken = moduleScope?.set.has('AsyncLocalStorage') ?? false;
  if (taken) return undefined;
  const first = program.body[0];
  if (!first) return undefined;
  return (fixer) => [
    fixer.insertTextBefore(first, `import { AsyncLocalStorage } from 'node:async_hooks';\n`),
    fixer.replaceText(callback, wrapped('AsyncLocalStorage.bind')),
  ];
}
