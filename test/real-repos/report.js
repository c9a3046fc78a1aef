// Renders harness results: one markdown row per (repository, parameter set), then the details a
// reader needs to judge the row, and bench/results/real-repos.md from every saved result.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const HEADER = [
  'repository @ commit, date', 'params', 'codemod exit (normal)', 'time / peak RSS', 'new errors: predicted (normal) / actual (forced, repo tsc)',
  'new errors after normal write', 'tests before (pass / fail)', 'tests after normal write', 'tests after forced write',
  'files / lines (+/−) changed: normal; forced', 'run() wrappers added (forced)', 'param occurrences: before → normal → forced',
  'log fields removed (forced)', 'context keys (forced) vs declared param types (before)',
];

const cell = (value) => String(value).replaceAll('|', '\\|').replaceAll('\n', ' ');
const line = (cells) => `| ${cells.map(cell).join(' | ')} |`;
function tests(t) {
  if (t === undefined) return '—';
  if (t.passed === null) return `no summary (exit ${t.exit}${t.timedOut ? ', timed out' : ''}${t.crash ? `: ${t.crash}` : ''})`;
  return `${t.passed} / ${t.failed}${t.suitesFailed ? ` (${t.suitesFailed} suites failed)` : ''}`;
}
const changes = (c) => (c.files === 0 ? '0' : `${c.files} / +${c.added} −${c.removed}`);
const perParam = (params, fn) => params.map((p) => (params.length > 1 ? `${p}: ${fn(p)}` : fn(p))).join('; ');
const codes = (counts) => Object.entries(counts ?? {}).map(([code, n]) => `${code} ×${n}`).join(', ') || 'none';

function typesCell(r) {
  return r.params.map((param) => {
    const declared = Object.entries(r.census.before.declaredTypes[param] ?? {})
      .sort((a, b) => b[1] - a[1]).map(([type, n]) => `${type} ×${n}`);
    const shown = declared.length > 6 ? [...declared.slice(0, 6), `${declared.length - 6} more`] : declared;
    const key = r.forced.contextKeys?.find((k) => k.key === param);
    const keyText = key ? `${key.key}${key.optional ? '?' : ''}: ${key.type}` : r.forced.contextKeys ? `${param}: (no key)` : `${param}: (no module)`;
    return `${keyText} ← ${shown.join(', ') || 'no declarations'}`;
  }).join('; ');
}

/** The row of one result, as in the results table. */
export function renderRow(r) {
  const after = (which) => (which?.census ? (p) => which.census.occurrences[p] : () => '—');
  const normalOcc = after(r.normal);
  const forcedOcc = after(r.forced);
  const predicted = r.codemod.predictedNewErrors === undefined ? 'no report' : r.codemod.predictedNewErrors === null ? 'not verified' : r.codemod.predictedNewErrors;
  return line([
    `${r.repo} @ ${r.commit.slice(0, 10)}, run ${r.date}`,
    r.params.map((p) => `--param ${p}`).concat(r.codemodArgs).join(' '),
    r.codemod.exit,
    `${r.codemod.seconds} s / ${r.codemod.peakMiB} MiB`,
    `${predicted} / ${r.forced.actualNewErrors ?? (r.forced.changes.files === 0 ? 'nothing written' : '—')}`,
    r.normal.newTypeErrors ?? 'not written',
    tests(r.before.tests),
    r.normal.tests ? tests(r.normal.tests) : 'not written',
    tests(r.forced.tests),
    `${changes(r.normal.changes)}; ${changes(r.forced.changes)}`,
    r.forced.census ? r.forced.census.runCalls - r.census.before.runCalls : '—',
    perParam(r.params, (p) => `${r.census.before.occurrences[p]} → ${normalOcc(p)} → ${forcedOcc(p)}`),
    r.forced.census ? perParam(r.params, (p) => r.census.before.logFields[p] - r.forced.census.logFields[p]) : '—',
    typesCell(r),
  ]);
}

function details(r) {
  const c = r.codemod;
  const lines = [
    `### ${r.id} (${r.repo} @ ${r.commit}, run ${r.date}, ${r.minutes} min)`,
    '',
    `- Before: the repo's type-check exits ${r.before.typecheckExit} with ${r.before.typeErrors} errors; tests ${tests(r.before.tests)} (exit ${r.before.tests.exit}).`,
    `- Codemod: packages/codemod at ${r.codemodBuild ? `${r.codemodBuild.commit} (dist sha256 \`${r.codemodBuild.dist}\`)` : 'unknown'}` +
      `${c.load ? `; 1-minute load average ${c.load.before} before and ${c.load.after} after the normal run (2 shared cores)` : ''}.`,
    `- Normal run: exit ${c.exit}${c.firstError ? ` (\`${c.firstError.slice(0, 200)}\`)` : ''}; stdout starts \`${c.summary.slice(0, 200)}\`.`,
  ];
  if (c.plan) {
    lines.push(`- Plan: ${c.plan.functionsStripped} functions stripped, ${c.plan.functionsKept} kept, ${c.plan.callsRewritten} calls rewritten, ${c.plan.originsWrapped} origins wrapped; ${c.skippedFiles} files skipped; context module \`${c.contextModule}\`.`);
    lines.push(`- Keep reasons: ${codes(c.keepReasons)}.`);
  }
  lines.push(`- Predicted new errors by code: ${codes(c.predictedCodes)}; actual (forced write, repo's own type-check): ${codes(r.forced.actualCodes)}.`);
  const pva = r.forced.predictedVsActual;
  if (pva) {
    lines.push(`- Predicted against actual, by file and code: ${pva.matched} matched, ${pva.predictedOnlyCount} predicted only` +
      `${pva.predictedOnly.length ? ` (${pva.predictedOnly.join('; ')}${pva.predictedOnlyCount > pva.predictedOnly.length ? '; …' : ''})` : ''}, ` +
      `${pva.actualOnlyCount} actual only${pva.actualOnly.length ? ` (${pva.actualOnly.join('; ')}${pva.actualOnlyCount > pva.actualOnly.length ? '; …' : ''})` : ''}.`);
  }
  if (r.normal.newErrorSamples?.length) lines.push(`- New errors after the normal write: ${codes(r.normal.newErrorCodes)}.`);
  if (r.forced.newErrorSamples?.length) {
    lines.push('- First actual new errors (forced write):', '', '```', ...r.forced.newErrorSamples, '```');
  }
  if (c.notes.length) lines.push(`- Codemod notes: ${c.notes.map((n) => n.replace(/\s+/g, ' ')).join(' / ')}`);
  lines.push(`- Forced run: exit ${r.forced.exit} in ${r.forced.seconds} s.`);
  return lines.join('\n');
}

/** bench/results/real-repos.md from every result saved in `dir`. */
export function renderResults(dir, file) {
  const results = readdirSync(dir).filter((f) => f.endsWith('.json')).sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')));
  const text = [
    '# unthread on real repositories',
    '',
    'Rendered by `node test/real-repos/run.js <recipe> <checkout>` from the results saved beside this file',
    '(`real-repos/<recipe>.json`); recipes (commits, install, type-check, test commands, parameters) are in',
    '`test/real-repos/recipes.js`. Each row: the codemod of this workspace in its normal mode on a copy of',
    'the checkout, then forced (`--no-verify`) on a second copy; the repo\'s own type-check and tests before and',
    'after. **New errors** are errors of the repo\'s own type-check not present before (same file, code and',
    'message); **predicted** is the count in the normal run\'s `--json` report. **Occurrences** count identifiers',
    'named as the parameter in the sources the codemod was pointed at (git-tracked, syntax trees, not text);',
    '**log fields** count properties named as the parameter in object literals passed to logger methods;',
    '**run() wrappers** count `<context>.run(` calls; **declared param types** are the annotations of every',
    'parameter of that name before the change (`(destructured)`: a property of a destructured parameter).',
    'Time and peak RSS are the normal run\'s (wall time; RSS from the kernel at exit), on a 2-core machine',
    'shared with other work: read the load average in each repository\'s details before comparing times.',
    '',
    line(HEADER),
    line(HEADER.map(() => '---')),
    ...results.map(renderRow),
    '',
    '## Details',
    '',
    ...results.map((r) => `${details(r)}\n`),
  ].join('\n');
  writeFileSync(file, text);
}
