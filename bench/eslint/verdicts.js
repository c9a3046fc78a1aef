// Judges the ESLint results against plan.js's targets, in one place, so the tables and the summary
// agree. A verdict without `pass` could not be measured; its detail says why.
import { targets } from './plan.js';

const signed = (fraction) => `${fraction >= 0 ? '+' : ''}${(fraction * 100).toFixed(1)}%`;

/** The plugin's own rules among those a variant enables: everything the baseline does not enable. */
export function pluginRules(timed, variant) {
  const base = new Set(timed.base.enabledRules);
  return timed[variant].enabledRules.filter((rule) => !base.has(rule));
}

/**
 * The plugin's cost measured inside single runs rather than between them: its rules' time (from the
 * stats runs) plus its import, over the baseline's in-process lint time. It leaves out what the
 * rules cost ESLint outside their listeners (selector matching, GC), so it is a cross-check, not
 * the verdict.
 */
export function attributedCost(timed, ruleTimes, variant) {
  const times = ruleTimes.find((t) => t.variant === variant);
  if (!times) return undefined;
  const rulesMs = pluginRules(timed, variant).reduce((sum, rule) => sum + (times.rules[rule]?.ms ?? 0), 0);
  return (rulesMs + timed[variant].configMs) / (times.lintMs - rulesMs - timed[variant].configMs);
}

export function eslintVerdicts({ unavailable, timed, ruleTimes }) {
  const variants = ['recommended', 'strict'];
  if (unavailable) {
    return [
      ...variants.map((v) => ({ subject: `time added by the plugin's \`${v}\``, detail: unavailable })),
      { subject: 'slowest plugin rule', detail: unavailable },
    ];
  }
  const verdicts = variants.map((variant) => {
    // Main-thread CPU time, not wall: on this shared 2-core machine another process's burst moves one
    // run's wall time by far more than 5%, while the CPU time ESLint's thread spends is what the
    // plugin adds (see the report).
    const t = timed[variant];
    const added = t.cpuVsBase - 1;
    const rules = pluginRules(timed, variant);
    if (rules.length === 0) return { subject: `time added by the plugin's \`${variant}\``, detail: 'the config enables no plugin rule yet' };
    const rounds = t.cpuVsBaseRounds.map((r) => r - 1);
    const attributed = attributedCost(timed, ruleTimes, variant);
    return {
      subject: `time added by the plugin's \`${variant}\` (${rules.length} rules)`,
      pass: added <= targets.maxAddedTime,
      detail: `${signed(added)} main-thread CPU time, median of ${rounds.length} rounds ranging ${signed(Math.min(...rounds))} to ${signed(Math.max(...rounds))} ` +
        `(target <= +${targets.maxAddedTime * 100}%); wall ${signed(t.wallVsBase - 1)}, all threads' CPU ${signed(t.processCpuVsBase - 1)}` +
        (attributed === undefined ? '' : `; cross-check in one run: its rules' time + its import = ${signed(attributed)} of the lint time`),
    };
  });
  const shares = ruleTimes.flatMap((times) =>
    pluginRules(timed, times.variant).map((rule) => ({ rule, variant: times.variant, ...times.rules[rule] })),
  );
  const slowest = shares.filter((s) => s.shareOfLint !== undefined).sort((a, b) => b.shareOfLint - a.shareOfLint)[0];
  verdicts.push(
    slowest
      ? {
          subject: 'slowest plugin rule',
          pass: slowest.shareOfLint <= targets.maxRuleShare,
          detail: `\`${slowest.rule}\` at ${(slowest.shareOfLint * 100).toFixed(2)}% of the lint time under \`${slowest.variant}\` ` +
            `(target <= ${targets.maxRuleShare * 100}%; ${(slowest.shareOfRules * 100).toFixed(2)}% of all rules' time)`,
        }
      : { subject: 'slowest plugin rule', detail: 'no plugin rule ran, so there are no rule times' },
  );
  return verdicts;
}
