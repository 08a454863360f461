/**
 * The SQL expression a row hashes to: one 64-bit integer, computed by the server, that changes whenever the
 * text form of any column changes.
 *
 * Per column. PostgreSQL's own hash functions (the ones behind hash indexes) promise only that values which
 * compare equal hash equal, and several fold or drop information: numeric ignores the sign, the display
 * scale and which special value it holds (1.5, -1.5 and 1.50 hash alike; NaN, Infinity and -Infinity all
 * return the seed), jsonb ignores structure ({} and [], 1 and [1]), float maps -0 to 0 and returns the seed
 * for zero, interval compares '1 mon' equal to '30 days', arrays ignore their bounds and an empty array
 * returns 1 whatever the seed, and every 64-bit integer type is folded to 32 bits before hashing. So each
 * column is hashed one of three ways, all exact:
 * - typed: a PostgreSQL hash that is a keyed hash of the value's exact bytes: int2, int4, oid, bool, uuid,
 *   inet/cidr, macaddr/macaddr8, and text-like types under the "C" collation (the bytes, whatever the
 *   column's collation). int8 carries its high half in the seed, so no two int8 values share a hash input.
 * - binary: the dates and times (timestamptz, timestamp, date, time, timetz, interval) hash the hex of their
 *   binary send form: the stored microseconds, days, months and zone, which the text form prints one to one
 *   under the pinned session (TimeZone, DateStyle, IntervalStyle), so two values differ in one exactly when
 *   they differ in the other. Formatting a timestamp as text costs about twice as much (bench/profile.ts).
 * - text form: every other type (numeric, float, jsonb, arrays, enums, composites, ranges, domains over
 *   them...) hashes its text form, which the session pins (see session.ts) so both servers print a value
 *   identically; bpchar keeps its trailing blanks (its output function, not the cast). numeric's and jsonb's
 *   binary forms are no cheaper (jsonb's send form is its text; numeric's is longer than its digits).
 * Within one column type the hash input is therefore a one-to-one function of the value's text form.
 *
 * Within a row. The columns form a chain: each column's hash is seeded with the hash of the columns before
 * it, starting from a fixed seed. Every step is lookup3 (hash_bytes_extended / hash_bytes_uint32_extended)
 * over the value with the full 64-bit seed mixed in, so a step never passes its seed through unchanged and
 * no column can cancel another (there is no XOR or sum between columns); swapping two values between
 * columns changes the chain. NULL hashes the type's zero value with the seed XORed with NULL_MARK, so a
 * NULL and any value differ in the step's input (for int8 NULL_MARK lies outside the range of v >> 32).
 * A chain of per-column hashes costs a third or less of one hash over a length-prefixed concatenation of
 * the same columns, which pays for building the string (bench/profile.ts).
 *
 * What is claimed. Two rows whose column text forms differ anywhere hash to the same 64-bit value only by
 * a collision of the chain, about 2^-64 for an accidental difference (a restore fault: lost, duplicated,
 * torn or stale data). These are not cryptographic hashes: someone who can write to the database and wants
 * to hide a change can construct a collision.
 */
import type pg from 'pg';
import type { ColumnInfo } from './catalog.js';

/** XORed into a step's seed for NULL. Its top 33 bits are not all equal, so it is never an int8's v >> 32. */
export const NULL_MARK = '7640891576956012808'; // 0x6a09e667f3bcc908
/** The seed the row chain starts from (the bucket chain starts elsewhere, see fingerprint.ts). */
export const ROW_SEED = '0';

interface TypedHash {
  fn: string;
  /** The value as the function's argument type. */
  arg: (ref: string) => string;
  /** The value hashed in place of NULL (with the seed marked). */
  zero: string;
}

const TEXT_C = (ref: string): string => `(${ref})::pg_catalog.text COLLATE "C"`;

/** Types whose PostgreSQL hash is a keyed hash of the exact value: used directly. */
const TYPED: Record<string, TypedHash> = {
  int2: { fn: 'hashint2extended', arg: (r) => `(${r})::pg_catalog.int2`, zero: '0::pg_catalog.int2' },
  int4: { fn: 'hashint4extended', arg: (r) => `(${r})::pg_catalog.int4`, zero: '0::pg_catalog.int4' },
  oid: { fn: 'hashoidextended', arg: (r) => `(${r})::pg_catalog.oid`, zero: '0::pg_catalog.oid' },
  bool: {
    fn: 'hashint4extended',
    arg: (r) => `(${r})::pg_catalog.bool::pg_catalog.int4`,
    zero: '0::pg_catalog.int4',
  },
  uuid: {
    fn: 'uuid_hash_extended',
    arg: (r) => `(${r})::pg_catalog.uuid`,
    zero: `'00000000-0000-0000-0000-000000000000'::pg_catalog.uuid`,
  },
  inet: { fn: 'hashinetextended', arg: (r) => `(${r})::pg_catalog.inet`, zero: `'0.0.0.0'::pg_catalog.inet` },
  cidr: { fn: 'hashinetextended', arg: (r) => `(${r})::pg_catalog.inet`, zero: `'0.0.0.0'::pg_catalog.inet` },
  macaddr: {
    fn: 'hashmacaddrextended',
    arg: (r) => `(${r})::pg_catalog.macaddr`,
    zero: `'00:00:00:00:00:00'::pg_catalog.macaddr`,
  },
  macaddr8: {
    fn: 'hashmacaddr8extended',
    arg: (r) => `(${r})::pg_catalog.macaddr8`,
    zero: `'00:00:00:00:00:00:00:00'::pg_catalog.macaddr8`,
  },
  text: { fn: 'hashtextextended', arg: TEXT_C, zero: `''` },
  varchar: { fn: 'hashtextextended', arg: TEXT_C, zero: `''` },
  name: { fn: 'hashtextextended', arg: TEXT_C, zero: `''` },
  // The cast to text drops trailing blanks; the output function keeps them.
  bpchar: {
    fn: 'hashtextextended',
    arg: (r) => `pg_catalog.textin(pg_catalog.bpcharout((${r})::pg_catalog.bpchar)) COLLATE "C"`,
    zero: `''`,
  },
};

/**
 * Types hashed through their binary send form, as hex (encode, so bytea_output does not matter): fixed-size
 * integers of microseconds, days, months and zone seconds, one to one with the pinned text form. NULL's
 * stand-in, the empty string, is never the hex of a value.
 */
const binary = (type: string): TypedHash => ({
  fn: 'hashtextextended',
  arg: (r) => `pg_catalog.encode(pg_catalog.${type}_send((${r})::pg_catalog.${type}), 'hex') COLLATE "C"`,
  zero: `''`,
});
const BINARY: Record<string, TypedHash> = {
  timestamptz: binary('timestamptz'),
  timestamp: binary('timestamp'),
  date: binary('date'),
  time: binary('time'),
  timetz: binary('timetz'),
  interval: binary('interval'),
};

/** Any other type: its text form, as the pinned session prints it. */
const TEXT_FORM: TypedHash = { fn: 'hashtextextended', arg: TEXT_C, zero: `''` };

export type HashKind = 'typed' | 'int8' | 'binary' | 'text form';

/**
 * How a column is hashed: 'typed' (PostgreSQL's hash of the exact value), 'int8', 'binary' (its send form)
 * or 'text form'.
 */
export function hashKind(column: ColumnInfo): HashKind {
  const t = column.baseType;
  if (t === 'int8') return 'int8';
  if (t && Object.hasOwn(TYPED, t)) return 'typed';
  return t && Object.hasOwn(BINARY, t) ? 'binary' : 'text form';
}

function hashOf(column: ColumnInfo): TypedHash {
  const kind = hashKind(column);
  if (kind === 'typed') return TYPED[column.baseType!]!;
  return kind === 'binary' ? BINARY[column.baseType!]! : TEXT_FORM;
}

/**
 * One step of the chain: the column's 64-bit hash seeded with `seed` (an SQL int8 expression, the hash
 * of the columns before it). Never NULL. `ref` is the quoted column reference.
 */
export function columnHashSql(column: ColumnInfo, ref: string, seed: string | number): string {
  const s = `(${seed})`;
  if (hashKind(column) === 'int8') {
    const v = `(${ref})::pg_catalog.int8`;
    return column.notNull
      ? `pg_catalog.hashint8extended(${v}, ${s} # (${v} >> 32))`
      : `pg_catalog.hashint8extended(coalesce(${v}, 0::pg_catalog.int8), ${s} # coalesce(${v} >> 32, ${NULL_MARK}))`;
  }
  const h = hashOf(column);
  if (column.notNull) return `pg_catalog.${h.fn}(${h.arg(ref)}, ${s})`;
  return `pg_catalog.${h.fn}(coalesce(${h.arg(ref)}, ${h.zero}), ${s} # CASE WHEN (${ref}) IS NULL THEN ${NULL_MARK}::pg_catalog.int8 ELSE 0 END)`;
}

/** The chained hash of a row's columns (in the order given), starting from `seed`. */
export function rowHashSql(
  client: Pick<pg.Client, 'escapeIdentifier'>,
  columns: ColumnInfo[],
  alias: string,
  seed: string = ROW_SEED,
): string {
  let expr = `${seed}::pg_catalog.int8`;
  for (const c of columns) {
    expr = columnHashSql(c, `${alias}.${client.escapeIdentifier(c.name)}`, expr);
  }
  return expr;
}
