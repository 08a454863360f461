/**
 * How each table of the copy is compared with production. When the copy was restored to the instant
 * production was pinned at, inside that snapshot; else production now: restricted on both sides to rows
 * at or before the restore point by the table's watermark column (for a date column, the days before the
 * restore point's own), or, without one, as drift. A materialized view holds its last REFRESH, not rows in
 * time, so it has no watermark: compared inside the snapshot, else as drift. Relations whose rows are not
 * in the backup or cannot be read (unlogged and foreign tables, materialized views not populated) and a
 * missing production-url are skips, each with its reason.
 */
import type { TableInfo } from '../db/catalog.js';
import type { FingerprintOptions } from '../db/fingerprint.js';
import type { Comparison } from './data.js';
import { comparedUpTo, watermarkFor, type Watermark } from './watermark.js';
import type { CoverageQuery } from './watermark-coverage.js';

export interface ComparisonPlan {
  /** Production is the snapshot pinned before the restore. */
  pinned: boolean;
  /** Production is read now, in parallel with the copy. */
  live: boolean;
  comparisonFor(table: TableInfo): Comparison;
  /** The filter both sides fingerprint a table with: its watermark bound, or none. */
  filterFor(table: TableInfo): FingerprintOptions;
  /** The copy table's watermark column (configured or detected), if any. */
  watermarkOf(table: TableInfo): Watermark | undefined;
  /** For a watermark comparison that leaves rows out (NULL watermarks, the restore day): what to count. */
  coverageOf(table: TableInfo): CoverageQuery | undefined;
}

export interface ComparisonInputs {
  /** The copy's tables in scope. */
  tables: TableInfo[];
  /** The checks file's watermark columns (schema.table -> column or "none"). */
  configuredWatermarks?: Record<string, string>;
  /** A production-url was given. */
  hasProduction: boolean;
  /** The instant production was pinned at, when its snapshot pass was started. */
  pinnedAt?: Date;
  /** The time the copy was restored to (its target time), when the provider knows it. */
  restorePoint?: Date;
}

/** The pinned snapshot is used when the copy's restore point is within a second of it (or unknown). */
export function planComparisons(inputs: ComparisonInputs): ComparisonPlan {
  const watermarks = new Map<string, Watermark | undefined>(
    inputs.tables.map((t) => [t.key, watermarkFor(t, inputs.configuredWatermarks)]),
  );
  const { pinnedAt, restorePoint, hasProduction } = inputs;
  const pinned =
    pinnedAt !== undefined && (!restorePoint || Math.abs(restorePoint.getTime() - pinnedAt.getTime()) < 1000);
  const comparisonFor = (table: TableInfo): Comparison => {
    const unread = notReadReason(table);
    if (unread) return { kind: 'skip', reason: unread };
    if (!hasProduction) return { kind: 'skip', reason: 'no production-url: comparison skipped' };
    if (pinned) return { kind: 'snapshot', at: pinnedAt! };
    const w = watermarks.get(table.key);
    if (w && restorePoint) {
      const notAfter = comparedUpTo(w, restorePoint);
      return { kind: 'watermark', column: w.column, updateStyle: w.updateStyle, notAfter };
    }
    return { kind: 'drift' };
  };
  return {
    pinned,
    live: !pinned && hasProduction,
    comparisonFor,
    filterFor: (table) => {
      const c = comparisonFor(table);
      return c.kind === 'watermark' ? { watermark: { column: c.column, notAfter: c.notAfter } } : {};
    },
    watermarkOf: (table) => watermarks.get(table.key),
    coverageOf: (table) => {
      const w = watermarks.get(table.key);
      if (!w || !restorePoint || comparisonFor(table).kind !== 'watermark') return undefined;
      if (!w.nullable && !w.isDate) return undefined;
      const restoreDay = w.isDate ? restorePoint.toISOString().slice(0, 10) : undefined;
      return { column: w.column, nullable: w.nullable, ...(restoreDay ? { restoreDay } : {}) };
    },
  };
}

/**
 * Why a relation's rows are not compared, or undefined when they are. Unlogged tables are not written to
 * WAL: PostgreSQL empties them in crash recovery and never ships them to a standby, so a point-in-time copy
 * has them empty (Aurora, whose storage keeps them across a failover, still promises nothing about a
 * restore); that is how they work, not a backup failure.
 */
export function notReadReason(
  table: Pick<TableInfo, 'persistence' | 'kind' | 'populated'>,
): string | undefined {
  if (table.persistence === 'u')
    return 'not compared: unlogged table, its rows are not written to the WAL a restore replays, so a restored copy may hold none of them (not a backup failure)';
  if (table.kind === 'foreign table')
    return 'not compared: foreign table, its rows live on the foreign server, not in this database or its backup';
  if (table.kind === 'materialized view' && table.populated === false)
    return 'not compared: materialized view not populated (created WITH NO DATA), it cannot be read until refreshed';
  return undefined;
}
