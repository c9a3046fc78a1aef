// Renders bench/results/codemod.md (also printed to stdout).
import { codeBlock, environmentSection, mib, MISS, NOT_MEASURED, PASS, ratio, seconds, summarySection, table } from '../lib/markdown.js';
import { bigFile, diagnosticSize, targets } from './plan.js';
import { commandLine, subjects } from './subjects.js';
import { bigFileModes, bigFileVerdicts } from './big-file.js';
import { codemodVerdicts } from './verdicts.js';

function resultCell(verdict) {
  if (!verdict) return '';
  if (verdict.pass === undefined) return NOT_MEASURED;
  return verdict.pass ? PASS : MISS;
}

function timingSection(results, verdicts) {
  const [wallVerdict, memoryVerdict, scalingVerdict] = verdicts;
  const rows = results.flatMap((r) => {
    const rowsOfSize = [];
    for (const name of ['tsc', 'codemod', 'codemodNoVerify']) {
      const m = r.medians?.[name];
      if (!m && !(name === 'codemod' && (r.failure || r.unavailable))) continue;
      const isHeadline = name === 'codemod' && r.size === targets.wallVsTsc.files;
      const isScaling = name === 'codemod' && r.size === targets.scaling.to;
      const failed = name === 'codemod' && !m ? (r.unavailable ? 'not available, see Summary' : `exited ${r.failure.code}: ${r.failure.detail}`) : undefined;
      rowsOfSize.push([
        r.size.toLocaleString('en-US'),
        subjects[name].label,
        failed ? `— (${failed})` : seconds(m.cpuMs),
        failed ? '—' : m.cpuRounds.map((ms) => (ms / 1000).toFixed(1)).join(' / '),
        failed ? '—' : seconds(m.wallMs),
        failed ? '—' : m.wallRounds.map((ms) => (ms / 1000).toFixed(1)).join(' / '),
        failed ? '—' : seconds(m.processCpuMs),
        failed ? '—' : mib(m.maxRssKiB),
        name === 'tsc' || failed ? '' : `**${ratio(r.ratios[name].cpu)}**`,
        name === 'tsc' || failed ? '' : ratio(r.ratios[name].wall),
        name === 'tsc' || failed ? '' : ratio(r.ratios[name].processCpu),
        name === 'tsc' || failed ? '' : `**${ratio(r.ratios[name].memory)}**`,
        isHeadline ? `time ${resultCell(wallVerdict)}, memory ${resultCell(memoryVerdict)}` : isScaling ? `vs 1,000: ${resultCell(scalingVerdict)}` : '',
      ]);
    }
    return rowsOfSize;
  });
  return table(['files', 'program', 'main-thread CPU (median)', 'per round (s)', 'wall (median)', 'per round (s)', 'all threads\' CPU', 'peak RSS', 'main-thread CPU vs tsc', 'wall vs tsc', 'all threads\' CPU vs tsc', 'memory vs tsc', 'result'], rows);
}

function stagesSection(results) {
  const rows = results.filter((r) => r.stages).map((r) => {
    const s = r.stages;
    if (s.error) return [r.size.toLocaleString('en-US'), `— (${s.error})`, '', '', '', '', ''];
    const share = (ms) => `${(ms / 1000).toFixed(2)} s (${Math.round((ms / s.wallMs) * 100)}%)`;
    return [r.size.toLocaleString('en-US'), seconds(s.wallMs), share(s.loadMs), share(s.analyzeMs), share(s.applyMs), share(s.verifyMs), s.changedFiles];
  });
  if (rows.length === 0) return 'Not measured: no codemod run completed.';
  return table(['files', 'process wall', 'load', 'analyze + plan', 'apply', 'verify', 'files changed'], rows);
}

function checkSection(results) {
  const rows = results.filter((r) => r.check).map((r) => [
    r.size.toLocaleString('en-US'),
    r.check.changedFiles,
    `${r.check.parametersBefore} → ${r.check.parametersAfter}`,
    r.check.typeChecks ? 'yes' : `**no**: ${r.check.typeErrors} errors, first: \`${r.check.firstError}\``,
    r.check.summary ? `\`${r.check.summary}\`` : '',
  ]);
  if (rows.length === 0) return 'No codemod run completed, so there is no output to check.';
  return table(['files', 'files changed', '`requestId: string` params and keys', 'output passes `tsc --noEmit`', 'codemod summary (first line of stdout)'], rows);
}

function bigFileSection(result, verdicts) {
  if (!result) return 'Not run (`UNTHREAD_BENCH_BIG_FILE=0`, or the codemod is not built).';
  if (result.failure && Object.keys(result.medians).length === 0) return `Not measured: ${result.failure}.`;
  const rows = [];
  Object.entries(bigFileModes).forEach(([mode, { label }], index) => {
    for (const functions of result.sizes) {
      const m = result.medians[`${mode}:${functions}`];
      if (!m) continue;
      const isLarge = functions === result.sizes[1];
      rows.push([functions.toLocaleString('en-US'), label, seconds(m.cpuMs), seconds(m.wallMs), mib(m.maxRssKiB), isLarge ? resultCell(verdicts[index]) : '']);
    }
  });
  const check = result.check
    ? `The output of the first write at ${result.sizes[1].toLocaleString('en-US')} functions: ${result.check.changedFiles} files changed, ` +
      `\`requestId: string\` ${result.check.parametersBefore} → ${result.check.parametersAfter}, ${result.check.typeChecks ? 'passes `tsc --noEmit`' : `**${result.check.typeErrors} tsc errors**`}.`
    : '';
  return [table(['functions in src/big.ts', 'program', 'main-thread CPU (median)', 'wall (median)', 'peak RSS', 'result'], rows), '', check].join('\n');
}

export function renderCodemodReport(data) {
  const verdicts = codemodVerdicts(data.results);
  const bigFileJudged = bigFileVerdicts(data.bigFile);
  const roundsText = data.results.map((r) => `${r.size.toLocaleString('en-US')} files: ${r.rounds}`).join(', ');
  return [
    '# unthread codemod benchmark',
    '',
    environmentSection(data.environment),
    '',
    '## Summary',
    '',
    summarySection([...verdicts, ...bigFileJudged]),
    '',
    '## Wall time and peak memory vs `tsc --noEmit`',
    '',
    'Each size is a synthetic service from bench/codemod/generate.js (deterministic; written to the OS',
    'temp dir, never committed): HTTP handlers that make `requestId` from a header, `randomUUID()` or a',
    'template; services, class repositories (instance, static and `#private` methods), arrow-function',
    'validators, option-object mappers, object-literal clients, callback events, background jobs with',
    'loop-made ids, a logger; every service calls into the next domain, every other one stores its',
    'steps in an array (kept by the codemod). `@types/node` and `@unthread/context` are symlinked into',
    'its node_modules; it is a clean git repository, as the codemod requires.',
    '',
    'Every measurement is its own process, started from this one. **wall** is from spawn to exit (Node',
    'start-up included for both programs). A preloaded probe (`node --import',
    'bench/lib/usage-probe.js`) writes at exit the **peak RSS** (`process.resourceUsage()`),',
    'the **main-thread CPU** time (user + system of the JavaScript thread, /proc/self/task/<pid>/stat,',
    'plus finished child processes such as the codemod\'s `git status`) and **all threads\' CPU** (V8\'s',
    'GC and compiler helper threads included). tsc and the codemod alternate, the order reversed every',
    'round; the codemod runs on a fresh git-clean copy each round (the copy is not timed). Medians over',
    `rounds (${roundsText}); the ratios are the medians of the per-round ratios.`,
    `\`--no-verify\` runs only at ${diagnosticSize.toLocaleString('en-US')} files, to show what verification costs; it has no target.`,
    '',
    'The time verdicts use **main-thread CPU time**, with wall time and all threads\' CPU beside it. Both',
    'programs do their work on one JavaScript thread, and that thread\'s CPU time is the measure other',
    'processes move least: on this shared 2-core machine a run\'s wall time also holds the wait for a',
    'core, and swung by 2x between rounds of the same program while other work ran. It is not the wall',
    'time itself: wall also holds the main thread\'s waits for V8\'s GC and compiler helper threads and',
    'for I/O (tsc\'s wall time stays a third above its main-thread CPU time on a quiet machine). When the',
    'three ratios agree, as they should on a quiet machine, the verdict does not depend on the choice.',
    '',
    timingSection(data.results, verdicts),
    '',
    '### Where the codemod\'s time goes (diagnostic)',
    '',
    'One more run per size through the in-process API (`runUnthread` from the `unthread` package, the',
    'same stages as the CLI minus writing files), which reports its own stage timings; the rest of the',
    'process wall is Node start-up and module loading. Not part of the ratios.',
    '',
    stagesSection(data.results),
    '',
    '## One big file',
    '',
    `One generated file, src/big.ts, of ${bigFile.functions.toLocaleString('en-US')} and of ${(bigFile.functions * 2).toLocaleString('en-US')} functions (bench/codemod/generate.js`,
    '`--one-file`): chains of functions that log `requestId` and pass it on, every 50th chain started by an',
    'entry point that makes the id with `randomUUID()`, every 10th function a static method; thousands of',
    'edits in one text. The CLI runs on a fresh git-clean copy, once with `--dry` (it prints the diff of the',
    'whole file) and once writing (verification included). Twice the functions should cost about twice the',
    'time; a cost that grows with the square of the file would show 4x. Medians over',
    `${data.bigFile?.rounds ?? bigFile.rounds} round(s).`,
    '',
    bigFileSection(data.bigFile, bigFileJudged),
    '',
    '## Did the codemod do the work?',
    '',
    'A codemod that changes nothing would be fast, so the first codemod run at each size is checked:',
    'files it changed (git status), `requestId` parameters and option keys left in src/ (the handlers',
    'make ids in locals, the kept step functions keep theirs), and a `tsc --noEmit` of its output. A size',
    'whose output changed nothing or does not type-check is reported as not measured.',
    '',
    checkSection(data.results),
    '',
    '## Commands',
    '',
    'Everything above came from one run of:',
    '',
    codeBlock(['pnpm bench   # tsc -b && node bench/context/run.js && node bench/codemod/run.js && node bench/eslint/run.js', 'node bench/codemod/run.js   # this report alone (needs the built packages)']),
    '',
    'which, per size and round, ran from the generated service\'s root (`<repo>` is this repository):',
    '',
    codeBlock([
      'node bench/codemod/generate.js <dir> <files>   # once per size, not timed',
      ...['tsc', 'codemod', 'codemodNoVerify'].map((name) => `node --import <repo>/bench/lib/usage-probe.js ${commandLine(subjects[name]).replace(/^node /, '')}`),
    ]),
    '',
    'and once per size, from the repository root: `node --import bench/lib/usage-probe.js bench/codemod/stages.js <dir>`.',
    '',
  ].join('\n');
}
