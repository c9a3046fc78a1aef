// The copies a harness run works on. The checkout itself stays pristine (it is where the "before"
// commands run); the codemod writes only into full copies made from it, each a fresh git repository
// with everything committed (the codemod refuses a dirty tree) and with @unthread/context installed
// from this workspace the way a user installs it before migrating: `npm pack`, unpacked into
// node_modules.
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const git = (cwd, ...args) => execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 256 * 2 ** 20 });

/** Packs packages/context once into `into`; returns the tarball's path. */
export function packContext(repoRoot, into) {
  mkdirSync(into, { recursive: true });
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', into], {
    cwd: join(repoRoot, 'packages/context'),
    encoding: 'utf8',
  });
  return join(into, JSON.parse(out)[0].filename);
}

/** A full copy of `checkout` at `dest`, committed as one git commit, with the runtime installed. */
export function prepareCopy(checkout, dest, contextTarball) {
  rmSync(dest, { recursive: true, force: true });
  // cp -a keeps modes and symlinks (node_modules/.bin) exactly; a reflink-capable disk shares blocks.
  execFileSync('cp', ['-a', '--reflink=auto', checkout, dest]);
  git(dest, 'init', '--quiet', '--initial-branch=main');
  // Installed dependencies are never part of the commit, whatever the repo's own .gitignore says.
  appendFileSync(join(dest, '.git/info/exclude'), '\nnode_modules/\n');
  git(dest, 'add', '-A');
  git(dest, '-c', 'user.name=harness', '-c', 'user.email=harness@localhost', '-c', 'commit.gpgsign=false',
    'commit', '--quiet', '--no-verify', '-m', 'checkout before the codemod');
  const target = join(dest, 'node_modules/@unthread/context');
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  execFileSync('tar', ['-xzf', contextTarball, '--strip-components=1', '-C', target]);
  return dest;
}

/** Paths of the files git tracks in `dir` once everything present is added (new files included). */
export function trackedFiles(dir) {
  git(dir, 'add', '-A');
  return git(dir, 'ls-files', '-z').split('\0').filter(Boolean);
}

/** Files and lines the working tree changes against the first commit (new files included). */
export function changeStats(dir) {
  git(dir, 'add', '-A');
  const rows = git(dir, 'diff', '--cached', '--numstat', 'HEAD').trim().split('\n').filter(Boolean);
  let added = 0;
  let removed = 0;
  for (const row of rows) {
    const [plus, minus] = row.split('\t');
    // Binary files show '-': counted as a changed file, no lines.
    added += Number(plus) || 0;
    removed += Number(minus) || 0;
  }
  return { files: rows.length, added, removed, names: rows.map((row) => row.split('\t')[2]) };
}
