/**
 * Watermark columns: the timestamp that says when a row was last written. They restrict a comparison to
 * rows at or before the restore point, and their newest value in the copy is the base of measured data loss.
 */
import type { ColumnInfo, TableInfo } from '../db/catalog.js';

export interface Watermark {
  column: string;
  /** True for updated_at-style columns (rewritten on every change), false for created_at-style. */
  updateStyle: boolean;
  /** A date column: rows of the restore point's own day may have been written after it. */
  isDate: boolean;
  /** The column admits NULL: such rows cannot be placed before or after the restore point. */
  nullable: boolean;
}

const TIME_TYPES = new Set(['timestamptz', 'timestamp', 'date']);
const UPDATE_NAMES = [
  'updated_at',
  'modified_at',
  'last_modified_at',
  'last_modified',
  'changed_at',
  'updated_on',
  'modified_on',
  'updated',
  'modified',
];
const CREATE_NAMES = [
  'created_at',
  'inserted_at',
  'recorded_at',
  'occurred_at',
  'observed_at',
  'created_on',
  'created',
  'inserted',
];

/**
 * The configured column (checks file `watermarks`, "none" turns it off), else the first detected one:
 * updated_at-style names first (they also capture updates), then created_at-style names. None for a
 * materialized view.
 */
export function watermarkFor(table: TableInfo, configured?: Record<string, string>): Watermark | undefined {
  // A materialized view holds its last REFRESH: its rows' times do not say what it held at a past instant.
  if (table.kind === 'materialized view') return undefined;
  const explicit = configured?.[table.key];
  if (explicit !== undefined) {
    if (explicit === 'none') return undefined;
    // A configured column that does not exist is reported by unknownWatermarks; detection stands in.
    const column = table.columns.find((c) => c.name === explicit);
    if (column) return watermark(column, /updat|modif|chang/i.test(explicit));
  }
  const candidates = table.columns.filter((c) => c.baseType !== null && TIME_TYPES.has(c.baseType));
  for (const name of UPDATE_NAMES) {
    const column = candidates.find((c) => c.name.toLowerCase() === name);
    if (column) return watermark(column, true);
  }
  for (const name of CREATE_NAMES) {
    const column = candidates.find((c) => c.name.toLowerCase() === name);
    if (column) return watermark(column, false);
  }
  return undefined;
}

const watermark = (column: ColumnInfo, updateStyle: boolean): Watermark => ({
  column: column.name,
  updateStyle,
  isDate: column.baseType === 'date',
  nullable: !column.notNull,
});

/**
 * The newest watermark value a row may have to be compared as written at or before the restore point.
 * A date holds no time of day: rows dated the restore point's own day may have been written after it, so
 * only the days before it are compared (the session's time zone is UTC, so a date is its UTC midnight).
 */
export function comparedUpTo(w: Watermark, restorePoint: Date): Date {
  if (!w.isDate) return restorePoint;
  const day = new Date(restorePoint);
  day.setUTCHours(0, 0, 0, 0);
  return new Date(day.getTime() - 1);
}

/** Configured watermark columns that do not exist, for an early, clear message. */
export function unknownWatermarks(tables: TableInfo[], configured?: Record<string, string>): string[] {
  if (!configured) return [];
  const byKey = new Map(tables.map((t) => [t.key, t]));
  return Object.entries(configured)
    .filter(([key, col]) => col !== 'none' && !byKey.get(key)?.columns.some((c) => c.name === col))
    .map(([key, col]) => `${key}.${col}`);
}
