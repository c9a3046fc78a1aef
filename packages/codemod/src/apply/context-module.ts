// The context module: created with createContext from @unthread/context, or extended with the keys it
// lacks when it exists (a second run, or a module the team wrote by hand).
import { unsetKeys, type Decisions } from '../plan/build-plan.js';
import type { FileChange, ThreadGraph } from '../types.js';
import type { FileEdits } from './text-edits.js';

export function contextModuleChange(
  graph: ThreadGraph,
  decisions: Decisions,
  editsInModule: FileEdits | undefined,
  textOf: (file: string) => string,
): FileChange | undefined {
  const info = graph.contextModule;
  const keys = new Map<string, string>();
  for (const fn of graph.functions) {
    if (!decisions.stripped.has(fn.id)) continue;
    for (const param of fn.params) {
      const known = keys.get(param.key);
      if (known === undefined || (known === 'string' && param.typeText !== undefined)) keys.set(param.key, param.typeText ?? 'string');
    }
  }
  const unset = unsetKeys(graph, decisions);
  for (const key of unset) {
    const type = keys.get(key);
    if (type !== undefined) keys.set(key, `${type} | undefined`);
  }
  const shape = (entries: [string, string][]): string => `{ ${entries.map(([k, t]) => `${k}: ${t}`).join('; ')} }`;
  const all = [...keys].sort(([a], [b]) => graph.params.indexOf(a) - graph.params.indexOf(b));

  if (!info.exists) {
    return { file: info.file, before: undefined, after: freshModule(info.exportName, shape(all), info) };
  }
  const before = textOf(info.file);
  let after = editsInModule !== undefined ? editsInModule.apply(before) : before;
  const missing = all.filter(([k]) => !info.existingKeys.includes(k));
  if (info.shapeInsertAt !== undefined) {
    const inserts: { at: number; text: string }[] = [];
    const added = missing.map(([k, t]) => `${info.shapePrefix ?? '; '}${k}: ${t}${info.shapeSuffix ?? ''}`).join('');
    if (added !== '') inserts.push({ at: info.shapeInsertAt, text: added });
    // A key the module already types without `undefined` that a call now unsets: `run` must accept it.
    for (const narrow of info.narrowKeyTypes ?? []) {
      if (!unset.has(narrow.key)) continue;
      if (narrow.parenthesize) inserts.push({ at: narrow.start, text: '(' });
      inserts.push({ at: narrow.end, text: narrow.parenthesize ? ') | undefined' : ' | undefined' });
    }
    // Edits elsewhere in the module are applied first only when there are none; both at once is rare
    // enough (a stripped function inside the context module) to re-read positions from the original.
    const shift = editsInModule === undefined ? 0 : after.length - before.length;
    for (const insert of inserts.sort((a, b) => b.at - a.at)) {
      const offset = insert.at + shift;
      after = after.slice(0, offset) + insert.text + after.slice(offset);
    }
  } else if (info.existingKeys.length === 0 && !new RegExp(`\\b${info.exportName}\\s*=\\s*createContext`).test(before)) {
    const newline = before.includes('\r\n') ? '\r\n' : '\n';
    after = `${after.trimEnd()}${newline}${newline}${declaration(info.exportName, shape(all), info, newline)}${newline}`;
    after = `${importCreateContext(info)}${newline}${after}`;
  }
  return after === before ? undefined : { file: info.file, before, after };
}

function freshModule(name: string, shape: string, info: ThreadGraph['contextModule']): string {
  const header = `// The request context (AsyncLocalStorage via @unthread/context). Created by unthread; later runs add keys here.`;
  return `${header}\n${importCreateContext(info)}\n\n${declaration(name, shape, info, '\n')}\n`;
}

function importCreateContext(info: ThreadGraph['contextModule']): string {
  return info.module === 'cjs'
    ? `const { createContext } = require('@unthread/context');`
    : `import { createContext } from '@unthread/context';`;
}

function declaration(name: string, shape: string, info: ThreadGraph['contextModule'], newline: string): string {
  const options = `{ name: '${name}' }`;
  if (info.language === 'ts') return `export const ${name} = createContext<${shape}>(${options});`;
  const typed = `/** @type {import('@unthread/context').Context<${shape}>} */${newline}`;
  if (info.module === 'cjs') return `${typed}const ${name} = createContext(${options});${newline}${newline}module.exports = { ${name} };`;
  return `${typed}export const ${name} = createContext(${options});`;
}
