/**
 * The rows a watermark comparison cannot place: rows whose watermark is NULL (neither before nor after the
 * restore point), and, for a date watermark, rows dated the restore point's own day (written before or
 * after it). They are left out of the comparison on both sides; this counts them, one scan per table
 * that can have any (a nullable or date watermark), so the report says how many were not compared
 * instead of dropping them silently.
 */
import type pg from 'pg';
import type { TableInfo } from '../db/catalog.js';
import { qualified, safeError, withPool } from '../db/session.js';
import type { CheckResult } from '../model/types.js';
import type { SidePool } from './fingerprint-pass.js';
import { oneLine } from './result.js';

/** What to count in a table: NULL watermarks (nullable column) and rows of the restore day (date column). */
export interface CoverageQuery {
  column: string;
  nullable: boolean;
  /** YYYY-MM-DD (UTC) of the restore point, for a date watermark. */
  restoreDay?: string;
}

export type Uncompared = { nulls: bigint; restoreDay: bigint } | { error: string };

export async function countUncompared(
  tables: TableInfo[],
  pool: SidePool,
  queryFor: (table: TableInfo) => CoverageQuery | undefined,
): Promise<Map<string, Uncompared>> {
  const asked = tables.filter((t) => t.persistence !== 'u' && queryFor(t));
  if (!asked.length) return new Map();
  let counts: Uncompared[];
  try {
    counts = await withPool(
      asked,
      pool.concurrency,
      pool.open,
      (client, table) => countOne(client, table, queryFor(table)!),
      pool.signal,
    );
  } catch (error) {
    if (pool.signal.aborted) throw error;
    counts = asked.map(() => ({ error: safeError(error) }));
  }
  return new Map(asked.map((t, i) => [t.key, counts[i]!]));
}

async function countOne(client: pg.Client, table: TableInfo, q: CoverageQuery): Promise<Uncompared> {
  const col = `t.${client.escapeIdentifier(q.column)}`;
  const nulls = q.nullable ? `count(*) FILTER (WHERE ${col} IS NULL)` : '0';
  const day = q.restoreDay ? `count(*) FILTER (WHERE ${col} = $1::pg_catalog.date)` : '0';
  try {
    const { rows } = await client.query<{ n: string; d: string }>(
      `SELECT (${nulls})::text AS n, (${day})::text AS d FROM ${qualified(client, table.schema, table.name)} t`,
      q.restoreDay ? [q.restoreDay] : [],
    );
    return { nulls: BigInt(rows[0]!.n), restoreDay: BigInt(rows[0]!.d) };
  } catch (error) {
    return { error: safeError(error) };
  }
}

/**
 * Says, on a table's counts and checksums results, which rows were not compared; rows with a NULL
 * watermark make a pass a warn (they could hide a difference), rows of the restore day are only said.
 */
export function noteUncompared(
  checks: CheckResult[],
  column: string,
  copy: Uncompared | undefined,
  production: Uncompared | undefined,
): CheckResult[] {
  const parts: string[] = [];
  let warn = false;
  const sides: [string, Uncompared | undefined][] = [
    ['the copy', copy],
    ['production', production],
  ];
  for (const [name, u] of sides) {
    if (!u) continue;
    if ('error' in u) {
      parts.push(`rows the comparison left out on ${name} not counted: ${u.error}`);
      warn = true;
      continue;
    }
    if (u.nulls > 0n) {
      parts.push(`${u.nulls} rows with NULL ${column} on ${name} not compared`);
      warn = true;
    }
    if (u.restoreDay > 0n) {
      parts.push(
        `${u.restoreDay} rows on ${name} dated the restore day not compared (written before or after it)`,
      );
    }
  }
  if (!parts.length) return checks;
  return checks.map((c) => ({
    ...c,
    status: warn && c.status === 'pass' ? 'warn' : c.status,
    summary: oneLine(`${c.summary}; ${parts.join('; ')}`),
  }));
}
