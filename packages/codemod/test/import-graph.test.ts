// Data flows one way through the codemod: load → analyze → plan → apply → verify → report. This reads
// the imports of every module in src/ (with the compiler's parser, so `import type` is told from a
// value import) and fails on an import against the flow, a stage that calls into an earlier stage
// instead of taking its data, or an import circle.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const srcDir = path.resolve(import.meta.dirname, '../src');

/**
 * Layers in the order data flows. A module may import from its own layer and earlier ones. The first
 * layer holds what every stage shares (the public and the internal data types, the error type, the compiler host); the last,
 * what drives the stages (the API, the CLI, the test harness).
 */
const LAYERS: readonly (readonly string[])[] = [
  ['public-types.ts', 'types.ts', 'errors.ts', 'program'],
  ['load'],
  ['analyze'],
  ['plan'],
  ['apply'],
  ['verify'],
  ['report'],
  ['write'],
  ['run.ts', 'cli.ts', 'cli', 'index.ts', 'test'],
];
const SHARED = 0;
const DRIVERS = LAYERS.length - 1;

interface Import {
  from: string;
  to: string;
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return sourceFiles(full);
      return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
    })
    .sort();
}

/** Every relative import and re-export of the modules under `dir`, as paths relative to `dir`. */
function readImports(dir: string): Import[] {
  const imports: Import[] = [];
  for (const file of sourceFiles(dir)) {
    const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
    for (const statement of sf.statements) {
      let specifier: ts.Expression | undefined;
      let typeOnly = false;
      if (ts.isImportDeclaration(statement)) {
        specifier = statement.moduleSpecifier;
        const clause = statement.importClause;
        const named = clause?.namedBindings;
        typeOnly =
          clause !== undefined &&
          (clause.isTypeOnly ||
            (clause.name === undefined && named !== undefined && ts.isNamedImports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly)));
      } else if (ts.isExportDeclaration(statement)) {
        specifier = statement.moduleSpecifier;
        typeOnly = statement.isTypeOnly;
      }
      if (specifier === undefined || !ts.isStringLiteral(specifier) || !specifier.text.startsWith('.')) continue;
      const target = path.resolve(path.dirname(file), specifier.text.replace(/\.js$/, '.ts'));
      imports.push({ from: path.relative(dir, file), to: path.relative(dir, target), typeOnly });
    }
  }
  return imports;
}

function layerOf(module: string): number {
  const top = module.split(path.sep)[0]!;
  const layer = LAYERS.findIndex((names) => names.includes(top));
  if (layer === -1) throw new Error(`${module}: in no layer; add its folder to LAYERS`);
  return layer;
}

/** What breaks the one-way flow, one sentence each. */
function flowViolations(imports: readonly Import[]): string[] {
  const problems: string[] = [];
  for (const { from, to, typeOnly } of imports) {
    const source = layerOf(from);
    const target = layerOf(to);
    if (target > source) problems.push(`${from} imports ${to}, a later stage`);
    // Stages hand each other data: a stage that calls an earlier one does that stage's work again.
    else if (target < source && target !== SHARED && source !== DRIVERS && !typeOnly) problems.push(`${from} imports values from ${to}; only types may cross stages`);
  }
  const edges = new Map<string, string[]>();
  for (const { from, to } of imports) edges.set(from, [...(edges.get(from) ?? []), to]);
  const done = new Set<string>();
  const visit = (module: string, trail: string[]): void => {
    const at = trail.indexOf(module);
    if (at !== -1) {
      problems.push(`import circle: ${[...trail.slice(at), module].join(' → ')}`);
      return;
    }
    if (done.has(module)) return;
    for (const next of edges.get(module) ?? []) visit(next, [...trail, module]);
    done.add(module);
  };
  for (const module of [...edges.keys()].sort()) visit(module, []);
  return problems;
}

describe('the import graph of src/', () => {
  it('flows one way, load → analyze → plan → apply → verify → report, without circles', () => {
    const imports = readImports(srcDir);
    expect(imports.length).toBeGreaterThan(40);
    expect(flowViolations(imports)).toEqual([]);
  });

  it('apply takes the plan as data: it imports nothing from plan/ at all but types', () => {
    const fromPlan = readImports(srcDir).filter((i) => i.from.startsWith(`apply${path.sep}`) && i.to.startsWith(`plan${path.sep}`));
    expect(fromPlan.filter((i) => !i.typeOnly)).toEqual([]);
  });

  it('the package publishes the public types only, and they stand alone', () => {
    const imports = readImports(srcDir);
    const published = imports.filter((i) => i.from === 'index.ts').map((i) => i.to);
    expect(published).toContain('public-types.ts');
    expect(published).not.toContain('types.ts');
    expect(imports.filter((i) => i.from === 'public-types.ts')).toEqual([]);
  });

  it('names an import against the flow, a value import across stages and a circle', () => {
    const problems = flowViolations([
      { from: 'plan/decide.ts', to: 'apply/apply-plan.ts', typeOnly: true },
      { from: 'apply/apply-plan.ts', to: 'plan/edit-plan.ts', typeOnly: false },
      { from: 'analyze/a.ts', to: 'analyze/b.ts', typeOnly: true },
      { from: 'analyze/b.ts', to: 'analyze/a.ts', typeOnly: true },
    ]);
    expect(problems).toEqual([
      'plan/decide.ts imports apply/apply-plan.ts, a later stage',
      'apply/apply-plan.ts imports values from plan/edit-plan.ts; only types may cross stages',
      'import circle: analyze/a.ts → analyze/b.ts → analyze/a.ts',
    ]);
  });
});
