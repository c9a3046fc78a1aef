/**
 * Every behavioural claim a rule page makes points at something in this repository that proves it:
 * each page's "Behaviour behind it" links a behaviour program (or a test) that exists, every relative
 * link of a page resolves, and no file cites a notes file that is not part of the repository.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repository = fileURLToPath(new URL('../../../', import.meta.url));
const docs = fileURLToPath(new URL('../docs/rules/', import.meta.url));
// Spelled in two parts so that this file does not cite it either.
const UNSHIPPED_NOTES = ['ALS', 'FACTS'].join('-');

/** The repository's files as git sees them: tracked, plus new ones not ignored (no dist, no node_modules). */
function repositoryFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
    cwd: repository,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return listed.split('\0').filter((file) => file !== '' && existsSync(path.join(repository, file)));
}

/** `[text](target)` links of a markdown text whose target is a relative path. */
function relativeLinks(markdown: string): string[] {
  return [...markdown.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/gu)]
    .map((match) => match[1]!)
    .filter((target) => !/^[a-z]+:/u.test(target));
}

describe('evidence for the rule pages', () => {
  const pages = readdirSync(docs).filter((file) => file.endsWith('.md'));

  it.each(pages)('%s proves its behaviour with files of this repository', (page) => {
    const text = readFileSync(path.join(docs, page), 'utf8');
    const section = /\n## Behaviour behind it\n([\s\S]*?)(?=\n## |$)/u.exec(text)?.[1];
    expect(section, 'a "Behaviour behind it" section').toBeDefined();
    const proofs = relativeLinks(section!).filter((target) => /\.(mjs|ts)$/u.test(target));
    expect(proofs.length).toBeGreaterThan(0);
    expect(section).toMatch(/Node 20/u);
    expect(section).toMatch(/Node 24/u);
    for (const target of relativeLinks(text)) {
      expect(existsSync(path.resolve(docs, target)), `${page} links ${target}`).toBe(true);
    }
  });

  it(`no file of the repository cites ${UNSHIPPED_NOTES}`, () => {
    const files = repositoryFiles();
    expect(files.length).toBeGreaterThan(100);
    const citing = files.filter((file) => {
      if (/\.(png|jpg|gz|tgz|woff2?)$/u.test(file)) return false;
      // A tracked symlink (a fixture's workspace link to a package folder) holds no text of its own.
      if (!lstatSync(path.join(repository, file)).isFile()) return false;
      return readFileSync(path.join(repository, file), 'utf8').includes(UNSHIPPED_NOTES);
    });
    expect(citing).toEqual([]);
  });
});
