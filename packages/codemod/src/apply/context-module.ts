// The context module: created with createContext from @unthread/context, or extended with the keys it
// lacks when it exists (a second run, or a module the team wrote by hand).
import type { FileChange } from '../public-types.js';
import type { ContextModuleInfo, EditPlan } from '../types.js';
import type { FileEdits } from './text-edits.js';

export function contextModuleChange(plan: EditPlan, editsInModule: FileEdits | undefined, textOf: (file: string) => string): FileChange | undefined {
  const info = plan.contextModule;
  const unset = new Set(plan.unsetKeys);
  const all = plan.contextKeys;
  const shape = (entries: EditPlan['contextKeys']): string => `{ ${entries.map((e) => `${e.key}: ${e.type}`).join('; ')} }`;

  if (!info.exists) {
    return { file: info.file, before: undefined, after: freshModule(info.exportName, shape(all), info) };
  }
  const before = textOf(info.file);
  let after = editsInModule !== undefined ? editsInModule.apply(before) : before;
  const missing = all.filter((e) => !info.existingKeys.includes(e.key));
  if (info.shapeInsertAt !== undefined) {
    const inserts: { at: number; text: string }[] = [];
    const added = missing.map((e) => `${info.shapePrefix ?? '; '}${e.key}: ${e.type}${info.shapeSuffix ?? ''}`).join('');
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

function freshModule(name: string, shape: string, info: ContextModuleInfo): string {
  const header = `// The request context (AsyncLocalStorage via @unthread/context). Created by unthread; later runs add keys here.`;
  return `${header}\n${importCreateContext(info)}\n\n${declaration(name, shape, info, '\n')}\n`;
}

function importCreateContext(info: ContextModuleInfo): string {
  return info.module === 'cjs'
    ? `const { createContext } = require('@unthread/context');`
    : `import { createContext } from '@unthread/context';`;
}

function declaration(name: string, shape: string, info: ContextModuleInfo, newline: string): string {
  const options = `{ name: '${name}' }`;
  if (info.language === 'ts') return `export const ${name} = createContext<${shape}>(${options});`;
  const typed = `/** @type {import('@unthread/context').Context<${shape}>} */${newline}`;
  if (info.module === 'cjs') return `${typed}const ${name} = createContext(${options});${newline}${newline}module.exports = { ${name} };`;
  return `${typed}export const ${name} = createContext(${options});`;
}
