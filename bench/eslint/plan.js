// What the ESLint benchmark measures and what it is held to (issue 4, "Benchmark"). Pure data.

/** Files in the generated service. */
export const files = 1000;

/** Timed rounds: every variant once per round, the order rotated each round. */
export const rounds = 5;

/** Extra runs per plugin variant with ESLint's `stats` option on, for the per-rule times. */
export const statsRounds = 2;

export const targets = {
  /** Lint time with the plugin's config / without it (typescript-eslint recommended alone). */
  maxAddedTime: 0.05,
  /** One plugin rule's time / the total lint time of the same run. */
  maxRuleShare: 0.02,
};
