// Measures one generated service: tsc and the codemod alternate round by round (the order reversed
// every round, so slow drift on a shared machine hits both alike). tsc reads the pristine service;
// the codemod gets a fresh git-clean copy each round because it writes. Medians over rounds, and
// the ratios as the median of the per-round ratios.
import { fileURLToPath } from 'node:url';
import { median } from '../lib/stats.js';
import { checkOutput, countThreadedParameters } from './check-output.js';
import { measureNodeProcess } from '../lib/child.js';
import { repoRoot } from '../lib/paths.js';
import { copyTree } from '../lib/workdir.js';
import { subjects } from './subjects.js';

const stagesScript = fileURLToPath(new URL('stages.js', import.meta.url));

const lastLines = (text, count) => text.trim().split('\n').slice(-count).join(' / ');

async function runSubject(name, pristineDir, size) {
  const subject = subjects[name];
  const cwd = name === 'tsc' ? pristineDir : copyTree(pristineDir, `work-${size}`);
  const result = await measureNodeProcess({ script: subject.script, args: subject.args, cwd });
  return { ...result, cwd };
}

/**
 * `names`: the subjects to run each round (tsc first). Returns per-subject medians, per-round
 * ratios to tsc, the output check of the first codemod run, and the codemod's failure if any.
 */
export async function measureSize({ size, pristineDir, rounds, names, log }) {
  const perRound = [];
  let check;
  let failure;
  const parametersBefore = countThreadedParameters(pristineDir);
  for (let round = 0; round < rounds && !failure; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    const results = {};
    for (const name of order) {
      const result = await runSubject(name, pristineDir, size);
      if (result.code !== 0) {
        failure = { subject: name, code: result.code, detail: lastLines(result.stderr || result.stdout, 3) };
        log(`  ${size} files: ${name} exited ${result.code}: ${failure.detail}`);
        break;
      }
      results[name] = result;
      if (name === 'codemod' && !check) {
        check = await checkOutput(result.cwd, parametersBefore);
        check.summary = result.stdout.trim().split('\n')[0] ?? '';
      }
    }
    if (failure) break;
    perRound.push(results);
    log(`  ${size} files, round ${round + 1}/${rounds}: ` +
      order.map((n) => `${n} ${(results[n].wallMs / 1000).toFixed(1)} s wall, ${(results[n].cpuMs / 1000).toFixed(1)} s main-thread CPU, ${Math.round(results[n].maxRssKiB / 1024)} MiB`).join('; '));
  }
  const medians = Object.fromEntries(
    names.filter((name) => perRound.length > 0 && perRound[0][name]).map((name) => [name, {
      wallMs: median(perRound.map((r) => r[name].wallMs)),
      maxRssKiB: median(perRound.map((r) => r[name].maxRssKiB)),
      cpuMs: median(perRound.map((r) => r[name].cpuMs)),
      processCpuMs: median(perRound.map((r) => r[name].processCpuMs)),
      wallRounds: perRound.map((r) => r[name].wallMs),
      cpuRounds: perRound.map((r) => r[name].cpuMs),
    }]),
  );
  const ratios = Object.fromEntries(
    names.filter((name) => name !== 'tsc' && medians[name]).map((name) => [name, {
      wall: median(perRound.map((r) => r[name].wallMs / r.tsc.wallMs)),
      memory: median(perRound.map((r) => r[name].maxRssKiB / r.tsc.maxRssKiB)),
      cpu: median(perRound.map((r) => r[name].cpuMs / r.tsc.cpuMs)),
      processCpu: median(perRound.map((r) => r[name].processCpuMs / r.tsc.processCpuMs)),
    }]),
  );
  const stages = medians.codemod ? await measureStages(pristineDir, log) : undefined;
  return { size, rounds: perRound.length, medians, ratios, check, failure, stages };
}

/** One run of the in-process API for its own stage timings (diagnostic; not part of the ratios). */
async function measureStages(pristineDir, log) {
  const run = await measureNodeProcess({ script: stagesScript, args: [pristineDir], cwd: repoRoot });
  if (run.code !== 0) {
    log(`  stages: exited ${run.code}: ${lastLines(run.stderr, 2)}`);
    return { error: `exited ${run.code}: ${lastLines(run.stderr || run.stdout, 2)}` };
  }
  return { ...JSON.parse(run.stdout.trim().split('\n').at(-1)), wallMs: run.wallMs };
}
