// Whether a package is installed where a file in `fromDir` would find it (a node_modules folder in it
// or above it), whatever the compiler options make of it.
import { existsSync } from 'node:fs';
import path from 'node:path';

export function isPackageInstalled(name: string, fromDir: string): boolean {
  for (let dir = path.resolve(fromDir); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'node_modules', name, 'package.json'))) return true;
    if (path.dirname(dir) === dir) return false;
  }
}
