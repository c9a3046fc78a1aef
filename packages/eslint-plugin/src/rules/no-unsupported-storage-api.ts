import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';
import semver from 'semver';
import { createRule } from '../utils/create-rule.js';
import { getAsyncContext } from '../utils/async-context.js';
import { getStaticPropertyName, skipWrappers } from '../utils/ast.js';

export type Options = [];
export type MessageId = 'ignoredOption' | 'missingMethod';

/**
 * What each API needs, and what happens on older versions: the first versions are Node's changelog's;
 * what Node 20 does with the options (ignores them) and that withScope exists on Node 24 is proven by
 * test/behaviour/programs/storage-api-versions.mjs on Node 20 and 24.
 */
const CONSTRUCTOR_OPTIONS: Record<string, { since: string; consequence: string }> = {
  defaultValue: { since: '24.0.0', consequence: '`getStore()` stays undefined outside `run()`' },
  name: { since: '24.0.0', consequence: '`name` is undefined' },
};
const METHODS: Record<string, { since: string }> = {
  withScope: { since: '24.20.0' },
};

/** Where the supported range comes from, for the message. */
interface SupportedRange {
  range: string;
  /** The package.json it was read from; undefined for the setting. */
  packageJson?: string;
  oldest: semver.SemVer;
}

export default createRule<Options, MessageId>({
  name: 'no-unsupported-storage-api',
  meta: {
    type: 'problem',
    docs: {
      description:
        'Disallow AsyncLocalStorage options and methods newer than the Node versions the project supports',
      recommended: 'recommended',
    },
    schema: [],
    messages: {
      ignoredOption:
        'The `{{ option }}` option needs Node >= {{ since }}; older versions ignore it silently ({{ consequence }}), and {{ source }} `{{ range }}` allows Node {{ oldest }}.',
      missingMethod:
        '`{{ method }}()` needs Node >= {{ since }} and is missing before (calling it throws a TypeError), and {{ source }} `{{ range }}` allows Node {{ oldest }}.',
    },
  },
  defaultOptions: [],
  create(context) {
    const { text } = context.sourceCode;
    // Cheap tests first: files that use none of these APIs never read a package.json.
    if (!text.includes('withScope') && !text.includes('AsyncLocalStorage')) return {};
    const asyncContext = getAsyncContext(context);
    let supported: SupportedRange | null | undefined;
    const getSupported = (): SupportedRange | null =>
      (supported ??= readSettingRange(context.settings) ?? readEnginesRange(context.physicalFilename, context.cwd));

    function reportIfTooNew(node: TSESTree.Node, since: string, messageId: MessageId, data: Record<string, string>): void {
      const range = getSupported();
      if (!range || !semver.lt(range.oldest, since)) return;
      context.report({
        node,
        messageId,
        data: {
          ...data,
          since: since.replace(/\.0$/u, ''),
          source: range.packageJson
            ? `engines.node in ${relative(context.cwd, range.packageJson) || range.packageJson}`
            : 'settings.unthread.nodeVersion',
          range: range.range,
          oldest: range.oldest.version,
        },
      });
    }

    return {
      NewExpression(node) {
        const [options] = node.arguments;
        if (options?.type !== AST_NODE_TYPES.ObjectExpression) return;
        if (!asyncContext.constructions.some((construction) => construction.node === node && construction.kind === 'storage')) {
          return;
        }
        for (const property of options.properties) {
          if (property.type !== AST_NODE_TYPES.Property || property.computed) continue;
          const key = property.key.type === AST_NODE_TYPES.Identifier ? property.key.name : String(property.key.value);
          const api = Object.hasOwn(CONSTRUCTOR_OPTIONS, key) ? CONSTRUCTOR_OPTIONS[key] : undefined;
          if (api) reportIfTooNew(property, api.since, 'ignoredOption', { option: key, consequence: api.consequence });
        }
      },
      CallExpression(node) {
        const callee = skipWrappers(node.callee);
        if (callee.type !== AST_NODE_TYPES.MemberExpression) return;
        const method = getStaticPropertyName(callee);
        const api = method !== undefined && Object.hasOwn(METHODS, method) ? METHODS[method] : undefined;
        if (!api || method === undefined) return;
        if (asyncContext.getContextCall(node)?.kind !== 'storage') return;
        reportIfTooNew(callee.property, api.since, 'missingMethod', { method });
      },
    };
  },
});

/** `settings.unthread.nodeVersion`: a version or a range, like engines.node. */
function readSettingRange(settings: Readonly<Record<string, unknown>>): SupportedRange | undefined {
  const unthread = settings['unthread'];
  const value = typeof unthread === 'object' && unthread !== null ? (unthread as { nodeVersion?: unknown }).nodeVersion : undefined;
  if (value === undefined) return undefined;
  const oldest = typeof value === 'string' && semver.validRange(value) ? semver.minVersion(value) : null;
  if (!oldest) {
    throw new Error(
      `settings.unthread.nodeVersion ${JSON.stringify(value)} is not a Node version or range; set it like engines.node, e.g. ">=20.19".`,
    );
  }
  return { range: value as string, oldest };
}

const enginesByDirectory = new Map<string, SupportedRange | null>();

/**
 * `engines.node` of the nearest package.json that declares one, walking up from the linted file.
 * Cached per directory: every file of a project shares the answer.
 */
function readEnginesRange(filename: string, cwd: string): SupportedRange | null {
  // `<input>` and other virtual names: start from the working directory.
  const start = isAbsolute(filename) ? dirname(filename) : resolve(cwd, dirname(filename));
  const visited: string[] = [];
  let found: SupportedRange | null = null;
  for (let directory = start; ; directory = dirname(directory)) {
    const cached = enginesByDirectory.get(directory);
    if (cached !== undefined) {
      found = cached;
      break;
    }
    visited.push(directory);
    const range = readPackageEngines(join(directory, 'package.json'));
    if (range) {
      found = range;
      break;
    }
    if (dirname(directory) === directory) break;
  }
  for (const directory of visited) enginesByDirectory.set(directory, found);
  return found;
}

function readPackageEngines(file: string): SupportedRange | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  try {
    const range = (JSON.parse(text) as { engines?: { node?: unknown } }).engines?.node;
    // An unreadable range is the package's own business (npm warns about it): treat it as absent.
    const oldest = typeof range === 'string' && semver.validRange(range) ? semver.minVersion(range) : null;
    return oldest ? { range: range as string, packageJson: file, oldest } : null;
  } catch {
    return null;
  }
}
