import { startApp, type AppOutput } from './app-process.js';
import { groupByRequestId, type LogLine } from './log-lines.js';
import { sendAll, type Answer, type PlannedRequest } from './load.js';

export interface LoadRun {
  answers: Answer[];
  output: AppOutput;
  groups: Map<string, LogLine[]>;
}

// Sweeps run every SWEEP_INTERVAL_MS during the load; the run waits for at least this many to finish,
// so that both kinds of sweep (the first finds drafts, the later ones none) are in every run's log.
const SWEEPS_TO_SEE = 2;
const SWEEP_INTERVAL_MS = '40';

/** Starts the built app in `dir`, sends every planned request at once, stops the app, and returns its whole log. */
export async function runUnderLoad(dir: string, planned: readonly PlannedRequest[]): Promise<LoadRun> {
  const app = await startApp(dir, { SWEEP_INTERVAL_MS });
  let answers: Answer[];
  try {
    answers = await sendAll(app.port, planned, 100, 20_000).catch(async (error: unknown) => {
      // A refused or reset connection usually means the app died: say why, from its own stderr.
      const { stderr, exitCode } = await app.stop();
      throw new Error(`requests to the app in ${dir} failed (${String(error)}); app exit ${exitCode}, stderr:\n${stderr}`);
    });
    const deadline = Date.now() + 5_000;
    while (app.output.lines.filter((line) => line.msg === 'sweep finished').length < SWEEPS_TO_SEE && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await app.stop();
  }
  return { answers, output: app.output, groups: groupByRequestId(app.output.lines) };
}
