/**
 * Server-side table fingerprints: one scan per table that brings back one row (row count, hash sum), or,
 * to locate a mismatch, at most `buckets` rows of (bucket, row count, hash sum) grouped by hash buckets of
 * the primary key, so a difference is narrowed without reading a row value out of the database. Client
 * memory is flat whatever the table's size. The plain form is the fast path: grouping every row into
 * buckets costs a hash aggregation, paid only for tables that differ.
 *
 * Row hash: see row-hash.ts (a chain over the columns; a changed text form changes the hash).
 *
 * Fold. Rows are folded with sum() over the 64-bit row hashes, exact in numeric (no modulo), alongside
 * count(*). The sum is order-independent, and unlike XOR a duplicated row adds twice instead of
 * cancelling out. A difference slips through only if the changed rows' hash deltas sum to exactly zero:
 * for non-adversarial changes that is about 2^-63 per comparison. These are not cryptographic hashes:
 * someone who can write to the database and wants to hide a change can construct a collision; the check
 * is built to catch restore faults (lost, duplicated, torn or stale data), not an attacker.
 *
 * Hashes are stable between servers of the same major version and architecture, which a restored copy
 * always is.
 */
import type pg from 'pg';
import type { ColumnInfo, TableInfo } from './catalog.js';
import { rowHashSql } from './row-hash.js';
import { listedSql, notVisibleSql, type InFlightRows, type SnapshotVisibility } from './in-flight.js';

export const DEFAULT_BUCKETS = 256;
/** The bucket chain starts from its own seed, so a bucket id says nothing about the row hash. */
const BUCKET_SEED = '1000';

export { columnHashSql } from './row-hash.js';

export interface FingerprintOptions {
  /** Group by this many hash buckets; 0 (the default) brings back one row for the table. */
  buckets?: number;
  /** Only rows whose watermark column is at or before this instant. */
  watermark?: { column: string; notAfter: Date };
  /** Also bring back max(column) per bucket, as epoch seconds (for the newest data found). */
  newestColumn?: string;
  /**
   * Set aside what transactions in flight at production's snapshot wrote (see in-flight.ts): on the copy,
   * rows whose xmin the snapshot does not see are left out of the count and sum and counted apart; on
   * production, the hashes of rows whose xmax the snapshot does not see are listed.
   */
  inFlight?: { visibility: SnapshotVisibility; side: 'production' | 'copy' };
}

export interface Bucket {
  count: bigint;
  sum: bigint;
}

export interface TableFingerprint {
  table: string;
  count: bigint;
  sum: bigint;
  /** Per bucket, when the fingerprint was bucketed; empty for a plain one. */
  buckets: Map<number, Bucket>;
  bucketed: boolean;
  /** What the buckets follow: the primary key, or the first column for a table without one. */
  bucketBy: 'primary key' | 'first column';
  /** Newest value of `newestColumn` (epoch seconds), when asked and any row has one. */
  newestEpoch?: number;
  /** Rows set aside as written or being changed by transactions in flight at the pin, when asked. */
  inFlight?: InFlightRows;
  ms: number;
}

export function fingerprintSql(
  client: pg.Client,
  table: TableInfo,
  options: FingerprintOptions = {},
): string {
  const buckets = options.buckets ?? 0;
  const rel = `${client.escapeIdentifier(table.schema)}.${client.escapeIdentifier(table.name)}`;
  const rowHash = rowHashSql(client, table.columns, 't');
  // Bucket by the primary key's hash (without a key: the first column's), so a changed row stays in its
  // bucket and a bucket id never reveals a value.
  const bucketHash = rowHashSql(client, bucketColumns(table), 't', BUCKET_SEED);
  const newestCol = options.newestColumn ? `, t.${client.escapeIdentifier(options.newestColumn)} AS w` : '';
  const newest = options.newestColumn
    ? 'extract(epoch FROM max(w)::pg_catalog.timestamptz)::float8'
    : 'NULL::float8';
  const where = options.watermark
    ? ` WHERE t.${client.escapeIdentifier(options.watermark.column)} <= $1::pg_catalog.timestamptz`
    : '';
  const { column: flightCol, aggregates } = inFlightParts(options.inFlight, bucketHash);
  const select = `count(*)${aggregates.filter}::text AS n, sum(h)${aggregates.filter}::text AS s, ${aggregates.extra} AS f, ${newest} AS newest`;
  if (buckets <= 0) {
    const inner = `SELECT ${rowHash} AS h${newestCol}${flightCol} FROM ONLY ${rel} t${where}`;
    return `SELECT 0 AS b, ${select} FROM (${inner}) x`;
  }
  const inner = `SELECT ${rowHash} AS h, ((${bucketHash}) & 2147483647) % ${buckets} AS b${newestCol}${flightCol} FROM ONLY ${rel} t${where}`;
  return `SELECT b::int AS b, ${select} FROM (${inner}) x GROUP BY 1`;
}

/**
 * The in-flight columns of the inner scan (i: the row's xmin, on the copy, or xmax, on production, may
 * belong to a transaction in flight at the pin; k: its key hash) and what the aggregate makes of them: on
 * the copy, such rows leave the count and sum, and f is "count/key hashes"; on production, f lists
 * "hash:xmax:key hash" per row.
 */
function inFlightParts(
  inFlight: FingerprintOptions['inFlight'],
  keyHash: string,
): { column: string; aggregates: { filter: string; extra: string } } {
  if (!inFlight) return { column: '', aggregates: { filter: '', extra: 'NULL::text' } };
  const key = `, (${keyHash}) AS k`;
  if (inFlight.side === 'copy') {
    return {
      column: `, ${notVisibleSql('xmin', inFlight.visibility)} AS i${key}`,
      aggregates: {
        filter: ' FILTER (WHERE NOT i)',
        extra: `count(*) FILTER (WHERE i)::text || '/' || coalesce(string_agg(k::text, ',') FILTER (WHERE i), '')`,
      },
    };
  }
  // Production: the ceilings are not known yet; the drill applies them after the restore.
  return {
    column: `, ${listedSql(inFlight.visibility)} AS i, t.xmax::text AS xm${key}`,
    aggregates: {
      filter: '',
      extra: "string_agg(h::text || ':' || xm || ':' || k::text, ',') FILTER (WHERE i)",
    },
  };
}

export function bucketColumns(table: TableInfo): ColumnInfo[] {
  const byName = new Map(table.columns.map((c) => [c.name, c]));
  const pk = table.primaryKey.map((n) => byName.get(n)).filter((c): c is ColumnInfo => !!c);
  return pk.length > 0 ? pk : table.columns.slice(0, 1);
}

/** One scan of one table: a handful of aggregate rows come back, whatever the table's size. */
export async function fingerprintTable(
  client: pg.Client,
  table: TableInfo,
  options: FingerprintOptions = {},
): Promise<TableFingerprint> {
  const started = Date.now();
  const sql = fingerprintSql(client, table, options);
  const params = options.watermark ? [options.watermark.notAfter.toISOString()] : [];
  // Hash aggregation over a few hundred groups; a sort of every row would cost more than the scan.
  if ((options.buckets ?? 0) > 0) await client.query('SET enable_sort = off');
  type Row = { b: number; n: string; s: string | null; f: string | null; newest: number | null };
  let rows: Row[];
  try {
    ({ rows } = await client.query<Row>(sql, params));
    if (options.inFlight?.side === 'production') await refuseRewritten(client, table);
  } catch (error) {
    throw rowSecurityError(error, table) ?? error;
  } finally {
    if ((options.buckets ?? 0) > 0) await client.query('RESET enable_sort').catch(() => undefined);
  }
  const bucketed = (options.buckets ?? 0) > 0;
  const buckets = new Map<number, Bucket>();
  let count = 0n;
  let sum = 0n;
  let newestEpoch: number | undefined;
  const inFlight = options.inFlight ? inFlightOf(rows, options.inFlight.side) : undefined;
  for (const r of rows) {
    const bucket = { count: BigInt(r.n), sum: BigInt(r.s ?? '0') };
    if (bucketed) buckets.set(r.b, bucket);
    count += bucket.count;
    sum += bucket.sum;
    if (r.newest !== null && r.newest !== undefined) {
      const v = Number(r.newest);
      if (Number.isFinite(v) && (newestEpoch === undefined || v > newestEpoch)) newestEpoch = v;
    }
  }
  return {
    table: table.key,
    count,
    sum,
    buckets,
    bucketed,
    bucketBy: table.primaryKey.length > 0 ? 'primary key' : 'first column',
    newestEpoch,
    ...(inFlight ? { inFlight } : {}),
    ms: Date.now() - started,
  };
}

/** The in-flight column f of every bucket row: a count on the copy, hash lists on production. */
function inFlightOf(rows: { b: number; f: string | null }[], side: 'production' | 'copy'): InFlightRows {
  if (side === 'copy') {
    let n = 0n;
    const keys = new Set<string>();
    for (const r of rows) {
      const [count, list] = (r.f ?? '0/').split('/');
      n += BigInt(count!);
      for (const k of list ? list.split(',') : []) keys.add(k);
    }
    return { rows: n, keys };
  }
  const listed: { hash: string; bucket: number; xmax: bigint; key: string }[] = [];
  for (const r of rows) {
    for (const item of r.f ? r.f.split(',') : []) {
      const [hash, xmax, key] = item.split(':');
      listed.push({ hash: hash!, bucket: r.b, xmax: BigInt(xmax!), key: key! });
    }
  }
  return { rows: BigInt(listed.length), listed };
}

/** Why a table read inside the snapshot is not compared when it was rewritten after the snapshot was taken. */
export const REWRITTEN =
  'not compared: rewritten on production after the snapshot (TRUNCATE, REFRESH MATERIALIZED VIEW or a rewriting ALTER TABLE), so it no longer shows its rows as at T';

/**
 * A rewrite (TRUNCATE, REFRESH MATERIALIZED VIEW, a rewriting ALTER TABLE) is not MVCC-safe: a snapshot
 * taken before it reads the new contents. pg_class read under the snapshot names the file the relation had
 * then; pg_relation_filenode() names the current one. Checked after the read in its transaction, whose
 * lock keeps any rewrite from slipping in between: a difference means the read saw rewritten rows.
 */
async function refuseRewritten(client: pg.Client, table: TableInfo): Promise<void> {
  const rel = `${client.escapeIdentifier(table.schema)}.${client.escapeIdentifier(table.name)}`;
  const { rows } = await client.query<{ rewritten: boolean }>(
    `SELECT c.relfilenode <> pg_catalog.pg_relation_filenode(c.oid) AS rewritten
       FROM pg_catalog.pg_class c WHERE c.oid = $1::pg_catalog.regclass`,
    [rel],
  );
  if (rows[0]?.rewritten) throw new Error(REWRITTEN);
}

/**
 * The session runs with row_security off, so a table whose policies would hide rows from this role raises
 * 42501 instead of answering with fewer rows (a non-owner would otherwise see 0 rows on both sides and
 * pass). That error names the table and the fix; any other error is left as it is.
 */
export function rowSecurityError(
  error: unknown,
  table: Pick<TableInfo, 'key' | 'rowSecurity'>,
): Error | undefined {
  const e = error as { code?: string; message?: string };
  if (e?.code !== '42501') return undefined;
  if (!table.rowSecurity && !/row.level security/i.test(String(e.message))) return undefined;
  return Object.assign(
    new Error(
      `row-level security policies on ${table.key} would hide rows from this role, so the table cannot be read whole: connect as the table owner or a role with BYPASSRLS`,
    ),
    { code: e.code },
  );
}

/** A short, stable digest of a table fingerprint for reports (names, counts and hashes only). */
export function fingerprintDigest(fp: { count: bigint; sum: bigint }): string {
  const mix =
    (BigInt.asUintN(64, fp.sum) ^ BigInt.asUintN(64, fp.sum >> 64n) ^ (fp.count * 0x9e3779b97f4a7c15n)) &
    0xffffffffffffffffn;
  return BigInt.asUintN(64, mix).toString(16).padStart(16, '0');
}

/** Buckets whose count or hash differ, with the row-count difference in each (copy minus production). */
export function differingBuckets(
  production: Map<number, Bucket>,
  copy: Map<number, Bucket>,
): { bucket: number; countDelta: bigint }[] {
  const ids = new Set([...production.keys(), ...copy.keys()]);
  const out: { bucket: number; countDelta: bigint }[] = [];
  for (const id of [...ids].sort((a, b) => a - b)) {
    const p = production.get(id) ?? { count: 0n, sum: 0n };
    const c = copy.get(id) ?? { count: 0n, sum: 0n };
    if (p.count !== c.count || p.sum !== c.sum) out.push({ bucket: id, countDelta: c.count - p.count });
  }
  return out;
}
