// A hash of a package's built JavaScript, taken before and after the run: a rebuild by another
// `tsc -b` in the workspace while the bench runs would otherwise mix two builds in one report.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

function jsFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return jsFiles(path);
    return entry.name.endsWith('.js') ? [path] : [];
  });
}

export function distFingerprint(dir) {
  if (!existsSync(dir)) return 'missing';
  const hash = createHash('sha256');
  for (const file of jsFiles(dir).sort()) hash.update(relative(dir, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex').slice(0, 12);
}
