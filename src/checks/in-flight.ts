/**
 * Setting aside, exactly, what transactions in flight at the pin wrote (the method: db/in-flight.ts).
 * The copy's pass already left out its rows whose xmin production's snapshot does not see. Production's
 * pass listed the hashes of its rows whose xmax the snapshot does not see. Where the two sides still
 * differ, the copy's rows with those hashes are counted (one grouped scan of that table) and, hash by
 * hash, as many as production listed are set aside on the copy while production's listed rows are set
 * aside on production. A copy that is right at the pin then equals production exactly; a row changed,
 * lost or added by anything else is still a difference.
 */
import type { TableInfo } from '../db/catalog.js';
import type { Bucket, TableFingerprint } from '../db/fingerprint.js';
import { notVisible, notVisibleSql, type SnapshotVisibility } from '../db/in-flight.js';
import { rowHashSql } from '../db/row-hash.js';
import { safeError, withPool } from '../db/session.js';
import type { CheckResult } from '../model/types.js';
import type { Side } from './data.js';
import type { SidePool } from './fingerprint-pass.js';
import { listSome, result } from './result.js';

/** What is subtracted from each side of one table, per bucket (bucket 0 for a plain fingerprint). */
export interface InFlightSettlement {
  production: Map<number, Bucket>;
  copy: Map<number, Bucket>;
  /** Production's listed rows that the copy still holds (the change had not committed, or only locked). */
  stillInCopy: bigint;
}

export interface Settling {
  tables: TableInfo[];
  /** Tables compared against the snapshot. */
  pinned: (table: TableInfo) => boolean;
  copy: { pool: SidePool; fingerprints: Map<string, Side> };
  production: Map<string, Side>;
  visibility: SnapshotVisibility;
}

/**
 * Settles every pinned table whose sides differ while production listed rows in flight; returns the
 * settlements by table key (a table the copy could not be read for again keeps its difference).
 */
export async function settleInFlight(s: Settling): Promise<Map<string, InFlightSettlement>> {
  const todo = s.tables.filter((t) => {
    const c = s.copy.fingerprints.get(t.key);
    const p = s.production.get(t.key);
    if (!s.pinned(t) || !c || !p || !('ok' in c) || !('ok' in p)) return false;
    if (!p.ok.inFlight?.listed?.length) return false;
    return c.ok.count !== p.ok.count || c.ok.sum !== p.ok.sum;
  });
  const out = new Map<string, InFlightSettlement>();
  if (!todo.length) return out;
  const settled = await withPool(
    todo,
    s.copy.pool.concurrency,
    s.copy.pool.open,
    async (client, table) => {
      const listed = (s.production.get(table.key) as { ok: TableFingerprint }).ok.inFlight!.listed!;
      const copyKeys = (s.copy.fingerprints.get(table.key) as { ok: TableFingerprint }).ok.inFlight?.keys;
      const hashes = [...new Set(listed.map((r) => r.hash))];
      try {
        const { rows } = await client.query<{ h: string; n: string }>(
          `SELECT h::text AS h, count(*)::text AS n
             FROM (SELECT ${rowHashSql(client, table.columns, 't')} AS h, ${notVisibleSql('xmin', s.visibility)} AS i
                     FROM ONLY ${client.escapeIdentifier(table.schema)}.${client.escapeIdentifier(table.name)} t) x
            WHERE NOT i AND h IN (${hashes.join(', ')})
            GROUP BY h`,
        );
        const keyed = table.primaryKey.length > 0;
        return settlement(
          listed,
          new Map(rows.map((r) => [r.h, BigInt(r.n)])),
          (row) => notVisible(row.xmax, s.visibility) || (keyed && !!copyKeys?.has(row.key)),
        );
      } catch (error) {
        return { error: safeError(error) };
      }
    },
    s.copy.pool.signal,
  );
  todo.forEach((t, i) => {
    const r = settled[i]!;
    if (!('error' in r)) out.set(t.key, r);
  });
  return out;
}

type Listed = NonNullable<NonNullable<TableFingerprint['inFlight']>['listed']>[number];

/**
 * Per hash, the listed rows the copy still holds leave both sides. Of those it lacks, as many as are proven
 * changed by a transaction in flight leave production: an xmax that is such a transaction (a delete or an
 * update), or a key under which the copy holds a row such a transaction wrote (an update, proven by the
 * key's uniqueness). Any other absence stays a difference.
 */
export function settlement(
  listed: Listed[],
  inCopy: Map<string, bigint>,
  proven: (row: Listed) => boolean,
): InFlightSettlement {
  const production = new Map<number, Bucket>();
  const copy = new Map<number, Bucket>();
  let stillInCopy = 0n;
  const add = (into: Map<number, Bucket>, bucket: number, hash: bigint, n: bigint): void => {
    if (n === 0n) return;
    const b = into.get(bucket) ?? { count: 0n, sum: 0n };
    into.set(bucket, { count: b.count + n, sum: b.sum + hash * n });
  };
  const byHash = new Map<string, Listed[]>();
  for (const row of listed) byHash.set(row.hash, [...(byHash.get(row.hash) ?? []), row]);
  for (const [h, rows] of byHash) {
    const hash = BigInt(h);
    const bucket = rows[0]!.bucket;
    const count = BigInt(rows.length);
    const held = inCopy.get(h) ?? 0n;
    const matched = held < count ? held : count;
    const provenCount = BigInt(rows.filter(proven).length);
    const absent = count - matched;
    const attributed = provenCount < absent ? provenCount : absent;
    add(copy, bucket, hash, matched);
    add(production, bucket, hash, matched + attributed);
    stillInCopy += matched;
  }
  return { production, copy, stillInCopy };
}

/**
 * A fingerprint with a settlement's side subtracted: from the totals, and from each bucket when it is
 * bucketed (a plain fingerprint keeps its single bucket 0 out of it).
 */
export function subtract(fp: TableFingerprint, minus: Map<number, Bucket>): TableFingerprint {
  let count = fp.count;
  let sum = fp.sum;
  const buckets = new Map(fp.buckets);
  for (const [id, m] of minus) {
    count -= m.count;
    sum -= m.sum;
    if (fp.bucketed) {
      const b = buckets.get(id) ?? { count: 0n, sum: 0n };
      buckets.set(id, { count: b.count - m.count, sum: b.sum - m.sum });
    }
  }
  return { ...fp, count, sum, buckets };
}

/**
 * Applies the settlements: production's map gets new fingerprints without its listed rows, the copy's
 * without the matched ones, and the copy's fingerprint records what was set aside (for the report).
 */
export function applySettlements(
  settlements: Map<string, InFlightSettlement>,
  production: Map<string, Side>,
  copy: Map<string, Side>,
): void {
  for (const [key, s] of settlements) {
    const p = production.get(key);
    const c = copy.get(key);
    if (!p || !c || !('ok' in p) || !('ok' in c)) continue;
    production.set(key, { ok: subtract(p.ok, s.production) });
    const changing = [...s.production.values()].reduce((n, b) => n + b.count, 0n) - s.stillInCopy;
    const fp = subtract(c.ok, s.copy);
    copy.set(key, {
      ok: { ...fp, inFlight: { rows: c.ok.inFlight?.rows ?? 0n, changing, stillInCopy: s.stillInCopy } },
    });
  }
}

/**
 * One line for the report on what a pinned comparison set aside across tables, with the reason; undefined
 * when nothing was.
 */
export function inFlightCheck(copy: Map<string, Side>): CheckResult | undefined {
  let rows = 0n;
  let changing = 0n;
  const tables: string[] = [];
  for (const [key, side] of copy) {
    if (!('ok' in side) || !side.ok.inFlight) continue;
    const f = side.ok.inFlight;
    if (f.rows === 0n && !f.changing) continue;
    rows += f.rows;
    changing += f.changing ?? 0n;
    tables.push(key);
  }
  if (!tables.length) return undefined;
  return result(
    'checksums:in-flight',
    'checksums',
    'pass',
    `${rows + changing} rows in ${tables.length} table${tables.length === 1 ? '' : 's'} (${listSome(tables)}) set aside, proven in flight at the pin by transaction id: ${rows} written in the copy by transactions production's snapshot did not see, ${changing} rows of the snapshot that such transactions changed or deleted; every other row compared exactly`,
    0,
    { measured: Number(rows + changing) },
  );
}
