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

/**
 * One verdict per framework and Node on req/s: ours against raw's floor, and ahead of every working
 * peer, each as the median of ratios taken within a round (see http/index.js). Where a diagnostic
 * switches AsyncLocalStorage on with no context at all (`als-on`), a miss says how much of it that
 * alone costs: no context mechanism can be cheaper than that.
 */
export function httpVerdicts(http) {
  return http.map((framework) => {
    const byKind = (kind) => framework.variants.filter((v) => v.kind === kind);
    const [ours] = byKind('ours');
    const [raw] = byKind('raw');
    const subject = framework.node === undefined ? framework.label : `${framework.label} on Node ${framework.node}`;
    if (ours.problems.length > 0 || ours.ratio === undefined) {
      return { section: 'http', subject, pass: false, detail: `adapter failed: ${ours.problems[0]}` };
    }
    if (raw.problems.length > 0 || raw.best === undefined) {
      return { section: 'http', subject, pass: false, detail: `raw baseline failed: ${raw.problems[0]}` };
    }
    const { ratio } = ours;
    const peersAhead = byKind('peer').filter((peer) => peer.problems.length === 0 && peer.ratio > ratio);
    const reasons = [];
    if (ratio < httpTargets.minRatioVsRaw) {
      const alsOn = framework.variants.find((v) => v.id === 'als-on' && v.problems.length === 0 && v.ratio !== undefined);
      const alsNote = alsOn === undefined ? '' : `; AsyncLocalStorage switched on alone: ${alsOn.ratio.toFixed(2)}x raw`;
      reasons.push(`${ratio.toFixed(2)}x raw (target >= ${httpTargets.minRatioVsRaw}x${alsNote})`);
    }
    for (const peer of peersAhead) reasons.push(`behind ${peer.label} (${peer.ratio.toFixed(2)}x vs ${ratio.toFixed(2)}x raw)`);
    return {
      section: 'http',
      subject,
      ratio,
      pass: reasons.length === 0,
      detail: reasons.length === 0 ? `${ratio.toFixed(2)}x raw, ahead of every peer` : reasons.join('; '),
    };
  });
}
