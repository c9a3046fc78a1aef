// Judges results against their targets, in one place, so the tables and the summary agree.
import { targets as httpTargets } from './http/plan.js';

/** One verdict per micro case and Node: ours/raw against the case's ceiling. */
export function microVerdicts(micro) {
  return micro.filter((row) => row.target !== undefined).map((row) => {
    const ratio = row.variants.ours.ratio;
    return {
      section: 'micro',
      subject: `${row.caseId} on Node ${row.node}`,
      ratio,
      target: `<= ${row.target}x`,
      pass: ratio <= row.target,
      detail: `${ratio.toFixed(2)}x raw (target <= ${row.target}x)`,
    };
  });
}

/** One verdict per framework on req/s (best round): ours against raw's floor, and ahead of every working peer. */
export function httpVerdicts(http) {
  return http.map((framework) => {
    const byKind = (kind) => framework.variants.filter((v) => v.kind === kind);
    const [ours] = byKind('ours');
    const [raw] = byKind('raw');
    const subject = `${framework.label}`;
    if (ours.problems.length > 0 || ours.best === undefined) {
      return { section: 'http', subject, pass: false, detail: `adapter failed: ${ours.problems[0]}` };
    }
    if (raw.problems.length > 0 || raw.best === undefined) {
      return { section: 'http', subject, pass: false, detail: `raw baseline failed: ${raw.problems[0]}` };
    }
    const ratio = ours.best / raw.best;
    const peersAhead = byKind('peer').filter((peer) => peer.problems.length === 0 && peer.best >= ours.best);
    const reasons = [];
    if (ratio < httpTargets.minRatioVsRaw) reasons.push(`${ratio.toFixed(2)}x raw (target >= ${httpTargets.minRatioVsRaw}x)`);
    for (const peer of peersAhead) {
      reasons.push(`behind ${peer.label} (${Math.round(peer.best)} vs ${Math.round(ours.best)} req/s)`);
    }
    return {
      section: 'http',
      subject,
      ratio,
      pass: reasons.length === 0,
      detail: reasons.length === 0 ? `${ratio.toFixed(2)}x raw, ahead of every peer` : reasons.join('; '),
    };
  });
}
