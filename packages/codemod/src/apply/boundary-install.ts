// The adapter statement at the boundary (`app.use(requestContext(request, { … }))`) and its import,
// written the way the app's file writes its statements and imports.
import type { BoundaryInstall, FileStyle } from '../types.js';
import { packageImportEdit } from './package-imports.js';
import type { TextEdit } from './text-edits.js';

/** The edits that install `install` in its file, given the context's local name there. */
export function installEdits(install: BoundaryInstall, contextName: string, style: FileStyle): TextEdit[] {
  if (install.template !== undefined) return moduleImportEdits(install, install.template, contextName, style);
  const end = style.semicolon ? ';' : '';
  const statement = `${install.mount}(${install.adapterLocal}(${contextName}, ${install.options}))${end}`;
  const q = style.quote;
  const binding = install.adapterLocal === 'requestContext' ? 'requestContext' : style.module === 'cjs' ? `requestContext: ${install.adapterLocal}` : `requestContext as ${install.adapterLocal}`;
  const specifier = `${q}${install.adapterModule}${q}`;
  const importText = style.module === 'cjs' ? `const { ${binding} } = require(${specifier})${end}` : `import { ${binding} } from ${specifier}${end}`;
  const fallback = style.hasImports ? `${style.newline}${importText}` : `${importText}${style.newline}`;
  return [
    packageImportEdit(style, install.adapterModule, importText, fallback),
    { start: install.insertAt, end: install.insertAt, text: `${install.lead}${statement}` },
  ];
}

/** The statement as the report shows it. */
export function installStatement(install: BoundaryInstall, contextName: string): string {
  if (install.template !== undefined) return install.template.replace('{context}', contextName);
  return `${install.mount}(${install.adapterLocal}(${contextName}, ${install.options}))`;
}

/** Nest: the module, first in the root module's imports, and the imports its values function needs. */
function moduleImportEdits(install: BoundaryInstall, template: string, contextName: string, style: FileStyle): TextEdit[] {
  const end = style.semicolon ? ';' : '';
  const q = style.quote;
  const lines = [`import { ${install.adapterLocal} } from ${q}${install.adapterModule}${q}${end}`];
  const named = new Map<string, NonNullable<BoundaryInstall['imports']>>();
  for (const i of install.imports ?? []) {
    if (i.kind === 'named') named.set(i.specifier, [...(named.get(i.specifier) ?? []), i]);
    else lines.push(`import ${i.typeOnly ? 'type ' : ''}${i.kind === 'default' ? i.name : `* as ${i.name}`} from ${q}${i.specifier}${q}${end}`);
  }
  // One statement per module; `type` on the names only types use, on the statement when all are.
  for (const [specifier, list] of named) {
    const allTypes = list.every((i) => i.typeOnly);
    const bindings = list.map((i) => `${i.typeOnly && !allTypes ? 'type ' : ''}${i.exported === i.name ? i.name : `${i.exported} as ${i.name}`}`);
    lines.push(`import ${allTypes ? 'type ' : ''}{ ${bindings.join(', ')} } from ${q}${specifier}${q}${end}`);
  }
  const at = style.importInsertAt;
  const importText = lines.join(style.newline);
  return [
    { start: at, end: at, text: style.hasImports ? `${style.newline}${importText}` : `${importText}${style.newline}`, rank: -Infinity },
    { start: install.insertAt, end: install.insertAt, text: `${install.lead}${template.replace('{context}', contextName)}${install.trail ?? ''}` },
  ];
}
