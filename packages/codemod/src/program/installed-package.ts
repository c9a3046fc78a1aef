// Whether a package is installed where a file in `fromDir` would find it (a node_modules folder in it
// or above it), whatever the compiler options make of it.
import { existsSync } from 'node:fs';
import path from 'node:path';

export function isPackageInstalled(name: string, fromDir: string): boolean {
  return installedPackageDir(name, fromDir) !== undefined;
}

/** The folder of the package a file in `fromDir` would load, or undefined when none is installed. */
export function installedPackageDir(name: string, fromDir: string): string | undefined {
  for (let dir = path.resolve(fromDir); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}
