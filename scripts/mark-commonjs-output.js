// Runs after `tsc -b`: writes dist/package.json ({"type":"commonjs"}) into each package under
// packages/. The packages are "type": "module" (their sources and tests are ESM), but tsc compiles
// their .ts files to CommonJS (tsconfig.package.json), so Node and TypeScript must read dist/*.js and
// dist/*.d.ts as CommonJS; the .mjs/.d.mts entries that re-export them are ESM by their extension.
// The file is also kept in git, so a bare `tsc -b` works; this puts it back after `rm -rf dist`.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packagesDir = fileURLToPath(new URL('../packages/', import.meta.url));
const marker = `${JSON.stringify({ type: 'commonjs' })}\n`;

for (const name of readdirSync(packagesDir)) {
  const dist = join(packagesDir, name, 'dist');
  if (!existsSync(dist)) continue;
  const file = join(dist, 'package.json');
  // Leave an identical file untouched: its mtime feeds bench fingerprints and tsc -b's up-to-date checks.
  if (existsSync(file) && readFileSync(file, 'utf8') === marker) continue;
  writeFileSync(file, marker);
}
