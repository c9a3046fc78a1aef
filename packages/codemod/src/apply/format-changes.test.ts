// The repository's own prettier and biome (this package's pinned devDependencies, found through
// node_modules as a project's file would find them) on real projects on disk, each with or without a
// configuration.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FileChange } from '../public-types.js';
import { formatChanges } from './format-changes.js';

const tmpRoot = path.resolve(import.meta.dirname, '../../.tmp');
const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  mkdirSync(tmpRoot, { recursive: true });
  const dir = mkdtempSync(path.join(tmpRoot, 'format-'));
  made.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

const before = 'export const answer = 42\n';
const after = "export const answer = ask('the question', 42, { loud: true, repeat: false })\n";

function change(dir: string, name = 'answer.ts'): FileChange {
  return { file: path.join(dir, name), before, after, edited: [{ before: { start: 22, end: 24 }, after: { start: 22, end: after.length - 1 } }] };
}

describe('formatChanges', () => {
  it('formats with the repository configuration, and the diff then compares whole texts', () => {
    const dir = project({ 'package.json': '{}', '.prettierrc': '{ "semi": false, "singleQuote": false, "printWidth": 60 }' });
    const { changes, notes } = formatChanges([change(dir)], dir, dir);
    expect(notes).toEqual([]);
    expect(changes[0]!.after).toBe('export const answer = ask("the question", 42, {\n  loud: true,\n  repeat: false,\n})\n');
    expect(changes[0]!.edited).toBeUndefined();
  });

  it("uses prettier's defaults when the project lists prettier and configures nothing", () => {
    const dir = project({ 'package.json': '{ "devDependencies": { "prettier": "3.10.1" } }' });
    const { changes } = formatChanges([change(dir)], dir, dir);
    expect(changes[0]!.after).toBe('export const answer = ask("the question", 42, { loud: true, repeat: false });\n');
  });

  it('leaves files alone where no formatter is configured', () => {
    const dir = project({ 'package.json': '{}' });
    const original = change(dir);
    const { changes, notes } = formatChanges([original], dir, dir);
    expect(changes).toEqual([original]);
    expect(notes).toEqual([]);
  });

  it('leaves what .prettierignore names, and says which file prettier could not parse', () => {
    const dir = project({ 'package.json': '{}', '.prettierrc': '{}', '.prettierignore': 'ignored.ts\n' });
    const broken: FileChange = { file: path.join(dir, 'broken.ts'), before: undefined, after: 'export const = ;\n' };
    const { changes, notes } = formatChanges([change(dir, 'ignored.ts'), broken], dir, dir);
    expect(changes[0]!.after).toBe(after);
    expect(changes[1]!.after).toBe(broken.after);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/^prettier could not format broken\.ts \(.+\); written unformatted\.$/);
  });

  it("formats with the repository's biome whole files that biome kept formatted, and leaves the others", () => {
    const dir = project({ 'package.json': '{}', 'biome.json': JSON.stringify({ formatter: { indentStyle: 'space', lineWidth: 60 }, javascript: { formatter: { semicolons: 'asNeeded' } } }) });
    const unformatted: FileChange = { ...change(dir, 'legacy.ts'), before: 'export  const answer=42\n' };
    const { changes, notes } = formatChanges([change(dir), unformatted], dir, dir);
    expect(notes).toEqual([]);
    expect(changes[0]!.after).toBe('export const answer = ask("the question", 42, {\n  loud: true,\n  repeat: false,\n})\n');
    expect(changes[1]).toEqual(unformatted);
  });
});

