import { LOCKED_OUT } from '../../../src/checks/fingerprint-pass.js';
import { catalogChecks, countsAndChecksums } from '../../../src/checks/table-checks.js';
import type { CatalogSide } from '../../../src/checks/catalog-side.js';
import type { Comparison, Side } from '../../../src/checks/data.js';
import type { ProductionSide } from '../../../src/checks/production-side.js';
import { SCHEMA_KINDS, type SchemaKind, type TableInfo } from '../../../src/db/catalog.js';

const catalog = (extra: Partial<Record<SchemaKind, [string, string][]>> = {}): CatalogSide => ({
  objects: Object.fromEntries(SCHEMA_KINDS.map((k) => [k, new Map(extra[k] ?? [])])) as Record<
    SchemaKind,
    Map<string, string>
  >,
  roles: new Map([['app', 'superuser=false']]),
  privileges: new Set(['public.t app SELECT']),
});

const production = (over: Partial<ProductionSide> = {}): ProductionSide => ({
  ...catalog(),
  tables: [],
  fingerprints: new Map(),
  custom: new Map(),
  ...over,
});

test('catalog checks: one per schema kind plus roles and privileges; excluded tables ignored', () => {
  const copy = catalog({ tables: [['public.audit', 'p']] });
  const checks = catalogChecks(production(), copy, 7, { checks: [], 'exclude-tables': ['public.audit'] });
  expect(checks.map((c) => c.id)).toEqual([
    ...SCHEMA_KINDS.map((k) => `schema:${k}`),
    'access:roles',
    'access:table-privileges',
  ]);
  expect(checks.every((c) => c.status === 'pass')).toBe(true);
  expect(catalogChecks(production(), copy, 7, { checks: [] })[0]).toMatchObject({
    id: 'schema:tables',
    status: 'fail',
  });
});

test('catalog checks without production: a skip, or an error naming why production is unread', () => {
  expect(catalogChecks(undefined, catalog(), 0, { checks: [] }).map((c) => [c.id, c.status])).toEqual([
    ['schema:all', 'skip'],
    ['access:roles', 'skip'],
    ['access:table-privileges', 'skip'],
  ]);
  const unread = catalogChecks(
    { tables: [], fingerprints: new Map(), custom: new Map(), error: 'connection refused' },
    catalog(),
    0,
    { checks: [] },
  );
  expect(unread.map((c) => c.status)).toEqual(['error', 'error', 'error']);
  expect(unread[0]!.summary).toBe('production could not be read: connection refused');
});

const table = (key: string): TableInfo => {
  const [schema, name] = key.split('.') as [string, string];
  return {
    schema,
    name,
    key,
    persistence: 'p',
    columns: [],
    primaryKey: [],
    sequences: [],
    estimatedRows: 0,
  };
};
const side = (count: number, sum: number): Side => ({
  ok: {
    table: 't',
    count: BigInt(count),
    sum: BigInt(sum),
    buckets: new Map(),
    bucketed: false,
    bucketBy: 'primary key',
    ms: 1,
  },
});
const snapshot: Comparison = { kind: 'snapshot', at: new Date('2026-01-01T00:00:00Z') };
const statuses = (checks: { id: string; status: string }[]): string[][] =>
  checks.map((c) => [c.id, c.status]);

test('counts and checksums: equal, only on the copy, only on production', () => {
  const copyTables = [table('public.a'), table('public.new')];
  const copyFps = new Map([
    ['public.a', side(3, 10)],
    ['public.new', side(1, 1)],
  ]);
  const prod = production({
    tables: [table('public.a'), table('public.gone')],
    fingerprints: new Map([
      ['public.a', side(3, 10)],
      ['public.gone', side(2, 2)],
    ]),
  });
  const checks = countsAndChecksums(copyTables, copyFps, prod, () => snapshot);
  expect(statuses(checks)).toEqual([
    ['counts:public.a', 'pass'],
    ['checksums:public.a', 'pass'],
    ['counts:public.new', 'skip'],
    ['checksums:public.new', 'skip'],
    ['counts:public.gone', 'fail'],
    ['checksums:public.gone', 'fail'],
  ]);
  expect(checks[2]!.summary).toBe('table not on production');
  expect(checks[4]!.summary).toBe('table missing on the copy');
});

test('counts and checksums: unread production is an error per table; a skip still reports the copy', () => {
  const copyTables = [table('public.a'), table('public.b')];
  const copyFps = new Map([['public.a', side(3, 10)]]);
  const unread = countsAndChecksums(
    copyTables,
    copyFps,
    { tables: [], fingerprints: new Map(), custom: new Map(), error: 'timeout' },
    () => snapshot,
  );
  expect(unread.map((c) => c.status)).toEqual(['error', 'error', 'error', 'error']);
  expect(unread[2]!.summary).toContain('cannot read the table on the copy: not read');
  const skip: Comparison = { kind: 'skip', reason: 'no production-url: comparison skipped' };
  const skipped = countsAndChecksums(copyTables, copyFps, undefined, () => skip);
  expect(statuses(skipped)).toEqual([
    ['counts:public.a', 'skip'],
    ['checksums:public.a', 'skip'],
    ['counts:public.b', 'skip'],
    ['checksums:public.b', 'skip'],
  ]);
  expect(skipped[0]!.summary).toBe('no production-url: comparison skipped; copy has 3 rows');
  expect(skipped[2]!.summary).toBe('no production-url: comparison skipped');
});

test('rows deleted on production after the restore point warn; a changed row in the same table fails', () => {
  const t: TableInfo = {
    schema: 'public',
    name: 'events',
    key: 'public.events',
    persistence: 'p',
    columns: [],
    primaryKey: ['id'],
    sequences: [],
    estimatedRows: 0,
  };
  const fp = (buckets: [number, number, number][]): Side => ({
    ok: {
      table: t.key,
      count: buckets.reduce((n, [, c]) => n + BigInt(c), 0n),
      sum: buckets.reduce((n, [, , s]) => n + BigInt(s), 0n),
      buckets: new Map(buckets.map(([b, c, s]) => [b, { count: BigInt(c), sum: BigInt(s) }])),
      bucketed: true,
      bucketBy: 'primary key',
      ms: 1,
    },
  });
  const created: Comparison = {
    kind: 'watermark',
    column: 'created_at',
    updateStyle: false,
    notAfter: new Date('2026-01-01T00:00:00Z'),
  };
  const prod = production({
    tables: [t],
    fingerprints: new Map([
      [
        t.key,
        fp([
          [1, 10, 100],
          [2, 5, 50],
        ]),
      ],
    ]),
  });
  const deleted = countsAndChecksums(
    [t],
    new Map([
      [
        t.key,
        fp([
          [1, 11, 130],
          [2, 5, 50],
        ]),
      ],
    ]),
    prod,
    () => created,
  );
  expect(deleted.map((c) => c.status)).toEqual(['warn', 'warn']);
  expect(deleted[1]!.summary).toContain('only extra rows on the copy');
  const changed = countsAndChecksums(
    [t],
    new Map([
      [
        t.key,
        fp([
          [1, 11, 130],
          [2, 5, 51],
        ]),
      ],
    ]),
    prod,
    () => created,
  );
  expect(changed[1]!.status).toBe('fail');
});

test('a production table locked past lock_timeout is not compared, said as such, a warn', () => {
  const t = { schema: 'public', name: 'tags', key: 'public.tags', persistence: 'p' } as TableInfo;
  const copy: Side = {
    ok: {
      table: t.key,
      count: 3n,
      sum: 1n,
      buckets: new Map(),
      bucketed: false,
      bucketBy: 'primary key',
      ms: 1,
    },
  };
  const checks = countsAndChecksums(
    [t],
    new Map([[t.key, copy]]),
    production({
      tables: [t],
      fingerprints: new Map([[t.key, { error: `${LOCKED_OUT}: SQLSTATE 55P03: canceling statement` }]]),
    }),
    () => ({ kind: 'snapshot', at: new Date(0) }),
  );
  expect(checks.map((c) => [c.id, c.status])).toEqual([
    ['counts:public.tags', 'warn'],
    ['checksums:public.tags', 'warn'],
  ]);
  expect(checks[0]!.summary).toContain(
    'not compared: the table stayed locked past lock_timeout (retried once)',
  );
  expect(checks[0]!.summary).toContain('copy has 3 rows');
});

test('a materialized view populated on one side only: a fail inside the snapshot, a warn against production now', () => {
  const view = (populated: boolean): TableInfo => ({
    ...table('public.mv'),
    kind: 'materialized view',
    populated,
  });
  const judge = (
    copyPopulated: boolean,
    comparison: Comparison,
  ): { id: string; status: string; summary: string }[] =>
    countsAndChecksums(
      [view(copyPopulated)],
      new Map(copyPopulated ? [['public.mv', side(2, 5)]] : []),
      production({
        tables: [view(!copyPopulated)],
        fingerprints: new Map(copyPopulated ? [] : [['public.mv', side(2, 5)]]),
      }),
      (t) => (t.populated === false ? { kind: 'skip', reason: 'not populated' } : comparison),
    );
  const emptied = judge(false, snapshot);
  expect(statuses(emptied)).toEqual([
    ['counts:public.mv', 'fail'],
    ['checksums:public.mv', 'fail'],
  ]);
  expect(emptied[0]!.summary).toContain('populated on production, not on the copy');
  const filled = judge(true, { kind: 'drift' });
  expect(statuses(filled)).toEqual([
    ['counts:public.mv', 'warn'],
    ['checksums:public.mv', 'warn'],
  ]);
  expect(filled[0]!.summary).toContain('populated on the copy, not on production');
});
