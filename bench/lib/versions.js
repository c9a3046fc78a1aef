// Installed versions of what the bench exercises, read from the packages themselves so the report
// states what actually ran, not what package.json ranges allow.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function installedVersion(name) {
  // Not every package exports ./package.json, so locate its entry and walk up to the manifest.
  const entry = require.resolve(name);
  const marker = `/node_modules/${name}/`;
  const root = entry.slice(0, entry.lastIndexOf(marker) + marker.length);
  return JSON.parse(readFileSync(`${root}package.json`, 'utf8')).version;
}

export function installedVersions(names) {
  return Object.fromEntries(names.map((name) => [name, installedVersion(name)]));
}
