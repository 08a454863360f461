import { columnHashSql, hashKind, NULL_MARK, rowHashSql } from '../../../src/db/row-hash.js';
import type { ColumnInfo } from '../../../src/db/catalog.js';

const col = (name: string, baseType: string | null, notNull = false): ColumnInfo => ({
  name,
  attnum: 1,
  type: baseType ?? 'x',
  baseType,
  elementType: null,
  collatable: false,
  notNull,
});
const quote = { escapeIdentifier: (s: string): string => `"${s}"` };

test('PostgreSQL hashes that fold equal-comparing values are replaced by the text form', () => {
  for (const t of ['numeric', 'jsonb', 'float4', 'float8', '_int4', '_timestamptz', 'toString'])
    expect(hashKind(col('v', t))).toBe('text form');
  expect(hashKind(col('v', null))).toBe('text form');
  for (const t of ['int2', 'int4', 'oid', 'bool', 'uuid', 'text', 'varchar', 'bpchar', 'inet'])
    expect(hashKind(col('v', t))).toBe('typed');
  expect(hashKind(col('v', 'int8'))).toBe('int8');
});

test('dates and times hash the hex of their binary send form, not the hash PostgreSQL folds them with', () => {
  for (const t of ['timestamptz', 'timestamp', 'date', 'time', 'timetz', 'interval']) {
    expect(hashKind(col('v', t))).toBe('binary');
    expect(columnHashSql(col('v', t, true), 'x', 'h')).toBe(
      `pg_catalog.hashtextextended(pg_catalog.encode(pg_catalog.${t}_send((x)::pg_catalog.${t}), 'hex') COLLATE "C", (h))`,
    );
  }
  const nullable = columnHashSql(col('v', 'timestamptz'), 'x', 'h');
  expect(nullable).toContain(
    `coalesce(pg_catalog.encode(pg_catalog.timestamptz_send((x)::pg_catalog.timestamptz), 'hex') COLLATE "C", '')`,
  );
  expect(nullable).toContain(`(h) # CASE WHEN (x) IS NULL THEN ${NULL_MARK}::pg_catalog.int8 ELSE 0 END`);
});

test('a column step is seeded by the columns before it; NULL marks the seed', () => {
  expect(columnHashSql(col('a', 'uuid', true), 'x', 3)).toBe(
    'pg_catalog.uuid_hash_extended((x)::pg_catalog.uuid, (3))',
  );
  const nullable = columnHashSql(col('a', 'numeric'), 'x', 'h');
  expect(nullable).toContain('pg_catalog.hashtextextended(coalesce((x)::pg_catalog.text COLLATE "C", \'\')');
  expect(nullable).toContain(`(h) # CASE WHEN (x) IS NULL THEN ${NULL_MARK}::pg_catalog.int8 ELSE 0 END`);
  expect(columnHashSql(col('a', 'int8', true), 'x', 'h')).toBe(
    'pg_catalog.hashint8extended((x)::pg_catalog.int8, (h) # ((x)::pg_catalog.int8 >> 32))',
  );
  expect(columnHashSql(col('a', 'bpchar', true), 'x', 0)).toContain('pg_catalog.bpcharout');
});

test('the row hash is a chain, never an XOR of columns', () => {
  const sql = rowHashSql(quote, [col('a', 'int4', true), col('b', 'text', true)], 't');
  expect(sql).toBe(
    'pg_catalog.hashtextextended((t."b")::pg_catalog.text COLLATE "C", (pg_catalog.hashint4extended((t."a")::pg_catalog.int4, (0::pg_catalog.int8))))',
  );
  expect(rowHashSql(quote, [], 't')).toBe('0::pg_catalog.int8');
});

test('NULL_MARK is never an int8 shifted right by 32', () => {
  const mark = BigInt(NULL_MARK);
  const top33 = mark >> 31n;
  expect(top33 !== 0n && top33 !== -1n).toBe(true);
});
