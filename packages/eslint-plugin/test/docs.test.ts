// The README rule table and every rule doc's header are generated from the rules' metadata by
// eslint-doc-generator; this fails when they are out of date, as `--check` does in CI.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const packageRoot = fileURLToPath(new URL('../', import.meta.url));
const generator = fileURLToPath(new URL('../node_modules/.bin/eslint-doc-generator', import.meta.url));

describe('generated docs', () => {
  it('README rule table and rule doc headers match the built plugin', async () => {
    // Reads the built plugin (dist/), so `tsc -b` must have run, as the root test script does first.
    const result = await promisify(execFile)(generator, ['scripts/doc-plugin', '--check'], { cwd: packageRoot }).then(
      () => ({ code: 0, output: '' }),
      (error: { code?: number; stdout?: string; stderr?: string }) => ({
        code: error.code ?? 1,
        output: `${error.stdout ?? ''}${error.stderr ?? ''}`,
      }),
    );
    expect(
      result,
      'Docs are out of date: run `npx tsc -b packages/eslint-plugin` then `npm run docs` in packages/eslint-plugin.',
    ).toEqual({ code: 0, output: '' });
  });
});
