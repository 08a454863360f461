import { listedSql, notVisible, notVisibleSql, parseSnapshotVisibility } from '../../../src/db/in-flight.js';
import type { TableFingerprint } from '../../../src/db/fingerprint.js';
import { settlement, subtract } from '../../../src/checks/in-flight.js';
import { setAsideNote } from '../../../src/checks/data.js';

const vis = parseSnapshotVisibility('1000:1005:1001,1003');

test('parses pg_current_snapshot() text and refuses anything else', () => {
  expect(vis).toEqual({ xmin: 1000n, xmax: 1005n, xip: [1001n, 1003n] });
  expect(parseSnapshotVisibility('7:7:')).toEqual({ xmin: 7n, xmax: 7n, xip: [] });
  expect(() => parseSnapshotVisibility('7:7:x')).toThrow(/pg_current_snapshot/);
});

test('in flight: in progress at the snapshot, or started after it and below the ceiling', () => {
  const bounded = { ...vis, ceiling: 1010n };
  expect(notVisible(999n, bounded)).toBe(false); // committed before the snapshot
  expect(notVisible(1002n, bounded)).toBe(false); // finished before the snapshot
  expect(notVisible(1003n, bounded)).toBe(true); // in progress
  expect(notVisible(1005n, bounded)).toBe(true); // started after
  expect(notVisible(1009n, bounded)).toBe(true);
  expect(notVisible(1010n, bounded)).toBe(false); // past the ceiling: the copy's own, say
  expect(notVisible(2n, bounded)).toBe(false); // frozen
  expect(notVisible(50_000n, vis)).toBe(true); // no ceiling: anything after xmax
});

test('an xmax may be a MultiXactId: one created after the snapshot and before the ceiling counts', () => {
  const v = { ...parseSnapshotVisibility('1000:1005:', 40n), ceiling: 1010n, multiCeiling: 45n };
  expect(notVisible(42n, v, 'xmax')).toBe(true); // a MultiXactId created in flight
  expect(notVisible(42n, v)).toBe(false); // an xmin is never a MultiXactId
  expect(notVisible(39n, v, 'xmax')).toBe(false); // created before the snapshot
  expect(notVisible(45n, v, 'xmax')).toBe(false); // after the ceiling
  expect(notVisible(1006n, v, 'xmax')).toBe(true); // still a transaction id in flight
  expect(notVisibleSql('xmax', v)).toContain('- 40 +');
  expect(notVisibleSql('xmin', v)).not.toContain('- 40 +');
});

test('ids compare modulo 2^32 across wraparound, as PostgreSQL compares them', () => {
  const epoch = 1n << 32n;
  const wrapped = { xmin: 3n * epoch - 10n, xmax: 3n * epoch - 5n, xip: [], ceiling: 3n * epoch + 20n };
  expect(notVisible(epoch - 6n, wrapped)).toBe(false);
  expect(notVisible(epoch - 5n, wrapped)).toBe(true);
  expect(notVisible(10n, wrapped)).toBe(true); // after the wrap, below the ceiling
  expect(notVisible(30n, wrapped)).toBe(false);
  const sql = notVisibleSql('xmin', wrapped);
  expect(sql).toContain(`- ${epoch - 5n} +`);
  expect(sql).toContain('< 25');
});

test('a settlement sets aside listed rows the copy holds, and lacking ones only when proven changed', () => {
  const listed = [
    { hash: '11', bucket: 1, xmax: 1003n, key: 'a' }, // still in the copy (its change had not committed)
    { hash: '-7', bucket: 2, xmax: 1007n, key: 'b' }, // gone: deleted by a transaction in flight (its xmax)
    { hash: '5', bucket: 3, xmax: 40n, key: 'c' }, // gone: a MultiXactId, but the copy holds a newer row under c
    { hash: '9', bucket: 4, xmax: 40n, key: 'd' }, // gone, nothing proves why: stays a difference
  ];
  const v = { ...vis, ceiling: 1010n };
  const copyKeys = new Set(['c']);
  const s = settlement(listed, new Map([['11', 5n]]), (r) => notVisible(r.xmax, v) || copyKeys.has(r.key));
  expect(s.production).toEqual(
    new Map([
      [1, { count: 1n, sum: 11n }],
      [2, { count: 1n, sum: -7n }],
      [3, { count: 1n, sum: 5n }],
    ]),
  );
  expect(s.copy).toEqual(new Map([[1, { count: 1n, sum: 11n }]]));
  expect(s.stillInCopy).toBe(1n);
});

test('subtracting keeps totals and buckets consistent', () => {
  const fp = {
    table: 'public.t',
    count: 10n,
    sum: 100n,
    buckets: new Map([
      [1, { count: 4n, sum: 40n }],
      [2, { count: 6n, sum: 60n }],
    ]),
    bucketed: true,
    bucketBy: 'primary key',
    ms: 1,
  } as TableFingerprint;
  const out = subtract(fp, new Map([[2, { count: 1n, sum: 9n }]]));
  expect([out.count, out.sum]).toEqual([9n, 91n]);
  expect(out.buckets.get(2)).toEqual({ count: 5n, sum: 51n });
  expect(fp.buckets.get(2)).toEqual({ count: 6n, sum: 60n });
  expect(setAsideNote({ ...fp, inFlight: { rows: 3n, changing: 2n, stillInCopy: 1n } })).toMatch(
    /3 only in the copy, 2 of production's snapshot changed or deleted by them/,
  );
  expect(setAsideNote(fp)).toBeUndefined();
});

test('production lists MultiXactIds only as far back as there are any', () => {
  const none = parseSnapshotVisibility('1000:1005:', 1n);
  expect(listedSql(none)).not.toMatch(/>= 1 AND/);
  const young = parseSnapshotVisibility('1000:1005:', 501n);
  expect(listedSql(young)).toContain('- 1 +'); // from MultiXactId 1
  const old = parseSnapshotVisibility('1000:1005:', 5_000_001n);
  expect(listedSql(old)).toContain('- 4000001 +');
});
