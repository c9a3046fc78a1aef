// Renders bench/results/eslint.md (also printed to stdout).
import { codeBlock, environmentSection, mib, MISS, PASS, percent, ratio, seconds, summarySection, table } from '../lib/markdown.js';
import { files, statsRounds, targets } from './plan.js';
import { variants } from './variants.js';
import { eslintVerdicts, pluginRules } from './verdicts.js';

function timingSection(timed) {
  const rows = Object.keys(variants).filter((v) => timed[v]).map((variant) => {
    const t = timed[variant];
    const plugin = variant === 'base' ? [] : pluginRules(timed, variant);
    return [
      variants[variant],
      t.enabledRules.length,
      plugin.length,
      seconds(t.cpuMs),
      t.cpuRounds.map((ms) => (ms / 1000).toFixed(2)).join(' / '),
      seconds(t.wallMs),
      t.wallRounds.map((ms) => (ms / 1000).toFixed(2)).join(' / '),
      seconds(t.processCpuMs),
      seconds(t.lintMs),
      `${Math.round(t.configMs)} ms`,
      mib(t.maxRssKiB),
      variant === 'base' ? '' : `**${ratio(t.cpuVsBase)}**`,
      variant === 'base' ? '' : ratio(t.wallVsBase),
      variant === 'base' ? '' : ratio(t.processCpuVsBase),
      plugin.reduce((sum, rule) => sum + (t.problemsByRule[rule] ?? 0), 0) || (variant === 'base' ? '' : 0),
      t.fatal,
    ];
  });
  return table(
    ['config', 'rules on', 'plugin rules', 'main-thread CPU (median)', 'per round (s)', 'wall (median)', 'per round (s)', 'all threads\' CPU', 'in-process lint', 'of which config + plugin import', 'peak RSS', 'main-thread CPU vs base', 'wall vs base', 'all threads\' CPU vs base', 'plugin reports', 'parse errors'],
    rows,
  );
}

function ruleSection(timed, ruleTimes) {
  return ruleTimes.map((times) => {
    const plugin = new Set(pluginRules(timed, times.variant));
    const rows = Object.entries(times.rules)
      .sort(([, a], [, b]) => b.ms - a.ms)
      .map(([rule, t]) => [
        plugin.has(rule) ? `**${rule}**` : rule,
        t.ms.toFixed(1),
        percent(t.shareOfLint),
        percent(t.shareOfRules),
        timed[times.variant].problemsByRule[rule] ?? 0,
        plugin.has(rule) ? (t.shareOfLint <= targets.maxRuleShare ? PASS : MISS) : '',
      ]);
    return [
      `### ${variants[times.variant]}`,
      '',
      `Lint time ${seconds(times.lintMs)}, of which parsing ${seconds(times.parseMs)} and all rules ${seconds(times.allRulesMs)} (medians of ${statsRounds} runs with \`stats\`).`,
      '',
      table(['rule (plugin rules in bold)', 'time (ms, all files)', 'share of lint time', 'share of all rules (TIMING "Relative")', 'reports', `<= ${targets.maxRuleShare * 100}% of lint time`], rows),
    ].join('\n');
  }).join('\n\n');
}

export function renderEslintReport(data) {
  const verdicts = eslintVerdicts(data);
  const body = data.unavailable
    ? ['Nothing was linted with the plugin: ' + data.unavailable + '.', '', data.timed?.base ? timingSection(data.timed) : ''].join('\n')
    : [timingSection(data.timed), '', '## Time per rule', '', ruleSection(data.timed, data.ruleTimes)].join('\n');
  return [
    '# @unthread/eslint-plugin benchmark',
    '',
    environmentSection(data.environment),
    '',
    '## Summary',
    '',
    summarySection(verdicts),
    '',
    '## Lint time with and without the plugin',
    '',
    `The service is ${files.toLocaleString('en-US')} TypeScript files from bench/eslint/generate.js (deterministic; written to the OS temp`,
    'dir, never committed), already on async context: middleware that runs each request in',
    '`request.run(...)` (@unthread/context) and a raw `AsyncLocalStorage` for spans, services reading',
    '`request.get`/`getStore()`, repositories handing bound callbacks to a pool, listeners, timers, and',
    'a few functions still threading `requestId`; every tenth domain has one of the mistakes the plugin',
    'catches (`enterWith` in middleware, an unchecked `getStore().x`, a store mutated in place, an',
    '`AsyncLocalStorage` made per call, a timer started inside `run()`).',
    '',
    'Each run is its own process (bench/eslint/lint-once.js) linting `src/**/*.ts` through the ESLint',
    'Node API, no cache, no concurrency, the flat config passed in (bench/eslint/variants.js): the',
    'baseline is typescript-eslint\'s `recommended` (syntactic, as are the plugin\'s `recommended` and',
    '`strict`); the plugin is imported only by the variants that use it, so its load time counts.',
    `**wall** is from spawn to exit (what a CI step sees), ${data.rounds} rounds with every config once per round,`,
    'the order rotated each round; medians over rounds, and **vs base** is the median of the per-round',
    'ratios. **in-process lint** is the time inside the process from building the config (which imports',
    'the plugin) to the results of `lintFiles`; the import of the config alone is shown beside it.',
    '',
    'The "adds <= 5%" verdicts use **main-thread CPU time** (user + system of ESLint\'s JavaScript',
    'thread, from /proc/self/task/<pid>/stat, written at exit by bench/lib/usage-probe.js), with',
    'wall time and all threads\' CPU (V8\'s GC and compiler helpers included) beside it. ESLint lints on',
    'that one thread, and its CPU time is the measure other processes move least: on this shared 2-core',
    'machine the wait for a core (other processes\' bursts) moved a single run\'s wall time by far more',
    'than 5%. Even CPU time moves by a few percent from round to round under load (shared caches,',
    'frequency), so the summary',
    'gives the range of the per-round ratios and a cross-check taken inside single runs: the plugin',
    'rules\' time (from `stats`, below) plus its import time, over the rest of that run\'s lint time.',
    'That cross-check leaves out what the rules cost ESLint outside their own listeners (selector',
    'matching, GC) and includes the `stats` timers\' own overhead.',
    '',
    body,
    '',
    '## Commands',
    '',
    codeBlock(['pnpm bench   # tsc -b && node bench/context/run.js && node bench/codemod/run.js && node bench/eslint/run.js', 'node bench/eslint/run.js    # this report alone (needs the built plugin)']),
    '',
    'which ran, from the repository root (`<dir>`: the generated service):',
    '',
    codeBlock([
      `node bench/eslint/generate.js <dir> ${files}   # once, not timed`,
      ...Object.keys(variants).map((v) => `node --import bench/lib/usage-probe.js bench/eslint/lint-once.js <dir> ${v}   # ${data.rounds} times`),
      ...['recommended', 'strict'].map((v) => `node --import bench/lib/usage-probe.js bench/eslint/lint-once.js <dir> ${v} --stats   # ${statsRounds} times`),
    ]),
    '',
    'The per-rule times are what `TIMING=all npx eslint` prints; with the CLI the same comparison is',
    '`TIMING=all npx eslint -c <a config with the variant> "src/**/*.ts"` in the generated service.',
    '',
  ].join('\n');
}
