// The few statistics the bench needs. Medians, not means: on a 2-core machine a single round that
// collides with GC or another process should not move the result.

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
