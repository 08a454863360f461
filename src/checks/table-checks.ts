/**
 * Judging the copy from the two sides once both are read: schema, roles and privileges against
 * production's catalog; counts and checksums per table (a table missing on either side named as such);
 * and the integrity of the copy itself (every table read, indexes, sequences, foreign keys).
 */
import type pg from 'pg';
import { SCHEMA_KINDS, type TableInfo } from '../db/catalog.js';
import { differingBuckets } from '../db/fingerprint.js';
import { safeError, withPool } from '../db/session.js';
import type { CheckResult } from '../model/types.js';
import { comparePrivileges, compareRoles } from './access.js';
import type { CatalogSide } from './catalog-side.js';
import type { ChecksFile } from '../inputs/checks-file-schema.js';
import { compareTable, type Comparison, type Side } from './data.js';
import { lockedOut, type SidePool } from './fingerprint-pass.js';
import { amcheckCheck, foreignKeysCheck, readCheck, sequencesCheck } from './integrity.js';
import type { ProductionSide } from './production-side.js';
import { result } from './result.js';
import { compareSchemaKind } from './schema.js';
import { excludedObject, excludedTable } from './scope.js';
import { noteUncompared, type Uncompared } from './watermark-coverage.js';

/** Schema per kind, roles and table privileges; one error (or skip) per family when production is unread. */
export function catalogChecks(
  production: ProductionSide | undefined,
  copy: CatalogSide,
  catalogMs: number,
  checksFile: ChecksFile,
): CheckResult[] {
  if (!production || production.error || !production.objects) {
    const reason = !production
      ? 'no production-url: comparison skipped'
      : `production could not be read: ${production.error ?? production.catalogError ?? 'unknown error'}`;
    const status = production ? 'error' : 'skip';
    return [
      result('schema:all', 'schema', status, reason, 0),
      result('access:roles', 'access', status, reason, 0),
      result('access:table-privileges', 'access', status, reason, 0),
    ];
  }
  return [
    ...SCHEMA_KINDS.map((kind) =>
      compareSchemaKind(
        kind,
        production.objects![kind],
        copy.objects[kind],
        catalogMs,
        excludedObject(kind, checksFile),
      ),
    ),
    compareRoles(production.roles!, copy.roles, catalogMs),
    comparePrivileges(production.privileges!, copy.privileges, catalogMs),
  ];
}

/** Counts and checksums of every table on either side, in the copy's order, then those only on production. */
export function countsAndChecksums(
  copyTables: TableInfo[],
  copyFps: Map<string, Side>,
  production: ProductionSide | undefined,
  comparisonFor: (table: TableInfo) => Comparison,
  copyUncompared: Map<string, Uncompared> = new Map(),
): CheckResult[] {
  const checks: CheckResult[] = [];
  const both = (key: string, status: 'skip' | 'warn' | 'fail', reason: string): void => {
    checks.push(result(`counts:${key}`, 'counts', status, reason, 0));
    checks.push(result(`checksums:${key}`, 'checksums', status, reason, 0));
  };
  const prodByKey = new Map((production?.tables ?? []).map((t) => [t.key, t]));
  const prodKeys = new Set(prodByKey.keys());
  for (const table of copyTables) {
    const populated = populatedMismatch(table, prodByKey.get(table.key), comparisonFor);
    if (populated) {
      both(table.key, populated.status, populated.reason);
      continue;
    }
    const comparison = comparisonFor(table);
    if (comparison.kind === 'skip') {
      const side = copyFps.get(table.key);
      if (!side) both(table.key, 'skip', comparison.reason);
      else checks.push(...compareTable(table.key, comparison, undefined, side));
      continue;
    }
    if (production && !production.error && !prodKeys.has(table.key)) {
      both(table.key, 'skip', 'table not on production');
      continue;
    }
    const prodSide: Side | undefined = production?.error
      ? { error: `not compared: ${production.error}` }
      : notCompared(production?.fingerprints.get(table.key));
    const copySide = copyFps.get(table.key);
    if (lockedOut(prodSide) && copySide && 'ok' in copySide) {
      // Production was busy, not the copy wrong: said, not failed.
      both(table.key, 'warn', `${(prodSide as { error: string }).error}; copy has ${copySide.ok.count} rows`);
      continue;
    }
    const judged = compareTable(
      table.key,
      comparison.kind === 'watermark' && goneFromProduction(comparison, prodSide, copySide)
        ? { ...comparison, updateStyle: true }
        : comparison,
      prodSide,
      copySide ?? { error: 'not read' },
    );
    if (table.kind === 'materialized view' && comparison.kind === 'snapshot') noteRefresh(judged);
    checks.push(
      ...(comparison.kind === 'watermark'
        ? noteUncompared(
            judged,
            comparison.column,
            copyUncompared.get(table.key),
            production?.uncompared?.get(table.key),
          )
        : judged),
    );
  }
  const copyKeys = new Set(copyTables.map((t) => t.key));
  for (const table of production?.tables ?? []) {
    if (!copyKeys.has(table.key)) both(table.key, 'fail', 'table missing on the copy');
  }
  return checks;
}

/**
 * Every differing bucket of a created_at-style table has only extra rows on the copy: rows deleted on
 * production after the restore point (they are in the copy, and gone from production's rows at or before
 * it). Judged as an updated_at-style table's extra rows are: said and warned, not failed. Missing or
 * changed rows leave a bucket with fewer or as many rows on the copy, and still fail.
 */
function goneFromProduction(
  comparison: Extract<Comparison, { kind: 'watermark' }>,
  production?: Side,
  copy?: Side,
): boolean {
  if (comparison.updateStyle) return false;
  if (!production || !copy || !('ok' in production) || !('ok' in copy)) return false;
  if (!production.ok.bucketed || !copy.ok.bucketed) return false;
  const diff = differingBuckets(production.ok.buckets, copy.ok.buckets);
  return diff.length > 0 && diff.every((d) => d.countDelta > 0n);
}

/**
 * A materialized view populated on one side and not on the other: a restored copy holds what production
 * held, so inside the snapshot that is a fail; against production now it may have been refreshed or
 * emptied since the restore point, a warn.
 */
function populatedMismatch(
  copy: TableInfo,
  production: TableInfo | undefined,
  comparisonFor: (table: TableInfo) => Comparison,
): { status: 'warn' | 'fail'; reason: string } | undefined {
  if (copy.kind !== 'materialized view' || production?.kind !== 'materialized view') return undefined;
  if ((copy.populated ?? true) === (production.populated ?? true)) return undefined;
  const kind = comparisonFor({ ...copy, populated: true }).kind;
  if (kind === 'skip') return undefined;
  const which =
    copy.populated === false
      ? 'populated on production, not on the copy'
      : 'populated on the copy, not on production';
  return kind === 'snapshot'
    ? { status: 'fail', reason: `materialized view ${which} (production snapshot at T)` }
    : {
        status: 'warn',
        reason: `materialized view ${which}; production may have changed since the restore point`,
      };
}

/**
 * A REFRESH MATERIALIZED VIEW without CONCURRENTLY rewrites the view with rows every snapshot sees, so one
 * that ran on production after T and before the view was read shows its new rows inside the snapshot too.
 * A difference still fails (it is not attributed), and says so, so the reader can tell it from a restore fault.
 */
function noteRefresh(judged: CheckResult[]): void {
  for (const check of judged) {
    if (check.status === 'fail') {
      check.summary = `${check.summary}; a materialized view refreshed on production (REFRESH without CONCURRENTLY) after T and before it was read would show its new rows here too`;
    }
  }
}

/** A production table that could not be read is named as not compared, whatever the reason. */
function notCompared(side: Side | undefined): Side | undefined {
  if (!side || 'ok' in side || side.error.startsWith('not compared')) return side;
  return { error: `not compared: ${side.error}` };
}

/**
 * The copy on its own: every table read (from its fingerprints), then amcheck, sequences and foreign keys
 * at once over a pool of copy connections; a check that throws is an error result, not a thrown error.
 */
export async function integrityChecks(
  copy: pg.Client,
  copyPool: SidePool,
  copyTables: TableInfo[],
  copyFps: Map<string, Side>,
  checksFile: ChecksFile,
): Promise<CheckResult[]> {
  const run = <T>(
    items: T[],
    fn: (c: pg.Client, item: T) => Promise<string | undefined>,
  ): Promise<(string | undefined)[]> =>
    withPool(items, copyPool.concurrency, copyPool.open, fn, copyPool.signal);
  const read = readCheck(
    [...copyFps.entries()].map(([key, side]) =>
      'ok' in side ? { key, rows: side.ok.count, ms: side.ok.ms } : { key, error: side.error, ms: 0 },
    ),
  );
  const foreignKeys = checksFile['foreign-keys'];
  const rest = await Promise.all([
    checksFile.amcheck === false
      ? result('integrity:amcheck', 'integrity', 'skip', 'disabled in the checks file', 0)
      : amcheckCheck(copyPool.open, run).catch((e) =>
          result('integrity:amcheck', 'integrity', 'error', safeError(e), 0),
        ),
    sequencesCheck(copy, copyTables, excludedTable(checksFile)).catch((e) =>
      result('integrity:sequences', 'integrity', 'error', safeError(e), 0),
    ),
    foreignKeysCheck(
      copy,
      run,
      {
        enabled: foreignKeys?.enabled,
        maxRows: foreignKeys?.['max-rows'],
        timeoutMs: (foreignKeys?.['timeout-seconds'] ?? 120) * 1000,
      },
      excludedTable(checksFile),
    ).catch((e) => result('integrity:foreign-keys', 'integrity', 'error', safeError(e), 0)),
  ]);
  return [read, ...rest];
}
