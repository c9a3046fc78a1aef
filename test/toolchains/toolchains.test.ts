// @unthread/context on the toolchains the services that adopt it already have. app/ uses every entry
// of the package; each cell below is a copy of it in a project of its own (package.json "type" and a
// tsconfig), type-checked by one TypeScript version in one module mode, and the same app runs under
// ts-node and jest with ts-jest (CommonJS), tsx (both formats) and vitest (ESM), each for real.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('.', import.meta.url));
const bin = (path: string): string => join(here, 'node_modules', path);
const cellsDir = join(here, '.tmp');

const TYPESCRIPTS = ['5.0', '5.5', '5.9', '6.0'] as const;
type TypeScriptVersion = (typeof TYPESCRIPTS)[number];

/** A module mode as a project sets it: the package's "type" decides the format of its .ts files. */
interface Mode {
  module: string;
  moduleResolution: string;
  type: 'commonjs' | 'module';
}
const MODES: Record<string, Mode> = {
  // The resolution TypeScript 5 uses for module commonjs: main, types and typesVersions, no exports.
  commonjs: { module: 'commonjs', moduleResolution: 'node10', type: 'commonjs' },
  // exports with the require condition, the .d.ts types.
  node16: { module: 'node16', moduleResolution: 'node16', type: 'commonjs' },
  // exports with the import condition, the .d.mts types.
  nodenext: { module: 'nodenext', moduleResolution: 'nodenext', type: 'module' },
  bundler: { module: 'esnext', moduleResolution: 'bundler', type: 'module' },
};

/** The app's expected view of one request, a job and a log line, whichever toolchain runs it. */
const EXPECTED_SEEN = {
  served: 'req-1',
  job: 'job-1',
  logFields: { requestId: 'req-1' },
  outside: 'MissingContextError',
  middlewares: ['function', 'function', 'function', 'function'],
  nestModule: { global: true, exports: 2 },
};

interface Run {
  code: number | null;
  output: string;
}

function run(command: string, args: string[], cwd: string): Promise<Run> {
  // A child vitest must not take this run's worker settings for its own.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST')));
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...env, NODE_ENV: 'test', NO_COLOR: '1', CI: 'true' } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

function compilerOptions(typescript: TypeScriptVersion, mode: Mode): Record<string, unknown> {
  return {
    module: mode.module,
    moduleResolution: mode.moduleResolution,
    // TypeScript 6 still resolves node10 when asked, and says it is deprecated.
    ...(typescript === '6.0' && mode.moduleResolution === 'node10' ? { ignoreDeprecations: '6.0' } : {}),
    target: 'ES2022',
    lib: ['ES2022'],
    types: ['node'],
    strict: true,
    skipLibCheck: true,
    noEmit: true,
  };
}

/**
 * Writes a copy of app/ for one mode. Relative imports carry `.js` only where Node's ESM resolution
 * needs it (nodenext in a "type": "module" package), as each kind of project writes them.
 */
function writeCell(name: string, typescript: TypeScriptVersion, mode: Mode, extra: Record<string, string> = {}): string {
  const dir = join(cellsDir, name);
  mkdirSync(dir, { recursive: true });
  cpSync(join(here, 'app'), dir, { recursive: true });
  if (mode.moduleResolution === 'nodenext') {
    for (const folder of ['src', 'spec']) {
      for (const file of readdirSync(join(dir, folder))) {
        const path = join(dir, folder, file);
        writeFileSync(path, readFileSync(path, 'utf8').replace(/from '(\.\.?\/[^']+)'/g, "from '$1.js'"));
      }
    }
  }
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ private: true, type: mode.type }, null, 2)}\n`);
  const tsconfig = { compilerOptions: compilerOptions(typescript, mode), include: ['src'] };
  writeFileSync(join(dir, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);
  for (const [file, text] of Object.entries(extra)) writeFileSync(join(dir, file), text);
  return dir;
}

/** The last line of a run's output as the app's JSON report. */
function seenIn(result: Run): unknown {
  const line = result.output.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line);
  } catch {
    return result.output;
  }
}

beforeAll(() => {
  rmSync(cellsDir, { recursive: true, force: true });
});

afterAll(() => {
  rmSync(cellsDir, { recursive: true, force: true });
});

/** Starts tasks at most `width` at a time; each promise settles as its task does. */
function limited<T>(tasks: (() => Promise<T>)[], width: number): Promise<T>[] {
  let free = width;
  const queue: (() => void)[] = [];
  const release = (): void => {
    free++;
    queue.shift()?.();
  };
  return tasks.map(
    (task) =>
      new Promise<T>((resolve, reject) => {
        const start = (): void => {
          free--;
          task().then(resolve, reject).finally(release);
        };
        if (free > 0) start();
        else queue.push(start);
      }),
  );
}

describe('tsc type-checks an app that imports every entry', () => {
  let checks: Promise<Run>[] = [];
  beforeAll(() => {
    // One tsc process per TypeScript version builds its four projects (tsc -b); two run at once.
    checks = limited(
      TYPESCRIPTS.map((typescript) => () => {
        const projects = Object.entries(MODES).map(([mode, settings]) => writeCell(`ts${typescript}-${mode}`, typescript, settings));
        return run(process.execPath, [bin(`typescript-${typescript}/bin/tsc`), '-b', ...projects], here);
      }),
      2,
    );
  });

  it.each(TYPESCRIPTS.map((typescript, index) => [typescript, index] as const))(
    'TypeScript %s, module commonjs / node16 / nodenext / bundler',
    async (_typescript, index) => {
      const result = await checks[index]!;
      expect(result.output).toBe('');
      expect(result.code).toBe(0);
    },
  );
});

describe('the app runs', () => {
  const commonjs = (): string =>
    writeCell('run-commonjs', '5.9', MODES.commonjs!, {
      'jest.config.json': JSON.stringify({ preset: 'ts-jest', testEnvironment: 'node', testMatch: ['<rootDir>/spec/jest.spec.ts'] }),
    });
  // Its own vitest config, or vitest would take the workspace's from a folder above.
  const esm = (): string =>
    writeCell('run-esm', '5.9', MODES.nodenext!, {
      'vitest.config.mjs': "export default { test: { include: ['spec/vitest.spec.ts'] } };\n",
    });

  it('under ts-node (CommonJS, type-checked)', async () => {
    const result = await run(process.execPath, [bin('ts-node/dist/bin.js'), 'src/main.ts'], commonjs());
    expect(seenIn(result)).toEqual(EXPECTED_SEEN);
  });

  it('under jest with ts-jest (CommonJS)', async () => {
    const result = await run(process.execPath, [bin('jest/bin/jest.js'), '--ci'], commonjs());
    expect(result.output).toMatch(/Tests:\s+1 passed, 1 total/);
    expect(result.code).toBe(0);
  });

  it.each([
    ['CommonJS', commonjs],
    ['ESM', esm],
  ])('under tsx (%s)', async (_format, cell) => {
    const result = await run(process.execPath, [bin('tsx/dist/cli.mjs'), 'src/main.ts'], cell());
    expect(seenIn(result)).toEqual(EXPECTED_SEEN);
  });

  it('under vitest (ESM)', async () => {
    const result = await run(process.execPath, [bin('vitest/vitest.mjs'), 'run'], esm());
    expect(result.output).toMatch(/Tests\s+1 passed \(1\)/);
    expect(result.code).toBe(0);
  });
});
