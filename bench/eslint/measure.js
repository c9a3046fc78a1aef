// Runs the lint children: timed rounds (every variant once per round, the order rotated so drift on
// a shared machine hits every variant alike), then `stats` runs for the per-rule times. Each run is
// its own process; wall time is taken from outside, from spawn to exit, as a CI job would see it.
import { fileURLToPath } from 'node:url';
import { median } from '../lib/stats.js';
import { measureNodeProcess } from '../lib/child.js';
import { repoRoot } from '../lib/paths.js';

export const lintScript = fileURLToPath(new URL('lint-once.js', import.meta.url));

async function lintOnce(dir, variant, withStats) {
  const args = withStats ? [dir, variant, '--stats'] : [dir, variant];
  const run = await measureNodeProcess({ script: lintScript, args, cwd: repoRoot });
  if (run.code !== 0) {
    const detail = (run.stderr || run.stdout).trim().split('\n').slice(0, 3).join(' / ');
    throw new Error(`lint-once ${variant} exited ${run.code}: ${detail}`);
  }
  const result = JSON.parse(run.stdout.trim().split('\n').at(-1));
  return { ...result, wallMs: run.wallMs, cpuMs: run.cpuMs, processCpuMs: run.processCpuMs, maxRssKiB: run.maxRssKiB };
}

export async function measureTimed({ dir, variants, rounds, log }) {
  const perRound = [];
  for (let round = 0; round < rounds; round++) {
    const results = {};
    for (let i = 0; i < variants.length; i++) {
      const variant = variants[(i + round) % variants.length];
      results[variant] = await lintOnce(dir, variant, false);
    }
    perRound.push(results);
    log(`  round ${round + 1}/${rounds}: ` +
      variants.map((v) => `${v} ${(results[v].wallMs / 1000).toFixed(2)} s wall, ${(results[v].cpuMs / 1000).toFixed(2)} s main-thread CPU`).join('; '));
  }
  return Object.fromEntries(variants.map((variant) => {
    const runs = perRound.map((r) => r[variant]);
    const versus = (key) => median(perRound.map((r) => r[variant][key] / r.base[key]));
    return [variant, {
      wallMs: median(runs.map((r) => r.wallMs)),
      wallRounds: runs.map((r) => r.wallMs),
      cpuRounds: runs.map((r) => r.cpuMs),
      lintMs: median(runs.map((r) => r.lintMs)),
      configMs: median(runs.map((r) => r.configMs)),
      cpuMs: median(runs.map((r) => r.cpuMs)),
      processCpuMs: median(runs.map((r) => r.processCpuMs)),
      maxRssKiB: median(runs.map((r) => r.maxRssKiB)),
      wallVsBase: versus('wallMs'),
      cpuVsBase: versus('cpuMs'),
      processCpuVsBase: versus('processCpuMs'),
      cpuVsBaseRounds: perRound.map((r) => r[variant].cpuMs / r.base.cpuMs),
      lintVsBase: versus('lintMs'),
      files: runs[0].files,
      fatal: runs[0].fatal,
      problemsByRule: runs[0].problemsByRule,
      enabledRules: runs[0].enabledRules,
    }];
  }));
}

/** Per rule: median time over the stats runs, its share of that run's lint time and of all rules' time. */
export async function measureRuleTimes({ dir, variant, rounds, log }) {
  const runs = [];
  for (let round = 0; round < rounds; round++) {
    runs.push(await lintOnce(dir, variant, true));
    log(`  stats ${variant} ${round + 1}/${rounds}: ${(runs.at(-1).lintMs / 1000).toFixed(2)} s`);
  }
  const rules = Object.keys(runs[0].ruleMs);
  const allRulesMs = (run) => Object.values(run.ruleMs).reduce((sum, ms) => sum + ms, 0);
  return {
    variant,
    lintMs: median(runs.map((r) => r.lintMs)),
    parseMs: median(runs.map((r) => r.parseMs)),
    allRulesMs: median(runs.map(allRulesMs)),
    rules: Object.fromEntries(rules.map((rule) => [rule, {
      ms: median(runs.map((r) => r.ruleMs[rule] ?? 0)),
      shareOfLint: median(runs.map((r) => (r.ruleMs[rule] ?? 0) / r.lintMs)),
      shareOfRules: median(runs.map((r) => (r.ruleMs[rule] ?? 0) / allRulesMs(r))),
    }])),
  };
}
