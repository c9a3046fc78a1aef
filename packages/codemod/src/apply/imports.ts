// The import of the context, written the way the file writes its own imports.
import path from 'node:path';
import type { FileStyle } from '../types.js';

export function importStatement(file: string, contextFile: string, exportName: string, local: string, style: FileStyle): string {
  const specifier = style.contextSpecifier ?? relativeSpecifier(file, contextFile, style.jsExtension);
  const q = style.quote;
  const end = style.semicolon ? ';' : '';
  if (style.module === 'cjs') {
    const binding = local === exportName ? exportName : `${exportName}: ${local}`;
    return `const { ${binding} } = require(${q}${specifier}${q})${end}`;
  }
  const binding = local === exportName ? exportName : `${exportName} as ${local}`;
  return `import { ${binding} } from ${q}${specifier}${q}${end}`;
}

function relativeSpecifier(file: string, contextFile: string, jsExtension: boolean): string {
  let specifier = path.relative(path.dirname(file), contextFile).split(path.sep).join('/');
  if (!specifier.startsWith('.')) specifier = `./${specifier}`;
  return jsExtension
    ? specifier.replace(/\.ts$/, '.js').replace(/\.mts$/, '.mjs').replace(/\.cts$/, '.cjs').replace(/\.tsx$/, '.js')
    : specifier.replace(/\.([cm]?[jt]sx?)$/, '');
}

/**
 * The name the context goes by in a file: its export name, unless the file already uses that
 * identifier for something else (an Express `request`, say), then `<name>Context`.
 */
export function localContextName(exportName: string, style: FileStyle | undefined): string {
  if (style === undefined) return exportName;
  if (style.contextLocal !== undefined) return style.contextLocal;
  const taken = new Set(style.takenNames);
  let name = exportName;
  for (let n = 2; taken.has(name); n++) name = n === 2 ? `${exportName}Context` : `${exportName}Context${n - 1}`;
  return name;
}
