// The comparison the express-app test rests on must see a line that moved to another request, a
// missing line and a changed field, and must not see what differs between any two runs.
import { describe, expect, it } from 'vitest';
import { differencesBetween, groupByRequestId, shapesOfJobs } from './support/log-lines.js';

const line = (requestId: string, msg: string, extra: Record<string, unknown> = {}) => ({
  level: 30, time: 1, pid: 10, hostname: 'a', requestId, msg, ...extra,
});

const beforeLines: Record<string, unknown>[] = [
  line('a', 'request received'),
  line('b', 'request received'),
  line('a', 'kv get', { key: 'orders/user-1' }),
  line('b', 'kv get', { key: 'orders/user-2' }),
  line('startup-1', 'warm-up started'),
  { level: 30, msg: 'listening', port: 1234 },
];

describe('groupByRequestId and differencesBetween', () => {
  it('find nothing between runs that differ only in time, pid, host and key order', () => {
    const rerun = beforeLines.map((l) => ({ ...Object.fromEntries(Object.entries(l).reverse()), time: 99, pid: 20, hostname: 'b' }));
    expect(differencesBetween(groupByRequestId(beforeLines), groupByRequestId(rerun), ['a', 'b'])).toEqual([]);
  });

  it('report a line logged under the other request, at the position where the groups part', () => {
    const moved = [...beforeLines];
    moved[3] = line('a', 'kv get', { key: 'orders/user-2' });
    const differences = differencesBetween(groupByRequestId(beforeLines), groupByRequestId(moved), ['a', 'b']);
    expect(differences).toHaveLength(2);
    expect(differences[0]).toMatch(/^a: line 3 of 2 before \/ 3 after/);
    expect(differences[1]).toMatch(/^b: line 2 of 2 before \/ 1 after/);
  });

  it('report a changed field and a request that logged nothing', () => {
    const changed = beforeLines.filter((l) => l.requestId !== 'b').map((l) => (l.msg === 'kv get' ? { ...l, key: 'x' } : l));
    const differences = differencesBetween(groupByRequestId(beforeLines), groupByRequestId(changed), ['a', 'b']);
    expect(differences[0]).toContain('"key":"x"');
    expect(differences[1]).toMatch(/^b: line 1 of 2 before \/ 0 after/);
  });

  it('leave lines without a request id out of the groups', () => {
    expect([...groupByRequestId(beforeLines).keys()]).toEqual(['a', 'b', 'startup-1']);
  });
});

describe('shapesOfJobs', () => {
  it('gives each distinct message sequence of the jobs with the prefix once', () => {
    const groups = groupByRequestId([
      line('sweep-1', 'sweep started'), line('sweep-1', 'sweep finished'),
      line('sweep-2', 'sweep started'), line('sweep-2', 'sweep finished'),
      line('sweep-3', 'sweep started'), line('sweep-3', 'kv delete'), line('sweep-3', 'sweep finished'),
      line('other', 'sweep started'),
    ]);
    expect(shapesOfJobs(groups, 'sweep-')).toEqual([
      'sweep started → kv delete → sweep finished',
      'sweep started → sweep finished',
    ]);
  });
});
