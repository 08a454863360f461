/**
 * data-diff's checksum, as it runs against PostgreSQL, reproduced for the bench. It mirrors datafold/data-diff
 * (its last release line, 0.11; reladiff, the fork, emits the same SQL):
 *
 * - data_diff/table_segment.py, TableSegment.count_and_checksum: one query per key segment,
 *   SELECT count(*), sum(<row checksum>) FROM "schema"."table" WHERE (lo <= key) AND (key < hi).
 *   The compared columns are the key columns followed by the extra columns (relevant_columns); here, every
 *   column of the table, so that data-diff compares what restore-proof compares.
 * - data_diff/abcs/mixins.py, AbstractMixin_NormalizeValue.normalize_value_by_type: each column becomes a
 *   string by its type (temporal, fractional, uuid, boolean, json, else to_string), with PostgreSQL's
 *   overrides in data_diff/databases/postgresql.py, PostgresqlDialect: normalize_timestamp (to_char at
 *   'YYYY-mm-dd HH24:MI:SS.US', rounded to the column's precision: ROUNDS_ON_PREC_LOSS is true, so the
 *   rounding branch with its least/greatest clamps and the added half interval), normalize_number
 *   (::decimal(38, scale)::varchar; a float's scale is its decimal digits less 2), normalize_boolean
 *   (::int::varchar), normalize_json (::text), to_string (::varchar, also uuids and integers).
 * - data_diff/databases/base.py, BaseDialect.render_checksum and render_concat: with more than one column,
 *   each normalized column is coalesced to '<null>', then coalesced again around a ::varchar inside the
 *   concatenation, and the columns are joined with '|' (PostgreSQL's concat is ||).
 * - data_diff/databases/postgresql.py, PostgresqlDialect.md5_as_int: ('x' || substring(md5(s), 21))
 *   ::bit(48)::bigint - CHECKSUM_OFFSET, with CHECKSUM_HEXDIGITS = 12 and CHECKSUM_OFFSET = CHECKSUM_MASK // 2
 *   = 2^47 - 1 (base.py), summed.
 * - Column types are read as data-diff reads them (Database.select_table_schema): data_type,
 *   datetime_precision, numeric_precision and numeric_scale from information_schema.columns.
 *
 * Segments: data_diff/diff_tables.py, TableDiffer._bisect_and_diff_tables, first asks each side for the key
 * range (TableSegment.query_key_range: min and max of the key, a uuid normalized to varchar before min/max),
 * then splits [min, max + 1) into bisection_factor = 32 segments (hashdiff_tables.py
 * DEFAULT_BISECTION_FACTOR; utils.split_space) and checksums each segment on both sides, in a thread pool.
 * Equal tables stop there. Text keys (alphanumeric ranges) are not reproduced: the bench's keys are uuid and
 * bigint.
 */
import type pg from 'pg';

export interface DataDiffColumn {
  name: string;
  dataType: string;
  datetimePrecision: number | null;
  numericPrecision: number | null;
  numericScale: number | null;
}

export interface DataDiffTable {
  schema: string;
  name: string;
  /** Key column first, then every other column in table order. */
  columns: DataDiffColumn[];
  key: DataDiffColumn;
}

const quote = (s: string): string => `"${s}"`;

/** data-diff's TIMESTAMP_PRECISION_POS: len("2022-06-03 12:24:35.") */
const TIMESTAMP_PRECISION_POS = 20;

/** PostgresqlDialect.normalize_timestamp, the branch for a dialect that rounds on precision loss. */
function normalizeTimestamp(value: string, precision: number): string {
  const max = "'294276-12-31 23:59:59.0000'";
  const min = "'4713-01-01 00:00:00.00 BC'";
  let timestamp = `least(${max}::timestamp(6), ${value}::timestamp(6))`;
  timestamp = `greatest(${min}::timestamp(6), ${timestamp})`;
  // format(0.5 * 10 ** -precision, f".{precision + 1}f")
  const interval = (0.5 * 10 ** -precision).toFixed(precision + 1);
  const text = `to_char(least(${max}::timestamp, ${timestamp})+ interval '${interval}', 'YYYY-mm-dd HH24:MI:SS.US')`;
  const rounded = `left(${text},length(${text}) - (6-${precision}))`;
  const padded = `RPAD(LEFT(${rounded}, ${TIMESTAMP_PRECISION_POS + precision}), ${TIMESTAMP_PRECISION_POS + 6}, '0')`;
  return `CASE WHEN ${value} IS NULL THEN NULL ELSE  ${padded} END`;
}

/** BaseDialect._convert_db_precision_to_digits, less PostgreSQL's 2. */
const floatDigits = (binaryPrecision: number): number => Math.floor(Math.log10(2 ** binaryPrecision)) - 2;

/** normalize_value_by_type for PostgreSQL, by data-diff's TYPE_CLASSES. */
export function normalize(column: DataDiffColumn): string {
  const v = quote(column.name);
  switch (column.dataType) {
    case 'timestamp with time zone':
    case 'timestamp without time zone':
    case 'timestamp':
    case 'date':
      return normalizeTimestamp(v, column.datetimePrecision ?? 6);
    case 'double precision':
    case 'real':
      return `${v}::decimal(38, ${floatDigits(column.numericPrecision ?? 24)})::varchar`;
    case 'decimal':
    case 'numeric':
      return `${v}::decimal(38, ${column.numericScale ?? 0})::varchar`;
    case 'boolean':
      return `${v}::int::varchar`;
    case 'json':
    case 'jsonb':
      return `${v}::text`;
    default: // uuid, integers, text, character varying, character, and types data-diff does not know
      return `${v}::varchar`;
  }
}

/** render_checksum + render_concat + md5_as_int: the sum over a segment's rows. */
export function checksumSql(columns: DataDiffColumn[]): string {
  let expr: string;
  if (columns.length > 1) {
    const items = columns.map((c) => `coalesce(coalesce(${normalize(c)}, '<null>')::varchar, '<null>')`);
    expr = `(${items.join(` || '|' || `)})`;
  } else {
    expr = normalize(columns[0]!); // a key alone: no coalesce, a key is never NULL
  }
  return `sum(('x' || substring(md5(${expr}), 21))::bit(48)::bigint - 140737488355327)`;
}

const tablePath = (t: DataDiffTable): string => `${quote(t.schema)}.${quote(t.name)}`;

/** count_and_checksum over the whole table: data-diff's checksum in one scan (its cost per row, unsegmented). */
export function wholeTableSql(t: DataDiffTable): string {
  return `SELECT count(*), ${checksumSql(t.columns)} FROM ${tablePath(t)}`;
}

const isUuid = (c: DataDiffColumn): boolean => c.dataType === 'uuid';

/** query_key_range: min and max of the key; a uuid is normalized to text first (min/max(uuid) did not exist). */
export function keyRangeSql(t: DataDiffTable): string {
  const k = quote(t.key.name);
  return isUuid(t.key)
    ? `SELECT min(${k}::varchar), max(${k}::varchar) FROM ${tablePath(t)}`
    : `SELECT min(${k})::varchar, max(${k})::varchar FROM ${tablePath(t)}`;
}

const uuidToBig = (u: string): bigint => BigInt(`0x${u.replace(/-/g, '')}`);
const bigToUuid = (n: bigint): string => {
  const h = n.toString(16).padStart(32, '0');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

export const BISECTION_FACTOR = 32;

/**
 * The level-1 segments' checksum queries, from the key range: [min, max + 1) split as split_key_space does
 * (31 checkpoints, range(start, end, (size + 1) // (count + 1))[1 : count + 1]).
 */
export function segmentSqls(t: DataDiffTable, min: string, max: string): string[] {
  const uuid = isUuid(t.key);
  const lo = uuid ? uuidToBig(min) : BigInt(min);
  const hi = (uuid ? uuidToBig(max) : BigInt(max)) + 1n;
  let count = BigInt(BISECTION_FACTOR - 1);
  if (hi - lo <= count) count = 1n;
  const step = (hi - lo + 1n) / (count + 1n);
  const points = [lo];
  for (let i = 1n; i <= count; i++) points.push(lo + step * i);
  points.push(hi);
  const literal = (n: bigint): string => (uuid ? `'${bigToUuid(n)}'` : n.toString());
  const k = quote(t.key.name);
  const checksum = checksumSql(t.columns);
  return points
    .slice(0, -1)
    .map(
      (a, i) =>
        `SELECT count(*), ${checksum} FROM ${tablePath(t)} WHERE (${literal(a)} <= ${k}) AND (${k} < ${literal(points[i + 1]!)})`,
    );
}

/** The user tables as data-diff sees them: the primary key's first column as key, then every other column. */
export async function readDataDiffTables(client: pg.Client): Promise<DataDiffTable[]> {
  const { rows } = await client.query<{
    schema: string;
    name: string;
    columns: {
      name: string;
      data_type: string;
      datetime_precision: number | null;
      numeric_precision: number | null;
      numeric_scale: number | null;
    }[];
    key: string | null;
  }>(`
    SELECT c.table_schema AS schema, c.table_name AS name,
           json_agg(json_build_object('name', c.column_name, 'data_type', c.data_type,
                    'datetime_precision', c.datetime_precision, 'numeric_precision', c.numeric_precision,
                    'numeric_scale', c.numeric_scale) ORDER BY c.ordinal_position) AS columns,
           (SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
             WHERE i.indrelid = format('%I.%I', c.table_schema, c.table_name)::regclass AND i.indisprimary) AS key
      FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
     WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
     GROUP BY 1, 2 ORDER BY 1, 2`);
  return rows.map((r) => {
    const columns: DataDiffColumn[] = r.columns.map((c) => ({
      name: c.name,
      dataType: c.data_type,
      datetimePrecision: c.datetime_precision,
      numericPrecision: c.numeric_precision,
      numericScale: c.numeric_scale,
    }));
    const key = columns.find((c) => c.name === r.key) ?? columns[0]!;
    return { schema: r.schema, name: r.name, key, columns: [key, ...columns.filter((c) => c !== key)] };
  });
}
