// The context module: created with createContext from @unthread/context, or extended with the keys it
// lacks when it exists (a second run, or a module the team wrote by hand). Keys it already declares keep
// their declaration.
import type { FileChange } from '../public-types.js';
import type { ContextModuleInfo, EditPlan } from '../types.js';
import { type Punctuation, renderKeys } from './key-types.js';
import type { FileEdits } from './text-edits.js';

export function contextModuleChange(plan: EditPlan, editsInModule: FileEdits | undefined, textOf: (file: string) => string): FileChange | undefined {
  const info = plan.contextModule;
  const unset = new Set(plan.unsetKeys);
  const shape = (members: string[]): string => `{ ${members.join('; ')} }`;
  const punctuation = modulePunctuation(plan);

  if (!info.exists) {
    const rendered = renderKeys(plan.contextKeys, info.file, info.language, new Set(['createContext', info.exportName]), punctuation);
    return { file: info.file, before: undefined, after: freshModule(info.exportName, shape(rendered.members), rendered.imports, info, punctuation) };
  }
  const before = textOf(info.file);
  let after = editsInModule !== undefined ? editsInModule.apply(before) : before;
  const missing = plan.contextKeys.filter((e) => !info.existingKeys.includes(e.key));
  // Every identifier of the module counts as taken: an imported type must not shadow one.
  const rendered = renderKeys(missing, info.file, info.language, new Set(before.match(/[A-Za-z_$][\w$]*/g) ?? []), punctuation);
  const newline = before.includes('\r\n') ? '\r\n' : '\n';
  if (info.shapeInsertAt !== undefined) {
    const inserts: { at: number; text: string }[] = [];
    const added = rendered.members.map((member) => `${info.shapePrefix ?? '; '}${member}${info.shapeSuffix ?? ''}`).join('');
    if (added !== '') inserts.push({ at: info.shapeInsertAt, text: added });
    if (rendered.imports.length > 0) {
      const at = afterLastImport(before);
      inserts.push({ at, text: at === 0 ? `${rendered.imports.join(newline)}${newline}` : `${newline}${rendered.imports.join(newline)}` });
    }
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
    const all = renderKeys(plan.contextKeys, info.file, info.language, new Set(before.match(/[A-Za-z_$][\w$]*/g) ?? []), punctuation);
    after = `${after.trimEnd()}${newline}${newline}${declaration(info.exportName, shape(all.members), info, newline, punctuation)}${newline}`;
    after = `${[importCreateContext(info, punctuation), ...all.imports].join(newline)}${newline}${after}`;
  }
  return after === before ? undefined : { file: info.file, before, after };
}

/** The offset after the module's last top-level `import …;` line (0 when it has none). */
function afterLastImport(text: string): number {
  let end = 0;
  for (const match of text.matchAll(/^import\b[^;]*?from\s*['"][^'"]+['"];?[^\S\r\n]*$/gm)) end = match.index + match[0].length;
  return end;
}

/**
 * The module's own quotes and semicolons when it exists, else those most of the repository's files
 * write (a tie keeps single quotes and semicolons).
 */
function modulePunctuation(plan: EditPlan): Punctuation {
  const own = plan.contextModule.exists ? plan.fileStyles[plan.contextModule.file] : undefined;
  if (own !== undefined) return { quote: own.quote, semicolon: own.semicolon };
  const styles = Object.values(plan.fileStyles);
  const quoted = styles.filter((s) => s.hasImports);
  const doubles = quoted.filter((s) => s.quote === '"').length;
  const bare = styles.filter((s) => !s.semicolon).length;
  return { quote: doubles * 2 > quoted.length ? '"' : "'", semicolon: bare * 2 <= styles.length };
}

function freshModule(name: string, shape: string, typeImports: string[], info: ContextModuleInfo, punctuation: Punctuation): string {
  const header = `// The request context (AsyncLocalStorage via @unthread/context). Created by unthread; later runs add keys here.`;
  const imports = [importCreateContext(info, punctuation), ...typeImports].join('\n');
  return `${header}\n${imports}\n\n${declaration(name, shape, info, '\n', punctuation)}\n`;
}

function importCreateContext(info: ContextModuleInfo, { quote: q, semicolon }: Punctuation): string {
  const end = semicolon ? ';' : '';
  return info.module === 'cjs'
    ? `const { createContext } = require(${q}@unthread/context${q})${end}`
    : `import { createContext } from ${q}@unthread/context${q}${end}`;
}

function declaration(name: string, shape: string, info: ContextModuleInfo, newline: string, { quote: q, semicolon }: Punctuation): string {
  const end = semicolon ? ';' : '';
  const options = `{ name: ${q}${name}${q} }`;
  if (info.language === 'ts') return `export const ${name} = createContext<${shape}>(${options})${end}`;
  const typed = `/** @type {import(${q}@unthread/context${q}).Context<${shape}>} */${newline}`;
  if (info.module === 'cjs') return `${typed}const ${name} = createContext(${options})${end}${newline}${newline}module.exports = { ${name} }${end}`;
  return `${typed}export const ${name} = createContext(${options})${end}`;
}
