import { comparedUpTo, watermarkFor, unknownWatermarks } from '../../../src/checks/watermark.js';
import type { ColumnInfo, TableInfo } from '../../../src/db/catalog.js';

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

test('watermark detection prefers updated_at-style columns and honours the checks file', () => {
  expect(watermarkFor(table)).toEqual({
    column: 'updated_at',
    updateStyle: true,
    isDate: false,
    nullable: true,
  });
  expect(watermarkFor(table, { 'public.t': 'created_at' })).toEqual({
    column: 'created_at',
    updateStyle: false,
    isDate: false,
    nullable: true,
  });
  expect(watermarkFor(table, { 'public.t': 'none' })).toBeUndefined();
  expect(watermarkFor({ ...table, columns: [col('id', 'int8'), col('updated_at', 'text')] })).toBeUndefined();
});

test('configured watermark columns missing on the copy are named; none and existing columns are not', () => {
  expect(
    unknownWatermarks([table], {
      'public.t': 'created_at',
      'public.u': 'updated_at',
      'public.v': 'none',
    }),
  ).toEqual(['public.u.updated_at']);
  expect(unknownWatermarks([table], { 'public.t': 'changed_at' })).toEqual(['public.t.changed_at']);
  expect(unknownWatermarks([table])).toEqual([]);
});

test('a date watermark compares only the days before the restore point; a timestamp compares up to it', () => {
  const restorePoint = new Date('2026-03-10T15:30:00.000Z');
  const dated = watermarkFor({
    ...table,
    columns: [col('id', 'int8'), col('created_on', 'date', { notNull: true })],
  })!;
  expect(dated).toEqual({ column: 'created_on', updateStyle: false, isDate: true, nullable: false });
  // The session is UTC: a date is its UTC midnight, so <= 2026-03-09T23:59:59.999Z keeps the 9th, not the 10th.
  expect(comparedUpTo(dated, restorePoint).toISOString()).toBe('2026-03-09T23:59:59.999Z');
  expect(comparedUpTo(watermarkFor(table)!, restorePoint)).toEqual(restorePoint);
});
