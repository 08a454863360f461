import { compareTable } from '../../../src/checks/data.js';
import { compareSchemaKind } from '../../../src/checks/schema.js';
import { comparePrivileges, compareRoles, accessChecks } from '../../../src/checks/access.js';
import { encryptionChecks, kmsKeyIdentity } from '../../../src/checks/encryption.js';
import { watermarkFor } from '../../../src/checks/watermark.js';
import {
  columnHashSql,
  differingBuckets,
  type Bucket,
  type TableFingerprint,
} from '../../../src/db/fingerprint.js';
import { safeError } from '../../../src/db/session.js';
import type { ColumnInfo, TableInfo } from '../../../src/db/catalog.js';
import type { Target } from '../../../src/model/types.js';

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

test('schema differences name the object', () => {
  const prod = new Map([
    ['public.a_idx', 'CREATE INDEX a_idx ON public.a USING btree (x)'],
    ['public.b_idx', 'CREATE INDEX b_idx ON public.b USING btree (y)'],
  ]);
  const copy = new Map([['public.a_idx', 'CREATE INDEX a_idx ON public.a USING btree (x)']]);
  const r = compareSchemaKind('indexes', prod, copy, 3);
  expect(r).toMatchObject({ id: 'schema:indexes', status: 'fail' });
  expect(r.summary).toBe('1 index difference; missing on copy: public.b_idx');
  const cols = compareSchemaKind(
    'columns',
    new Map([['public.a.x', 'integer']]),
    new Map([['public.a.x', 'bigint']]),
    1,
  );
  expect(cols.summary).toContain('public.a.x (integer on production, bigint on copy)');
});

test('roles and privileges differences', () => {
  const roles = compareRoles(
    new Map([['app', 'superuser=false login=true createrole=false bypassrls=false']]),
    new Map([['app', 'superuser=true login=true createrole=false bypassrls=false']]),
    1,
  );
  expect(roles.status).toBe('fail');
  expect(roles.summary).toContain('app superuser=true on copy');
  const privs = comparePrivileges(
    new Set(['public.t app SELECT', 'public.t app INSERT']),
    new Set(['public.t app SELECT']),
    1,
  );
  expect(privs.summary).toContain('missing on copy: public.t app INSERT');
});

const target = (over: Partial<Target> = {}): Target => ({
  provider: 'aurora',
  restoredCluster: 'restore-proof-x',
  restoreType: 'latest',
  source: {
    identifier: 'prod',
    engine: 'aurora-postgresql',
    storageEncrypted: true,
    kmsKeyId: 'arn:aws:kms:eu-west-1:123456789012:key/1111-2222',
    iamDatabaseAuthentication: true,
    vpcSecurityGroupIds: ['sg-1'],
  },
  copy: {
    storageEncrypted: true,
    kmsKeyId: '1111-2222',
    iamDatabaseAuthentication: true,
    vpcSecurityGroupIds: ['sg-1'],
    publiclyAccessible: false,
  },
  connection: { host: 'h', port: 5432, database: 'd', user: 'u', password: 'p', sslMode: 'verify-full' },
  ...over,
});

test('encryption and access from the provider description', () => {
  expect(kmsKeyIdentity('arn:aws:kms:eu-west-1:1:key/abc')).toBe('abc');
  expect(encryptionChecks({}, target()).map((c) => c.status)).toEqual(['pass', 'pass']);
  expect(encryptionChecks({ kmsKeyId: 'other' }, target())[1]!.status).toBe('fail');
  const t = target({ copy: { ...target().copy, publiclyAccessible: true, vpcSecurityGroupIds: ['sg-2'] } });
  expect(accessChecks({}, t).map((c) => [c.id, c.status])).toEqual([
    ['access:public', 'fail'],
    ['access:iam-auth', 'pass'],
    ['access:security-groups', 'fail'],
  ]);
  expect(accessChecks({ vpcSecurityGroupIds: ['sg-2'] }, t)[2]!.status).toBe('pass');
  const local = target({ source: { identifier: 'x', engine: 'postgres' }, copy: {} });
  expect([...encryptionChecks({}, local), ...accessChecks({}, local)].every((c) => c.status === 'skip')).toBe(
    true,
  );
});

const col = (name: string, baseType: string | null, extra: Partial<ColumnInfo> = {}): ColumnInfo => ({
  name,
  attnum: 1,
  type: baseType ?? 'x',
  baseType,
  elementType: null,
  collatable: false,
  notNull: false,
  ...extra,
});

test('watermark detection prefers updated_at-style columns and honours the checks file', () => {
  const table: TableInfo = {
    schema: 'public',
    name: 't',
    key: 'public.t',
    persistence: 'p',
    columns: [
      col('id', 'int8'),
      col('created_at', 'timestamptz'),
      col('updated_at', 'timestamptz'),
      col('note', 'text'),
    ],
    primaryKey: ['id'],
    sequences: [],
    estimatedRows: 0,
  };
  expect(watermarkFor(table)).toEqual({ column: 'updated_at', updateStyle: true });
  expect(watermarkFor(table, { 'public.t': 'created_at' })).toEqual({
    column: 'created_at',
    updateStyle: false,
  });
  expect(watermarkFor(table, { 'public.t': 'none' })).toBeUndefined();
  expect(watermarkFor({ ...table, columns: [col('id', 'int8'), col('updated_at', 'text')] })).toBeUndefined();
});

test('column hashes use typed hash functions, a pinned collation and a NULL stand-in', () => {
  expect(columnHashSql(col('a', 'uuid'), 'x', 3)).toBe(
    'coalesce(pg_catalog.uuid_hash_extended((x)::pg_catalog.uuid, 3), -4)',
  );
  expect(columnHashSql(col('a', 'text'), 'x', 1)).toContain('COLLATE "C"');
  expect(columnHashSql(col('a', null), 'x', 1)).toContain('hashtextextended((x)::pg_catalog.text');
  expect(columnHashSql(col('a', 'timestamptz'), 'x', 1)).toContain('timestamp_hash_extended');
});

test('error text keeps quoted values out', () => {
  const e = Object.assign(new Error('invalid input syntax for type integer: "SECRET"'), { code: '22P02' });
  expect(safeError(e)).toBe('SQLSTATE 22P02: invalid input syntax for type integer: "…"');
  expect(safeError(new Error('Key (email)=(a@b.c) already exists'))).not.toContain('a@b.c');
});
