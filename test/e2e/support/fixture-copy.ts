import { cp, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fixtureDirOf } from './paths.js';

export interface FixtureCopy {
  dir: string;
  remove(): Promise<void>;
}

// Installed, generated, or the hand-made reference migration: not part of the app's source, never copied.
const NOT_SOURCE = new Set(['node_modules', 'dist', 'migrated-by-hand']);

export interface CopyFixtureOptions {
  /** Which app under fixtures/; default `express-app`. */
  fixture?: string;
  /** A folder inside the fixture whose files replace src/. */
  sourcesFrom?: string;
}

/**
 * A copy of an app under fixtures/ (or, with `sourcesFrom`, of its project with the sources of a
 * folder inside it, such as `migrated-by-hand/src`) in a fresh temp directory, outside the repository. Its
 * `node_modules` is a link to the fixture's own (pnpm's links are relative and would break if
 * copied), so every import resolves exactly as it does in place.
 */
export async function copyFixture(label: string, options: CopyFixtureOptions = {}): Promise<FixtureCopy> {
  const fixture = options.fixture ?? 'express-app';
  const fixtureDir = fixtureDirOf(fixture);
  const dir = await mkdtemp(join(tmpdir(), `unthread-${fixture}-${label}-`));
  await cp(fixtureDir, dir, {
    recursive: true,
    filter: (source) => !NOT_SOURCE.has(relative(fixtureDir, source).split(sep)[0] ?? ''),
  });
  if (options.sourcesFrom !== undefined) {
    // Another src/ for the same app: the project files stay, the code is swapped whole.
    await rm(join(dir, 'src'), { recursive: true });
    await cp(join(fixtureDir, options.sourcesFrom), join(dir, 'src'), { recursive: true });
  }
  await symlink(join(fixtureDir, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
