// Bundle size of each public entry: what an app pays to import it. Each entry is bundled on its own
// with esbuild (platform node, so node: builtins stay external; minified), then gzipped at level 9,
// the level size-limit and bundlephobia-style tools report.
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { display, packageDist } from '../../lib/paths.js';

const contextDist = packageDist('context');

export const sizeEntries = [
  { label: 'core: `@unthread/context`', file: 'index.js' },
  { label: 'adapter: `@unthread/context/express`', file: 'adapters/express.js' },
  { label: 'adapter: `@unthread/context/fastify`', file: 'adapters/fastify.js' },
  { label: 'adapter: `@unthread/context/koa`', file: 'adapters/koa.js' },
  { label: 'adapter: `@unthread/context/hono`', file: 'adapters/hono.js' },
  { label: 'logger: `@unthread/context/pino`', file: 'pino.js' },
];

const esbuildOptions = { bundle: true, platform: 'node', format: 'esm', minify: true };

export function sizeCommand(file) {
  return `npx esbuild ${display(join(contextDist, file))} --bundle --platform=node --format=esm --minify | gzip -9 | wc -c`;
}

export async function measureSizes() {
  const rows = [];
  for (const entry of sizeEntries) {
    const result = await build({
      ...esbuildOptions,
      entryPoints: [join(contextDist, entry.file)],
      write: false,
      logLevel: 'silent',
    });
    const code = result.outputFiles[0].contents;
    rows.push({ ...entry, minified: code.byteLength, gzipped: gzipSync(code, { level: 9 }).byteLength });
  }
  return rows;
}
