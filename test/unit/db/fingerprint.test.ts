import { columnHashSql } from '../../../src/db/fingerprint.js';
import type { ColumnInfo } from '../../../src/db/catalog.js';

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

test('column hashes use typed hash functions, a pinned collation and a NULL stand-in', () => {
  expect(columnHashSql(col('a', 'uuid'), 'x', 3)).toBe(
    'coalesce(pg_catalog.uuid_hash_extended((x)::pg_catalog.uuid, 3), -4)',
  );
  expect(columnHashSql(col('a', 'text'), 'x', 1)).toContain('COLLATE "C"');
  expect(columnHashSql(col('a', null), 'x', 1)).toContain('hashtextextended((x)::pg_catalog.text');
  expect(columnHashSql(col('a', 'timestamptz'), 'x', 1)).toContain('timestamp_hash_extended');
});
