// Every fixtures/codemod/<case>: the codemod on a temp copy of input/ must produce expected/ byte for
// byte, a second run must change nothing, and expected/ must type-check with the real compiler.
// The temp copies live under packages/codemod/.tmp so `@unthread/context` and `@types/node` resolve
// through this package's node_modules, as they would in a project that installed them.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { runUnthread, writeAllOrNothing, type UnthreadOptions } from '../src/index.js';

const packageDir = path.resolve(import.meta.dirname, '..');
const fixturesDir = path.resolve(packageDir, '../../fixtures/codemod');
const tmpRoot = path.join(packageDir, '.tmp');
const cases = readdirSync(fixturesDir).filter((name) => statSync(path.join(fixturesDir, name)).isDirectory()).sort();

type CaseOptions = Omit<UnthreadOptions, 'cwd'>;

function caseOptions(name: string): CaseOptions {
  const file = path.join(fixturesDir, name, 'options.json');
  const options = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<CaseOptions>) : {};
  return { paths: ['.'], ...options };
}

function listFiles(root: string, dir = root): string[] {
  return readdirSync(dir)
    .flatMap((entry) => {
      const full = path.join(dir, entry);
      if (entry === 'node_modules') return [];
      return statSync(full).isDirectory() ? listFiles(root, full) : [path.relative(root, full)];
    })
    .sort();
}

function copyToTemp(source: string, label: string): string {
  mkdirTmp();
  const target = mkdtempSync(path.join(tmpRoot, `${label}-`));
  // Symlinks (a workspace's node_modules links) keep their relative targets: they point into the copy.
  cpSync(source, target, { recursive: true, verbatimSymlinks: true });
  return target;
}

function mkdirTmp(): void {
  mkdirSync(tmpRoot, { recursive: true });
}

// One compiler host for every expected/ project, so lib and @types files are parsed once.
const sharedFiles = new Map<string, ts.SourceFile | undefined>();
/** A project without tsconfig: what the codemod loads then, with JavaScript checked. */
function defaultConfig(projectDir: string): ts.ParsedCommandLine {
  const options: ts.CompilerOptions = {
    allowJs: true,
    checkJs: true,
    strict: false,
    skipLibCheck: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: [],
  };
  const fileNames = listFiles(projectDir).filter((f) => /\.[cm]?[jt]s$/.test(f)).map((f) => path.join(projectDir, f));
  return { options, fileNames, errors: [] };
}

function typeCheck(projectDir: string): string[] {
  const configPath = ['tsconfig.json', 'jsconfig.json'].map((f) => path.join(projectDir, f)).find((f) => existsSync(f));
  const config =
    configPath === undefined
      ? defaultConfig(projectDir)
      : ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  if (config === undefined) return [`cannot read ${configPath}`];
  const referenced = (config.projectReferences ?? []).flatMap((ref) => typeCheck(path.dirname(ts.resolveProjectReferencePath(ref))));
  const host = ts.createCompilerHost(config.options, true);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, version, onError, create) => {
    const shared = fileName.includes('/node_modules/') || fileName.includes('/typescript/lib/');
    if (!shared) return getSourceFile(fileName, version, onError, create);
    const real = realPath(fileName);
    if (!sharedFiles.has(real)) sharedFiles.set(real, getSourceFile(fileName, version, onError, create));
    return sharedFiles.get(real);
  };
  // A package imports another by its name, through that one's build output: read its sources, as `tsc -b` builds them first.
  const projectReferences = config.projectReferences;
  if (projectReferences !== undefined) Object.assign(host, { useSourceOfProjectReferenceRedirect: () => true });
  const program = ts.createProgram({ rootNames: config.fileNames, options: { ...config.options, noEmit: true }, host, ...(projectReferences !== undefined ? { projectReferences } : {}) });
  return [...referenced, ...ts.getPreEmitDiagnostics(program)].map((d) => {
    if (typeof d === 'string') return d;
    const where = d.file !== undefined ? `${path.relative(projectDir, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1} ` : '';
    return `${where}TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
  });
}

function realPath(file: string): string {
  try {
    return ts.sys.realpath?.(file) ?? file;
  } catch {
    return file;
  }
}

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

describe('codemod fixtures', () => {
  it('has at least 25 cases, each with input/ and expected/', () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
    for (const name of cases) {
      expect(existsSync(path.join(fixturesDir, name, 'input')), `${name}/input`).toBe(true);
      expect(existsSync(path.join(fixturesDir, name, 'expected')), `${name}/expected`).toBe(true);
    }
  });

  describe.each(cases)('%s', (name) => {
    const options = caseOptions(name);

    it('turns input/ into expected/ byte for byte, and a second run changes nothing', () => {
      const work = copyToTemp(path.join(fixturesDir, name, 'input'), name);
      made.push(work);
      const first = runUnthread({ ...options, cwd: work });
      expect(first.newErrors ?? [], 'verification errors').toEqual([]);
      writeAllOrNothing(first.changes);

      const expectedDir = path.join(fixturesDir, name, 'expected');
      const expectedFiles = listFiles(expectedDir);
      expect(listFiles(work)).toEqual(expectedFiles);
      for (const file of expectedFiles) {
        expect(readFileSync(path.join(work, file), 'utf8'), file).toBe(readFileSync(path.join(expectedDir, file), 'utf8'));
      }

      const second = runUnthread({ ...options, cwd: work });
      expect(second.changes.map((c) => path.relative(work, c.file))).toEqual([]);
    });

    it('expected/ type-checks', () => {
      const work = copyToTemp(path.join(fixturesDir, name, 'expected'), `${name}-expected`);
      made.push(work);
      expect(typeCheck(work)).toEqual([]);
    });
  });
});
