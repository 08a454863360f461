import { measureDataLoss } from '../../../src/checks/data-loss.js';
import type { Comparison, Side } from '../../../src/checks/data.js';
import type { ProductionSide } from '../../../src/checks/production-side.js';
import type { TableInfo } from '../../../src/db/catalog.js';

const table = (name: string, persistence = 'p'): TableInfo =>
  ({
    schema: 'public',
    name,
    key: `public.${name}`,
    persistence,
    columns: [],
    primaryKey: [],
  }) as unknown as TableInfo;

const side = (count: number, sum: number, newestEpoch?: number): Side => ({
  ok: {
    table: 't',
    count: BigInt(count),
    sum: BigInt(sum),
    buckets: new Map(),
    bucketed: false,
    bucketBy: 'primary key',
    newestEpoch,
    ms: 1,
  },
});

const DAY = 86_400;
const snapshot: Comparison = { kind: 'snapshot', at: new Date(0) };

function production(fps: [string, Side][], over: Partial<ProductionSide> = {}): ProductionSide {
  return {
    tables: fps.map(([name]) => table(name)),
    fingerprints: new Map(fps.map(([name, s]) => [`public.${name}`, s])),
    custom: new Map(),
    ...over,
  };
}

test('a quiet database: tables equal at the restore point lose nothing, however old their newest row', () => {
  const loss = measureDataLoss({
    copyTables: [table('orders'), table('tags')],
    comparisonFor: () => snapshot,
    copy: new Map([
      ['public.orders', side(10, 99, 1000 - DAY)],
      ['public.tags', side(5, 7)],
    ]),
    production: production([
      ['orders', side(10, 99, 1000 - DAY)],
      ['tags', side(5, 7)],
    ]),
  });
  expect(loss).toEqual({ seconds: 0, equal: 2, extraOnly: 0, behind: [], unmeasured: [] });
});

test('a copy behind production loses the span between their newest watermarks', () => {
  const loss = measureDataLoss({
    copyTables: [table('orders'), table('events'), table('customers')],
    comparisonFor: () => snapshot,
    copy: new Map([
      ['public.orders', side(8, 90, 1000)],
      ['public.events', side(3, 5, 1000)],
      ['public.customers', side(2, 2, 500)],
    ]),
    production: production([
      ['orders', side(10, 99, 1600)],
      ['events', side(4, 6, 1100)],
      ['customers', side(2, 2, 500)],
    ]),
  });
  expect(loss.seconds).toBe(600);
  expect(loss.behind).toEqual([
    { table: 'public.orders', seconds: 600 },
    { table: 'public.events', seconds: 100 },
  ]);
  expect(loss.equal).toBe(1);
});

test('what cannot be dated is listed with the reason, never counted as equal', () => {
  const loss = measureDataLoss({
    copyTables: [table('locked'), table('changed'), table('drifting'), table('scratch', 'u'), table('empty')],
    comparisonFor: (t) =>
      t.persistence === 'u'
        ? { kind: 'skip', reason: 'unlogged' }
        : t.name === 'drifting'
          ? { kind: 'drift' }
          : snapshot,
    copy: new Map([
      ['public.locked', side(1, 1, 10)],
      ['public.changed', side(2, 3, 50)],
      ['public.drifting', side(2, 3)],
      ['public.empty', side(0, 0)],
    ]),
    production: production([
      ['locked', { error: 'not compared: SQLSTATE 55P03' }],
      ['changed', side(2, 4, 50)],
      ['drifting', side(3, 3)],
      ['empty', side(4, 4, 70)],
      ['gone', side(1, 1, 5)],
    ]),
  });
  expect(loss.seconds).toBeNull();
  expect(loss.equal).toBe(0);
  expect(loss.unmeasured.map((u) => u.table)).toEqual([
    'public.locked',
    'public.changed',
    'public.drifting',
    'public.empty',
    'public.gone',
  ]);
  expect(loss.unmeasured.find((u) => u.table === 'public.gone')!.reason).toBe('table missing on the copy');
});

test('production unread: every compared table is unmeasured', () => {
  const loss = measureDataLoss({
    copyTables: [table('orders')],
    comparisonFor: () => snapshot,
    copy: new Map([['public.orders', side(1, 1, 1)]]),
    production: production([], { error: 'connection refused' }),
  });
  expect(loss).toEqual({
    seconds: null,
    equal: 0,
    extraOnly: 0,
    behind: [],
    unmeasured: [{ table: 'public.orders', reason: 'not compared with production' }],
  });
});

test('a copy with only extra rows (production deleted or changed them later) lacks nothing', () => {
  const bucketed = (buckets: [number, number, number][]): Side => {
    const map = new Map(buckets.map(([id, count, sum]) => [id, { count: BigInt(count), sum: BigInt(sum) }]));
    const count = buckets.reduce((n, [, c]) => n + c, 0);
    const sum = buckets.reduce((n, [, , s]) => n + s, 0);
    const base = side(count, sum) as { ok: object };
    return { ok: { ...base.ok, buckets: map, bucketed: true } } as Side;
  };
  const extra = measureDataLoss({
    copyTables: [table('observations')],
    comparisonFor: () => snapshot,
    copy: new Map([
      [
        'public.observations',
        bucketed([
          [1, 3, 30],
          [2, 5, 50],
        ]),
      ],
    ]),
    production: production([
      [
        'observations',
        bucketed([
          [1, 3, 30],
          [2, 4, 41],
        ]),
      ],
    ]),
  });
  expect(extra).toEqual({ seconds: 0, equal: 0, extraOnly: 1, behind: [], unmeasured: [] });

  // A bucket with fewer rows on the copy is a missing row: not extra-only, never counted as no loss.
  const missing = measureDataLoss({
    copyTables: [table('observations')],
    comparisonFor: () => snapshot,
    copy: new Map([
      [
        'public.observations',
        bucketed([
          [1, 2, 20],
          [2, 5, 50],
        ]),
      ],
    ]),
    production: production([
      [
        'observations',
        bucketed([
          [1, 3, 30],
          [2, 4, 41],
        ]),
      ],
    ]),
  });
  expect(missing.extraOnly).toBe(0);
  expect(missing.seconds).toBeNull();
  expect(missing.unmeasured).toHaveLength(1);
});
