// The context's keys written in the context module: each type as its parameters declared it, the names
// in it imported with `import type` from where the parameter's file got them (a package, a path alias,
// a file, rewritten relative to the context module), or in JavaScript written as JSDoc `import('…')`.
import path from 'node:path';
import type { ContextKey, TypeModule, TypeReference } from '../types.js';

export interface RenderedKeys {
  /** One `key: Type` (or `key?: Type`) per key, in order. */
  members: string[];
  /** `import type …` statements the members need (TypeScript only), one per module and import form. */
  imports: string[];
}

/** How the context module writes its strings and ends its statements. */
export interface Punctuation {
  quote: "'" | '"';
  semicolon: boolean;
}

/**
 * `reserved`: identifiers the module already uses, which an imported type must not shadow (it is
 * imported under another local name then).
 */
export function renderKeys(
  keys: readonly ContextKey[],
  contextFile: string,
  language: 'ts' | 'js',
  reserved: ReadonlySet<string>,
  punctuation: Punctuation = { quote: "'", semicolon: true },
): RenderedKeys {
  const taken = new Set(reserved);
  // Names written bare (globals, the type's own words) stay what they are: no import may take them.
  for (const { type } of keys) for (const word of bareWords(type.text, type.references)) taken.add(word);
  const locals = new Map<string, string>();
  const modules = new Map<string, { specifier: string; named: Map<string, string>; default?: string; namespace?: string }>();

  const localFor = (reference: Exclude<TypeReference, { kind: 'specifier' }>, written: string): string => {
    const specifier = specifierFrom(reference.module, contextFile);
    const id = `${reference.kind}\u0000${specifier}\u0000${reference.name}`;
    const known = locals.get(id);
    if (known !== undefined) return known;
    let local = written;
    for (let n = 2; taken.has(local); n++) local = `${written}${n}`;
    taken.add(local);
    locals.set(id, local);
    const entry = modules.get(specifier) ?? { specifier, named: new Map<string, string>() };
    if (reference.kind === 'named') entry.named.set(reference.name, local);
    // A second default or namespace import of one module under another name cannot happen: `locals` reuses the first.
    else if (reference.kind === 'default') entry.default = local;
    else entry.namespace = local;
    modules.set(specifier, entry);
    return local;
  };

  const members = keys.map(({ key, type, optional, undefinable }) => {
    let text = '';
    let at = 0;
    for (const reference of [...type.references].sort((a, b) => a.start - b.start)) {
      text += type.text.slice(at, reference.start);
      const written = type.text.slice(reference.start, reference.end);
      if (reference.kind === 'specifier') text += specifierFrom(reference.module, contextFile);
      else if (language === 'js') text += inlineImport(reference, contextFile);
      else text += localFor(reference, written);
      at = reference.end;
    }
    text += type.text.slice(at);
    if (undefinable && !type.admitsUndefined) text = type.needsParentheses ? `(${text}) | undefined` : `${text} | undefined`;
    return `${key}${optional ? '?' : ''}: ${text}`;
  });

  const imports: string[] = [];
  for (const entry of modules.values()) {
    const { quote: q, semicolon } = punctuation;
    const from = `from ${q}${entry.specifier}${q}${semicolon ? ';' : ''}`;
    if (entry.default !== undefined) imports.push(`import type ${entry.default} ${from}`);
    if (entry.namespace !== undefined) imports.push(`import type * as ${entry.namespace} ${from}`);
    if (entry.named.size > 0) {
      const names = [...entry.named].map(([name, local]) => (name === local ? name : `${name} as ${local}`));
      imports.push(`import type { ${names.join(', ')} } ${from}`);
    }
  }
  return { members, imports };
}

/** The specifier as the context module must write it: a relative one re-aimed from the context module's folder. */
function specifierFrom(module: TypeModule, contextFile: string): string {
  if (module.relativeTo === undefined) return module.specifier;
  const target = path.resolve(module.relativeTo, module.specifier);
  let relative = path.relative(path.dirname(contextFile), target).split(path.sep).join('/');
  if (!relative.startsWith('.')) relative = `./${relative}`;
  // `./models/` (a folder's index) keeps its slash.
  return module.specifier.endsWith('/') && !relative.endsWith('/') ? `${relative}/` : relative;
}

function inlineImport(reference: Exclude<TypeReference, { kind: 'specifier' }>, contextFile: string): string {
  const module = `import('${specifierFrom(reference.module, contextFile)}')`;
  if (reference.kind === 'namespace') return module;
  return `${module}.${reference.kind === 'default' ? 'default' : reference.name}`;
}

/** Identifiers of a type's text outside its imported references. */
function bareWords(text: string, references: readonly TypeReference[]): string[] {
  let blanked = text;
  for (const r of references) blanked = blanked.slice(0, r.start) + ' '.repeat(r.end - r.start) + blanked.slice(r.end);
  // Inside quotes (`import('./x')`, string literal types) nothing is an identifier.
  blanked = blanked.replace(/'[^']*'|"[^"]*"|`[^`]*`/g, ' ');
  return blanked.match(/[A-Za-z_$][\w$]*/g) ?? [];
}
