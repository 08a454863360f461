import { planComparisons } from '../../../src/checks/comparison-plan.js';
import type { ColumnInfo, TableInfo } from '../../../src/db/catalog.js';

const column = (name: string, baseType: string): ColumnInfo => ({
  name,
  attnum: 1,
  type: baseType,
  baseType,
  elementType: null,
  collatable: false,
  notNull: false,
});
const table = (key: string, columns: ColumnInfo[], persistence = 'p'): TableInfo => {
  const [schema, name] = key.split('.') as [string, string];
  return { schema, name, key, persistence, columns, primaryKey: ['id'], sequences: [], estimatedRows: 0 };
};

const orders = table('public.orders', [column('id', 'int8'), column('updated_at', 'timestamptz')]);
const tags = table('public.tags', [column('id', 'int8'), column('label', 'text')]);
const cache = table('public.cache', [column('id', 'int8')], 'u');
const tables = [orders, tags, cache];
const pinnedAt = new Date('2026-01-01T00:00:00Z');

test('a copy restored to the pinned instant is compared inside the snapshot', () => {
  const plan = planComparisons({
    tables,
    hasProduction: true,
    pinnedAt,
    restorePoint: new Date(+pinnedAt + 999),
  });
  expect(plan).toMatchObject({ pinned: true, live: false });
  expect(plan.comparisonFor(orders)).toEqual({ kind: 'snapshot', at: pinnedAt });
  expect(plan.filterFor(orders)).toEqual({});
  expect(plan.comparisonFor(cache)).toMatchObject({
    kind: 'skip',
    reason: expect.stringContaining('unlogged'),
  });
  expect(planComparisons({ tables, hasProduction: true, pinnedAt }).pinned).toBe(true);
});

test('a copy restored elsewhere is compared with production now, by watermark or as drift', () => {
  const restorePoint = new Date(+pinnedAt + 1000);
  const plan = planComparisons({ tables, hasProduction: true, pinnedAt, restorePoint });
  expect(plan).toMatchObject({ pinned: false, live: true });
  expect(plan.comparisonFor(orders)).toEqual({
    kind: 'watermark',
    column: 'updated_at',
    updateStyle: true,
    notAfter: restorePoint,
  });
  expect(plan.filterFor(orders)).toEqual({ watermark: { column: 'updated_at', notAfter: restorePoint } });
  expect(plan.comparisonFor(tags)).toEqual({ kind: 'drift' });
  expect(plan.filterFor(tags)).toEqual({});
  expect(plan.watermarkOf(orders)?.column).toBe('updated_at');
  expect(plan.watermarkOf(tags)).toBeUndefined();
});

test("the checks file's watermarks decide, and no restore point means drift", () => {
  const restorePoint = new Date(+pinnedAt + 60_000);
  const none = planComparisons({
    tables,
    hasProduction: true,
    restorePoint,
    configuredWatermarks: { 'public.orders': 'none' },
  });
  expect(none.comparisonFor(orders)).toEqual({ kind: 'drift' });
  expect(planComparisons({ tables, hasProduction: true }).comparisonFor(orders)).toEqual({ kind: 'drift' });
});

test('without a production-url every table is a skip and nothing is read from production', () => {
  const plan = planComparisons({ tables, hasProduction: false, restorePoint: pinnedAt });
  expect(plan).toMatchObject({ pinned: false, live: false });
  expect(plan.comparisonFor(orders)).toEqual({
    kind: 'skip',
    reason: 'no production-url: comparison skipped',
  });
  expect(plan.filterFor(orders)).toEqual({});
});

test('a watermark comparison names the rows it leaves out: NULL watermarks, and the restore day of a date', () => {
  const notNull = (c: ColumnInfo): ColumnInfo => ({ ...c, notNull: true });
  const events = table('public.events', [column('id', 'int8'), column('created_at', 'timestamptz')]);
  const strict = table('public.strict', [column('id', 'int8'), notNull(column('created_at', 'timestamptz'))]);
  const visits = table('public.visits', [column('id', 'int8'), notNull(column('created_on', 'date'))]);
  const restorePoint = new Date('2026-01-05T10:00:00Z');
  const plan = planComparisons({ tables: [events, strict, visits, tags], hasProduction: true, restorePoint });
  expect(plan.coverageOf(events)).toEqual({ column: 'created_at', nullable: true });
  expect(plan.coverageOf(strict)).toBeUndefined();
  expect(plan.coverageOf(visits)).toEqual({
    column: 'created_on',
    nullable: false,
    restoreDay: '2026-01-05',
  });
  expect(plan.coverageOf(tags)).toBeUndefined();
  expect(plan.comparisonFor(visits)).toMatchObject({
    kind: 'watermark',
    notAfter: new Date('2026-01-04T23:59:59.999Z'),
  });
  // Inside the pinned snapshot nothing is left out.
  const pinned = planComparisons({
    tables: [events],
    hasProduction: true,
    pinnedAt: restorePoint,
    restorePoint,
  });
  expect(pinned.coverageOf(events)).toBeUndefined();
});

test('relations whose rows are not in the backup or cannot be read are skips with their reason', () => {
  const foreign: TableInfo = { ...tags, key: 'public.remote', kind: 'foreign table' };
  const empty: TableInfo = { ...tags, key: 'public.mv', kind: 'materialized view', populated: false };
  const view: TableInfo = {
    ...orders,
    key: 'public.mv2',
    kind: 'materialized view',
    populated: true,
  };
  const restorePoint = new Date(+pinnedAt + 5000);
  const plan = planComparisons({
    tables: [foreign, empty, view],
    hasProduction: true,
    pinnedAt,
    restorePoint,
  });
  expect(plan.comparisonFor(foreign)).toMatchObject({
    kind: 'skip',
    reason: expect.stringContaining('foreign table'),
  });
  expect(plan.comparisonFor(empty)).toMatchObject({
    kind: 'skip',
    reason: expect.stringContaining('materialized view not populated'),
  });
  // A materialized view holds its last REFRESH: no watermark, so drift against production now.
  expect(plan.comparisonFor(view)).toEqual({ kind: 'drift' });
  expect(plan.watermarkOf(view)).toBeUndefined();
  const pinned = planComparisons({ tables: [view], hasProduction: true, pinnedAt });
  expect(pinned.comparisonFor(view)).toEqual({ kind: 'snapshot', at: pinnedAt });
});
