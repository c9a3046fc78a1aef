/**
 * The README's config snippets, run as written in a fresh `npm init -y` project (CommonJS: a `.js` file there
 * is a CommonJS module): each is copied from the README into the project, ESLint's own CLI lints
 * a planted `enterWith` bug in a JavaScript and a TypeScript file, and both must be reported. The
 * packages are linked into the project's node_modules, as an install would place them.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const pluginRoot = fileURLToPath(new URL('../', import.meta.url));
const workspaceModules = fileURLToPath(new URL('../../../node_modules/', import.meta.url));

/** The fenced block of the README whose first line is `// <file name>` (and that contains `containing`). */
function snippet(fileName: string, containing = ''): string {
  const readme = readFileSync(path.join(pluginRoot, 'README.md'), 'utf8');
  const block = [...readme.matchAll(/```js\n([\s\S]*?)```/gu)]
    .map((match) => match[1]!)
    .find((code) => code.startsWith(`// ${fileName}\n`) && code.includes(containing));
  if (!block) throw new Error(`README.md has no \`\`\`js block starting with // ${fileName}`);
  return block;
}

const ENTER_WITH_BUG = (typed: boolean) => `import { AsyncLocalStorage } from 'node:async_hooks';
const als = new AsyncLocalStorage${typed ? '<{ id: string }>' : ''}();
export function middleware(req${typed ? ': { id: string }' : ''}, res${typed ? ': unknown' : ''}, next${typed ? ': () => void' : ''}) {
  als.enterWith({ id: req.id });
  next();
}
`;

let project: string;

/** A project as `npm init -y` makes it, with the plugin, ESLint and (optionally) typescript-eslint installed. */
async function freshProject(withTypeScriptParser: boolean): Promise<string> {
  const folder = mkdtempSync(path.join(tmpdir(), 'unthread-fresh-'));
  await run('npm', ['init', '-y'], { cwd: folder, env: { ...process.env, npm_config_yes: 'true' } });
  const modules = path.join(folder, 'node_modules');
  mkdirSync(path.join(modules, '@unthread'), { recursive: true });
  symlinkSync(pluginRoot, path.join(modules, '@unthread', 'eslint-plugin'), 'dir');
  symlinkSync(path.join(workspaceModules, 'eslint'), path.join(modules, 'eslint'), 'dir');
  if (withTypeScriptParser) {
    symlinkSync(path.join(workspaceModules, 'typescript-eslint'), path.join(modules, 'typescript-eslint'), 'dir');
  }
  mkdirSync(path.join(folder, 'src'));
  writeFileSync(path.join(folder, 'src', 'app.js'), ENTER_WITH_BUG(false));
  writeFileSync(path.join(folder, 'src', 'app.ts'), ENTER_WITH_BUG(true));
  return folder;
}

/** `npx eslint .` with one config file in place: `file:line rule` per report, crashes included. */
async function lintWith(folder: string, configFile: string, containing = ''): Promise<string[]> {
  for (const name of ['eslint.config.mjs', 'eslint.config.cjs', 'eslint.config.js']) rmSync(path.join(folder, name), { force: true });
  writeFileSync(path.join(folder, configFile), snippet(configFile, containing));
  const eslint = path.join(folder, 'node_modules', 'eslint', 'bin', 'eslint.js');
  // A user's shell, not the test runner's environment (which points module resolution at this workspace).
  const env = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? folder };
  const { stdout } = await run(process.execPath, [eslint, '--format', 'json', '.'], { cwd: folder, env }).catch(
    (error: { stdout?: string; stderr?: string; message?: string }) => {
      // Exit code 1 means "problems found"; anything without JSON on stdout is a crash to show.
      if (!error.stdout?.startsWith('[')) throw new Error(`eslint failed: ${error.stderr ?? error.message ?? ''}`);
      return { stdout: error.stdout };
    },
  );
  const results = JSON.parse(stdout) as { filePath: string; messages: { line: number; ruleId: string | null; message: string }[] }[];
  return results
    .flatMap((result) =>
      result.messages.map((message) => `${path.relative(folder, result.filePath)}:${message.line} ${message.ruleId ?? message.message}`),
    )
    .sort();
}

describe('the README configs in a fresh npm init -y project', () => {
  beforeAll(async () => {
    project = await freshProject(true);
  });
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it('is a CommonJS package, as npm init -y makes it', () => {
    const packageJson = JSON.parse(readFileSync(path.join(project, 'package.json'), 'utf8')) as { type?: string };
    expect(packageJson.type ?? 'commonjs').toBe('commonjs');
  });

  it.each(['eslint.config.mjs', 'eslint.config.cjs'])('%s reports the bug in the .js and the .ts file', async (configFile) => {
    expect(await lintWith(project, configFile)).toEqual(['src/app.js:4 unthread/no-unsafe-enter-with', 'src/app.ts:4 unthread/no-unsafe-enter-with']);
  });

  it('the typed config lints TypeScript through the checker, and leaves dist/ and the config file alone', async () => {
    const typed = await freshProject(true);
    try {
      for (const name of ['typescript', path.join('@types', 'node')]) {
        mkdirSync(path.dirname(path.join(typed, 'node_modules', name)), { recursive: true });
        symlinkSync(path.join(workspaceModules, name), path.join(typed, 'node_modules', name), 'dir');
      }
      writeFileSync(
        path.join(typed, 'tsconfig.json'),
        JSON.stringify({ compilerOptions: { target: 'ES2023', module: 'NodeNext', strict: true, types: ['node'], outDir: 'dist' }, include: ['src'] }),
      );
      rmSync(path.join(typed, 'src', 'app.js'));
      // Visible to the checker only: the instance comes in through a type alias.
      writeFileSync(
        path.join(typed, 'src', 'app.ts'),
        `import type { AsyncLocalStorage } from 'node:async_hooks';
type RequestStorage = AsyncLocalStorage<{ id: string }>;
export async function handle(storage: RequestStorage, next: () => Promise<void>): Promise<void> {
  storage.enterWith({ id: '1' });
  await next();
}
`,
      );
      mkdirSync(path.join(typed, 'dist'));
      writeFileSync(path.join(typed, 'dist', 'app.js'), 'exports.handle = () => {};\n');
      expect(await lintWith(typed, 'eslint.config.mjs', 'projectService')).toEqual(['src/app.ts:4 unthread/no-unsafe-enter-with']);
    } finally {
      rmSync(typed, { recursive: true, force: true });
    }
  });

  it('without a TypeScript parser installed, lints the JavaScript and leaves the TypeScript alone', async () => {
    const plain = await freshProject(false);
    try {
      expect(await lintWith(plain, 'eslint.config.mjs')).toEqual(['src/app.js:4 unthread/no-unsafe-enter-with']);
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
  });
});
