// The adapter statement at the boundary (`app.use(requestContext(request, { … }))`) and its import,
// written the way the app's file writes its statements and imports.
import type { BoundaryInstall, FileStyle } from '../types.js';
import { packageImportEdit } from './package-imports.js';
import type { TextEdit } from './text-edits.js';

/** The edits that install `install` in its file, given the context's local name there. */
export function installEdits(install: BoundaryInstall, contextName: string, style: FileStyle): TextEdit[] {
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
  return `${install.mount}(${install.adapterLocal}(${contextName}, ${install.options}))`;
}
