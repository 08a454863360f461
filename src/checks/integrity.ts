/**
 * Integrity of the copy on its own: every table read in full (the checksum pass does it), amcheck on btree
 * indexes, sequences ahead of their columns, foreign keys without orphans (bounded in cost).
 */
import type pg from 'pg';
import { keyPartSql, tableKey, type TableInfo } from '../db/catalog.js';
import { qualified, safeError } from '../db/session.js';
import type { CheckResult } from '../model/types.js';
import { elapsed, listSome, result } from './result.js';

export function readCheck(tables: { key: string; rows?: bigint; error?: string; ms: number }[]): CheckResult {
  const failed = tables.filter((t) => t.error !== undefined);
  const rows = tables.reduce((n, t) => n + (t.rows ?? 0n), 0n);
  const ms = tables.reduce((n, t) => Math.max(n, t.ms), 0);
  if (failed.length) {
    return result(
      'integrity:read',
      'integrity',
      'fail',
      `${failed.length} of ${tables.length} tables could not be read in full: ${listSome(
        failed.map((t) => `${t.key} (${t.error})`),
        3,
      )}`,
      ms,
    );
  }
  return result(
    'integrity:read',
    'integrity',
    'pass',
    `${tables.length} tables read in full, every column of ${rows} rows`,
    ms,
    {
      measured: tables.length,
    },
  );
}

/**
 * Several drills may check one database at once, and each may find amcheck missing and create it. So:
 * - every drill holds a shared advisory lock (AMCHECK_LOCK) while it uses amcheck;
 * - a drill creates the extension with a plain CREATE EXTENSION; if another session created it first
 *   (42710 duplicate object, or 23505 when both inserted at once), it uses that one and never drops it;
 * - the drill that created it drops it only if it is still the extension it created (same oid) and only
 *   under the exclusive advisory lock, i.e. when no other drill is using it; otherwise it leaves it
 *   installed and says so;
 * - amcheck found missing while the check runs is an error of the check, never a failing index.
 */
export const AMCHECK_LOCK = `pg_catalog.hashtext('restore-proof:amcheck')`;
const GONE = new Set(['42883', '3F000', '42704']); // undefined function, schema, object

async function amcheckStatus(
  admin: pg.Client,
): Promise<{ oid: number | null; schema: string | null; available: boolean }> {
  const { rows } = await admin.query<{ oid: number | null; schema: string | null; available: boolean }>(
    `SELECT e.oid::int AS oid, n.nspname AS schema,
            EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'amcheck') AS available
       FROM (SELECT 1) one
       LEFT JOIN pg_extension e ON e.extname = 'amcheck'
       LEFT JOIN pg_namespace n ON n.oid = e.extnamespace`,
  );
  return rows[0]!;
}

/**
 * Runs bt_index_check on every valid btree index with storage (a partitioned index, relkind I, has none:
 * each partition's index is checked); creates amcheck on the copy if it may (see above).
 */
export async function amcheckCheck(
  open: () => Promise<pg.Client>,
  run: <T>(
    items: T[],
    fn: (client: pg.Client, item: T) => Promise<string | undefined>,
  ) => Promise<(string | undefined)[]>,
): Promise<CheckResult> {
  const started = Date.now();
  const done = (status: 'skip' | 'error', summary: string): CheckResult =>
    result('integrity:amcheck', 'integrity', status, summary, elapsed(started));
  const admin = await open();
  let createdOid: number | undefined;
  let released = false;
  /** Stops using amcheck; drops it when this drill created it and no other drill uses it. */
  const release = async (): Promise<string> => {
    if (released) return '';
    released = true;
    await admin.query(`SELECT pg_catalog.pg_advisory_unlock_shared(${AMCHECK_LOCK})`);
    if (createdOid === undefined) return '';
    const dropped = await dropIfUnused(admin, createdOid).catch(() => false);
    return dropped
      ? ''
      : '; the amcheck extension this drill created is left installed: another drill uses it';
  };
  try {
    await admin.query(`SELECT pg_catalog.pg_advisory_lock_shared(${AMCHECK_LOCK})`);
    let status = await amcheckStatus(admin);
    if (status.oid === null) {
      if (!status.available) return done('skip', 'the amcheck extension is not available on the copy');
      try {
        await admin.query('SET default_transaction_read_only = off');
        await admin.query('CREATE EXTENSION amcheck');
        createdOid = (await amcheckStatus(admin)).oid ?? undefined;
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code !== '42710' && code !== '23505')
          return done('skip', `cannot create the amcheck extension on the copy: ${safeError(error)}`);
        // Another session created it at the same moment: use theirs, never drop it.
      } finally {
        await admin.query('SET default_transaction_read_only = on').catch(() => undefined);
      }
      status = await amcheckStatus(admin);
    }
    if (status.oid === null || status.schema === null)
      return done('error', 'the amcheck extension disappeared before the check could use it');
    const { rows: indexes } = await admin.query<{ oid: number; name: string }>(`
      SELECT i.oid::int AS oid, n.nspname || '.' || i.relname AS name
        FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_am a ON a.oid = i.relam
        JOIN pg_namespace n ON n.oid = i.relnamespace JOIN pg_class t ON t.oid = x.indrelid
       WHERE a.amname = 'btree' AND i.relkind = 'i' AND x.indisvalid AND x.indisready AND t.relpersistence <> 't'
         AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast'
       ORDER BY 2`);
    const fn = `${admin.escapeIdentifier(status.schema)}.bt_index_check`;
    let vanished = false;
    const errors = await run(indexes, async (client, index) => {
      try {
        await client.query(`SELECT ${fn}($1::oid::regclass, false)`, [index.oid]);
        return undefined;
      } catch (error) {
        if (GONE.has((error as { code?: string }).code ?? '')) vanished = true;
        return `${index.name} (${safeError(error)})`;
      }
    });
    if (vanished)
      return done('error', 'the amcheck extension was dropped by another session while the check ran');
    const bad = errors.filter((e): e is string => !!e);
    const left = await release();
    return result(
      'integrity:amcheck',
      'integrity',
      bad.length ? 'fail' : 'pass',
      bad.length
        ? `${bad.length} of ${indexes.length} btree indexes fail amcheck: ${listSome(bad, 3)}${left}`
        : `${indexes.length} btree indexes pass bt_index_check${left}`,
      elapsed(started),
      { measured: indexes.length - bad.length, expected: indexes.length },
    );
  } finally {
    await release().catch(() => undefined);
    await admin.end().catch(() => undefined);
  }
}

/** Drops the amcheck extension this drill created, if it is still that one and no other drill uses it. */
async function dropIfUnused(admin: pg.Client, oid: number): Promise<boolean> {
  const { rows } = await admin.query<{ ok: boolean }>(
    `SELECT pg_catalog.pg_try_advisory_lock(${AMCHECK_LOCK}) AS ok`,
  );
  if (!rows[0]?.ok) return false;
  try {
    if ((await amcheckStatus(admin)).oid !== oid) return false;
    await admin.query('SET default_transaction_read_only = off');
    await admin.query('DROP EXTENSION amcheck');
    return true;
  } finally {
    await admin.query(`SELECT pg_catalog.pg_advisory_unlock(${AMCHECK_LOCK})`).catch(() => undefined);
  }
}

type SequenceOwner = Pick<TableInfo, 'schema' | 'name' | 'key' | 'sequences'>;

/**
 * Partitioned tables (relkind p) own the sequences of their serial and identity columns, which feed every
 * partition; they hold no rows of their own, so they are not among the tables read, yet their sequences
 * must be checked against the maximum over all partitions.
 */
async function partitionedOwners(
  client: pg.Client,
  excluded: (table: string) => boolean,
): Promise<SequenceOwner[]> {
  const { rows } = await client.query<{
    ts: string;
    tn: string;
    column: string;
    schema: string;
    name: string;
  }>(`
    SELECT tn.nspname AS ts, t.relname AS tn, a.attname AS column, sn.nspname AS schema, s.relname AS name
      FROM pg_depend d
      JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
      JOIN pg_namespace sn ON sn.oid = s.relnamespace
      JOIN pg_class t ON t.oid = d.refobjid AND t.relkind = 'p'
      JOIN pg_namespace tn ON tn.oid = t.relnamespace
      JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
     WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
       AND tn.nspname NOT IN ('pg_catalog', 'information_schema')
     ORDER BY 1, 2, 3`);
  const owners = new Map<string, SequenceOwner>();
  for (const r of rows) {
    const key = tableKey(r.ts, r.tn);
    if (excluded(key)) continue;
    const owner = owners.get(key) ?? { schema: r.ts, name: r.tn, key, sequences: [] };
    owner.sequences.push({
      column: r.column,
      sequence: tableKey(r.schema, r.name),
      schema: r.schema,
      name: r.name,
    });
    owners.set(key, owner);
  }
  return [...owners.values()];
}

/**
 * Every sequence that feeds a column must hand out values above the column's current maximum: those of the
 * tables read, and those of partitioned tables (over all their partitions).
 */
export async function sequencesCheck(
  client: pg.Client,
  tables: TableInfo[],
  excluded: (table: string) => boolean = () => false,
): Promise<CheckResult> {
  const started = Date.now();
  const behind: string[] = [];
  const errors: string[] = [];
  let n = 0;
  const owners: SequenceOwner[] = [...tables, ...(await partitionedOwners(client, excluded))];
  for (const table of owners) {
    for (const { column, sequence, schema, name } of table.sequences) {
      n++;
      try {
        if (schema === undefined || name === undefined) throw new Error('sequence without schema and name');
        const seq = qualified(client, schema, name);
        const { rows: s } = await client.query<{ last: string; called: boolean; inc: string }>(
          `SELECT s.last_value::text AS last, s.is_called AS called, p.seqincrement::text AS inc
             FROM ${seq} s, pg_sequence p WHERE p.seqrelid = $1::regclass`,
          [seq],
        );
        const inc = BigInt(s[0]!.inc);
        const agg = inc > 0n ? 'max' : 'min';
        const { rows: m } = await client.query<{ v: string | null }>(
          `SELECT ${agg}(${client.escapeIdentifier(column)})::text AS v FROM ${qualified(client, table.schema, table.name)}`,
        );
        if (m[0]?.v === null || m[0]?.v === undefined) continue;
        const extreme = BigInt(m[0].v);
        const last = BigInt(s[0]!.last);
        const next = s[0]!.called ? last + inc : last;
        const ok = inc > 0n ? next > extreme : next < extreme;
        if (!ok)
          behind.push(`${sequence} for ${table.key}.${column} (next ${next}, column ${agg} ${extreme})`);
      } catch (error) {
        errors.push(`${sequence} (${safeError(error)})`);
      }
    }
  }
  const status = behind.length ? 'fail' : errors.length ? 'error' : 'pass';
  const summary = behind.length
    ? `${behind.length} sequence${behind.length === 1 ? ' is' : 's are'} behind the column${behind.length === 1 ? '' : 's'} they feed: ${listSome(behind, 3)}`
    : errors.length
      ? `could not read ${errors.length} sequences: ${listSome(errors, 3)}`
      : `${n} sequences ahead of their columns`;
  return result('integrity:sequences', 'integrity', status, summary, elapsed(started), {
    measured: n - behind.length,
    expected: n,
  });
}

export interface ForeignKeyOptions {
  enabled?: boolean;
  /** Skip foreign keys whose referencing table is estimated above this many rows. */
  maxRows?: number;
  timeoutMs?: number;
}

interface ForeignKey {
  name: string;
  child: string;
  parent: string;
  childCols: string[];
  parentCols: string[];
  estimated: number;
}

/** Orphans per foreign key (referencing rows whose key has no referenced row), bounded in cost. */
export async function foreignKeysCheck(
  client: pg.Client,
  run: <T>(
    items: T[],
    fn: (client: pg.Client, item: T) => Promise<string | undefined>,
  ) => Promise<(string | undefined)[]>,
  options: ForeignKeyOptions,
  excluded: (table: string) => boolean,
): Promise<CheckResult> {
  const started = Date.now();
  if (options.enabled === false)
    return result('integrity:foreign-keys', 'integrity', 'skip', 'disabled in the checks file', 0);
  const maxRows = options.maxRows ?? 10_000_000;
  const timeoutMs = options.timeoutMs ?? 120_000;
  const { rows } = await client.query<
    ForeignKey & { cs: string; ct: string; ps: string; pt: string; ck: string; pk: string }
  >(`
    SELECT ${keyPartSql('cn.nspname')} || '.' || ${keyPartSql('c.relname')} || '.' || ${keyPartSql('k.conname')} AS name,
           cn.nspname AS cs, c.relname AS ct, pn.nspname AS ps, p.relname AS pt,
           c.relkind::text AS ck, p.relkind::text AS pk,
           ${keyPartSql('cn.nspname')} || '.' || ${keyPartSql('c.relname')} AS child,
           ${keyPartSql('pn.nspname')} || '.' || ${keyPartSql('p.relname')} AS parent,
           (SELECT array_agg(a.attname::text ORDER BY o) FROM unnest(k.conkey) WITH ORDINALITY u(n, o)
              JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n) AS "childCols",
           (SELECT array_agg(a.attname::text ORDER BY o) FROM unnest(k.confkey) WITH ORDINALITY u(n, o)
              JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.n) AS "parentCols",
           greatest(c.reltuples, 0)::float8 AS estimated
      FROM pg_constraint k
      JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace cn ON cn.oid = c.relnamespace
      JOIN pg_class p ON p.oid = k.confrelid JOIN pg_namespace pn ON pn.oid = p.relnamespace
     WHERE k.contype = 'f' AND c.relkind IN ('r', 'p') AND cn.nspname NOT IN ('pg_catalog', 'information_schema')
     ORDER BY 1`);
  const todo = rows.filter((fk) => !excluded(fk.child) && !excluded(fk.parent));
  const skipped = todo.filter((fk) => fk.estimated > maxRows).map((fk) => fk.name);
  const checked = todo.filter((fk) => fk.estimated <= maxRows);
  const outcomes = await run(checked, async (conn, fk) => {
    // A foreign key binds the table's own rows only, not those of inheritance children (partitions of a
    // partitioned table, relkind p, are its rows: read them all).
    const only = (relkind: string): string => (relkind === 'r' ? 'ONLY ' : '');
    const child = `${only(fk.ck)}${qualified(conn, fk.cs, fk.ct)}`;
    const parent = `${only(fk.pk)}${qualified(conn, fk.ps, fk.pt)}`;
    const notNull = fk.childCols.map((col) => `c.${conn.escapeIdentifier(col)} IS NOT NULL`).join(' AND ');
    const join = fk.childCols
      .map((col, i) => `p.${conn.escapeIdentifier(fk.parentCols[i]!)} = c.${conn.escapeIdentifier(col)}`)
      .join(' AND ');
    try {
      await conn.query('BEGIN READ ONLY');
      await conn.query(`SET LOCAL statement_timeout = ${Math.floor(timeoutMs)}`);
      const { rows: r } = await conn.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM (SELECT 1 FROM ${child} c WHERE ${notNull}
           AND NOT EXISTS (SELECT 1 FROM ${parent} p WHERE ${join}) LIMIT 1000) o`,
      );
      await conn.query('COMMIT');
      const n = Number(r[0]!.n);
      return n > 0 ? `orphans:${fk.name} (${n >= 1000 ? '1000+' : n} orphaned rows)` : undefined;
    } catch (error) {
      await conn.query('ROLLBACK').catch(() => undefined);
      const e = error as { code?: string };
      return e.code === '57014' ? `timeout:${fk.name}` : `error:${fk.name} (${safeError(error)})`;
    }
  });
  const orphans = outcomes.filter((o): o is string => !!o && o.startsWith('orphans:')).map((o) => o.slice(8));
  const timeouts = outcomes
    .filter((o): o is string => !!o && o.startsWith('timeout:'))
    .map((o) => o.slice(8));
  const errors = outcomes.filter((o): o is string => !!o && o.startsWith('error:')).map((o) => o.slice(6));
  const unchecked = [...skipped, ...timeouts];
  const status = orphans.length ? 'fail' : errors.length ? 'error' : unchecked.length ? 'warn' : 'pass';
  const parts: string[] = [];
  if (orphans.length) parts.push(`${orphans.length} with orphans: ${listSome(orphans, 3)}`);
  if (errors.length) parts.push(`${errors.length} failed: ${listSome(errors, 2)}`);
  if (unchecked.length)
    parts.push(
      `${unchecked.length} not checked (above ${maxRows} rows or over ${Math.round(timeoutMs / 1000)}s): ${listSome(unchecked, 3)}`,
    );
  return result(
    'integrity:foreign-keys',
    'integrity',
    status,
    parts.length
      ? `${todo.length} foreign keys; ${parts.join('; ')}`
      : `${todo.length} foreign keys, no orphaned rows`,
    elapsed(started),
    { measured: orphans.length, expected: 0 },
  );
}
