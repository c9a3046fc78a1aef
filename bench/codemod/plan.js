// What the codemod benchmark measures and what it is held to (issue 3, "Benchmark"). Pure data.

/** Generated service sizes (files under src/) and rounds per size. 3,000 files take the longest. */
export const sizes = [
  { files: 100, rounds: 3 },
  { files: 1000, rounds: 3 },
  { files: 3000, rounds: 2 },
];

/** The size at which `--no-verify` runs beside the others, to show what verification costs. */
export const diagnosticSize = 1000;

export const targets = {
  /** At 1,000 files: codemod wall time (verification included) / tsc --noEmit wall time. */
  wallVsTsc: { files: 1000, max: 1.5 },
  /** At 1,000 files: codemod peak RSS / tsc --noEmit peak RSS. */
  memoryVsTsc: { files: 1000, max: 2 },
  /** Codemod wall time at 3,000 files / at 1,000 files (3x the files: near-linear scaling). */
  scaling: { from: 1000, to: 3000, max: 3.3 },
};

/**
 * One big file (src/big.ts) of `functions` and of twice as many functions, `rounds` each: CPU time at
 * twice the functions over the time at `functions`, at most `maxGrowth` (linear: 2x or less).
 */
export const bigFile = { functions: 2500, rounds: 2, maxGrowth: 2.5 };
