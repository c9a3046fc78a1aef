// `npm run example`: runs the unthread codemod on a temp copy of fixtures/express-app, an Express
// service that threads requestId by hand, and prints what it would change: the report and the diff.
// Nothing in the repository is written. Exits non-zero, loudly, when the codemod fails, so that
// `npm run setup` (install + this) fails in CI instead of passing over a broken codemod.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const fixture = join(root, 'fixtures', 'express-app');
const cli = join(root, 'packages', 'codemod', 'dist', 'cli.js');
const args = ['.', '--param', 'requestId', '--dry'];
// Installed, generated, or the hand-made reference migration: not the app's source.
const notSource = new Set(['node_modules', 'dist', 'migrated-by-hand']);

function fail(message) {
  console.error(`\nnpm run example failed: ${message}`);
  process.exit(1);
}

if (!existsSync(cli)) fail(`the codemod is not built (${relative(root, cli)} is missing): run \`npx tsc -b\` first.`);
if (!existsSync(join(fixture, 'node_modules'))) fail('fixtures/express-app has no node_modules: run `npx pnpm@10.34.9 install` first.');

const copy = mkdtempSync(join(tmpdir(), 'unthread-example-'));
// Ctrl-C reaches the codemod too; staying alive until it has exited lets the temp copy be removed.
process.once('SIGINT', () => {});
let result;
try {
  cpSync(fixture, copy, { recursive: true, filter: (source) => !notSource.has(relative(fixture, source).split(sep)[0]) });
  // pnpm's links inside node_modules are relative: link the whole folder so imports resolve as in place.
  symlinkSync(join(fixture, 'node_modules'), join(copy, 'node_modules'), 'dir');
  console.log(`unthread ${args.join(' ')}\n  on a copy of fixtures/express-app (${copy})\n`);
  result = spawnSync(process.execPath, [cli, ...args], { cwd: copy, stdio: 'inherit', timeout: 300_000 });
} finally {
  rmSync(copy, { recursive: true, force: true });
}
if (result.error) fail(`could not run the codemod: ${result.error.message}`);
if (result.status !== 0) {
  fail(`the codemod exited with ${result.status ?? result.signal} on fixtures/express-app (command: node ${relative(root, cli)} ${args.join(' ')}).`);
}
console.log('\nDone: the diff above is what `unthread --param requestId` would write; nothing was changed.');
