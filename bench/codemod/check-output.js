// A fast codemod that does nothing would pass every timing target, so the first successful run at
// each size is checked for having done the work: how many files changed, how many `requestId`
// parameters remain, and whether the transformed service still type-checks with tsc.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { measureNodeProcess } from '../lib/child.js';
import { tscBin } from './subjects.js';

function tsFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : tsFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Parameters and destructured keys still named requestId: `requestId: string`, `requestId?: string`. */
export function countThreadedParameters(dir) {
  let count = 0;
  for (const file of tsFiles(join(dir, 'src'))) count += (readFileSync(file, 'utf8').match(/\brequestId\??: string\b/g) ?? []).length;
  return count;
}

export async function checkOutput(workDir, parametersBefore) {
  const status = execFileSync('git', ['status', '--porcelain'], { cwd: workDir, encoding: 'utf8' });
  const changedFiles = status.split('\n').filter((line) => line.trim() !== '').length;
  const typeCheck = await measureNodeProcess({ script: tscBin, args: ['--noEmit', '-p', '.'], cwd: workDir });
  const errors = (typeCheck.stdout.match(/error TS\d+/g) ?? []).length;
  return {
    changedFiles,
    parametersBefore,
    parametersAfter: countThreadedParameters(workDir),
    typeChecks: typeCheck.code === 0,
    typeErrors: errors,
    firstError: typeCheck.stdout.split('\n').find((line) => line.includes('error TS')) ?? '',
  };
}
