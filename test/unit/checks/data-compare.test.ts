import { compareTable } from '../../../src/checks/data.js';
import { differingBuckets, type Bucket, type TableFingerprint } from '../../../src/db/fingerprint.js';

function fp(buckets: [number, number, number][]): TableFingerprint {
  const map = new Map<number, Bucket>(buckets.map(([b, n, s]) => [b, { count: BigInt(n), sum: BigInt(s) }]));
  let count = 0n;
  let sum = 0n;
  for (const v of map.values()) {
    count += v.count;
    sum += v.sum;
  }
  return { table: 'public.t', count, sum, buckets: map, bucketed: true, bucketBy: 'primary key', ms: 5 };
}

test('equal fingerprints pass both counts and checksums', () => {
  const a = fp([
    [1, 10, 100],
    [2, 5, -7],
  ]);
  const [counts, sums] = compareTable(
    'public.t',
    { kind: 'snapshot', at: new Date() },
    { ok: a },
    {
      ok: fp([
        [1, 10, 100],
        [2, 5, -7],
      ]),
    },
  );
  expect(counts).toMatchObject({
    id: 'counts:public.t',
    category: 'counts',
    status: 'pass',
    measured: 15,
    expected: 15,
  });
  expect(sums).toMatchObject({ id: 'checksums:public.t', category: 'checksums', status: 'pass' });
});

test('a mismatch names buckets and counts, and drift is a warn', () => {
  const prod = fp([
    [1, 10, 100],
    [2, 5, -7],
  ]);
  const copy = fp([
    [1, 10, 101],
    [2, 4, -9],
  ]);
  expect(differingBuckets(prod.buckets, copy.buckets)).toEqual([
    { bucket: 1, countDelta: 0n },
    { bucket: 2, countDelta: -1n },
  ]);
  const [counts, sums] = compareTable(
    'public.t',
    { kind: 'snapshot', at: new Date() },
    { ok: prod },
    { ok: copy },
  );
  expect(counts.status).toBe('fail');
  expect(sums.summary).toContain('2 primary key hash buckets differ (1, 2); row count -1');
  const drift = compareTable('public.t', { kind: 'drift' }, { ok: prod }, { ok: copy });
  expect(drift.map((c) => c.status)).toEqual(['warn', 'warn']);
});

test('update-style watermark: only extra copy rows is a warn, a missing row a fail', () => {
  const w = { kind: 'watermark', column: 'updated_at', updateStyle: true, notAfter: new Date() } as const;
  const prod = fp([[1, 10, 100]]);
  expect(compareTable('public.t', w, { ok: prod }, { ok: fp([[1, 11, 150]]) })[1]!.status).toBe('warn');
  expect(compareTable('public.t', w, { ok: prod }, { ok: fp([[1, 9, 50]]) })[1]!.status).toBe('fail');
  expect(
    compareTable('public.t', { ...w, updateStyle: false }, { ok: prod }, { ok: fp([[1, 11, 150]]) })[1]!
      .status,
  ).toBe('fail');
});
