import { ts } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { packageImportSlot, type ImportStatement } from '../analyze/import-order.js';
import type { FileStyle } from '../types.js';
import { packageImportEdit, packageImportStatement } from './package-imports.js';

/** The file with `import { x } from '<specifier>'` added where the file's own import order puts it. */
function withImport(source: string, specifier = '@unthread/context/pino'): string {
  const sf = ts.createSourceFile('x.ts', source, ts.ScriptTarget.Latest, true);
  const imports: ImportStatement[] = sf.statements.flatMap((statement) => {
    if (ts.isImportDeclaration(statement)) return [{ statement, specifier: statement.moduleSpecifier as ts.StringLiteral }];
    const init = ts.isVariableStatement(statement) ? statement.declarationList.declarations[0]?.initializer : undefined;
    if (init !== undefined && ts.isCallExpression(init) && init.expression.getText(sf) === 'require') {
      return [{ statement, specifier: init.arguments[0] as ts.StringLiteral }];
    }
    return [];
  });
  const last = imports[imports.length - 1];
  const slot = packageImportSlot(sf, imports, (s) => !s.text.startsWith('.') && !s.text.startsWith('@/'));
  const style: FileStyle = {
    module: last !== undefined && ts.isVariableStatement(last.statement) ? 'cjs' : 'esm',
    quote: "'",
    semicolon: true,
    jsExtension: false,
    importInsertAt: last?.statement.end ?? 0,
    hasImports: last !== undefined,
    ...(slot !== undefined ? { packageImportSlot: slot } : {}),
    takenNames: [],
    newline: '\n',
  };
  const statement = packageImportStatement(style, 'x', specifier);
  const edit = packageImportEdit(style, specifier, statement, `\n${statement}`);
  return source.slice(0, edit.start) + edit.text + source.slice(edit.end);
}

describe('where an added package import goes', () => {
  it('after the package imports, above the local ones', () => {
    expect(withImport("import express from 'express';\nimport { a } from './a.js';\n")).toBe(
      "import express from 'express';\nimport { x } from '@unthread/context/pino';\nimport { a } from './a.js';\n",
    );
  });

  it('at its alphabetical place in a sorted group, the group of packages rather than of built-ins', () => {
    const source = "import fs from 'node:fs';\n\nimport cors from 'cors';\nimport express from 'express';\n\nimport { a } from '@/a';\n";
    expect(withImport(source)).toBe(
      "import fs from 'node:fs';\n\nimport { x } from '@unthread/context/pino';\nimport cors from 'cors';\nimport express from 'express';\n\nimport { a } from '@/a';\n",
    );
    expect(withImport(source, 'dayjs')).toContain("import cors from 'cors';\nimport { x } from 'dayjs';\nimport express from 'express';\n");
    expect(withImport(source, 'zod')).toContain("import express from 'express';\nimport { x } from 'zod';\n\nimport { a } from '@/a';");
  });

  it('at the end of an unsorted group', () => {
    expect(withImport("import pino from 'pino';\nimport express from 'express';\nimport { a } from './a.js';\n")).toBe(
      "import pino from 'pino';\nimport express from 'express';\nimport { x } from '@unthread/context/pino';\nimport { a } from './a.js';\n",
    );
  });

  it('above the local imports, as a group of its own, when the file imports no package', () => {
    expect(withImport("// header\nimport { a } from './a.js';\nimport { b } from '../b.js';\n")).toBe(
      "// header\nimport { x } from '@unthread/context/pino';\n\nimport { a } from './a.js';\nimport { b } from '../b.js';\n",
    );
  });

  it('after the last import when the file mixes package and local imports', () => {
    expect(withImport("import { a } from './a.js';\nimport express from 'express';\n")).toBe(
      "import { a } from './a.js';\nimport express from 'express';\nimport { x } from '@unthread/context/pino';\n",
    );
  });

  it('among requires the same way', () => {
    expect(withImport("const express = require('express');\nconst { a } = require('./a');\n")).toBe(
      "const express = require('express');\nconst { x } = require('@unthread/context/pino');\nconst { a } = require('./a');\n",
    );
  });
});
