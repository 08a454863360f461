/**
 * Watermark columns: the timestamp that says when a row was last written. They restrict a comparison to
 * rows at or before the restore point, and their newest value in the copy is the base of measured data loss.
 */
import type { TableInfo } from '../db/catalog.js';

export interface Watermark {
  column: string;
  /** True for updated_at-style columns (rewritten on every change), false for created_at-style. */
  updateStyle: boolean;
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
 * updated_at-style names first (they also capture updates), then created_at-style names.
 */
export function watermarkFor(table: TableInfo, configured?: Record<string, string>): Watermark | undefined {
  const explicit = configured?.[table.key];
  if (explicit !== undefined) {
    if (explicit === 'none') return undefined;
    // A configured column that does not exist is reported by unknownWatermarks; detection stands in.
    if (table.columns.some((c) => c.name === explicit)) {
      return { column: explicit, updateStyle: /updat|modif|chang/i.test(explicit) };
    }
  }
  const candidates = table.columns.filter((c) => c.baseType !== null && TIME_TYPES.has(c.baseType));
  for (const name of UPDATE_NAMES) {
    if (candidates.some((c) => c.name.toLowerCase() === name))
      return { column: candidates.find((c) => c.name.toLowerCase() === name)!.name, updateStyle: true };
  }
  for (const name of CREATE_NAMES) {
    if (candidates.some((c) => c.name.toLowerCase() === name))
      return { column: candidates.find((c) => c.name.toLowerCase() === name)!.name, updateStyle: false };
  }
  return undefined;
}

/** Configured watermark columns that do not exist, for an early, clear message. */
export function unknownWatermarks(tables: TableInfo[], configured?: Record<string, string>): string[] {
  if (!configured) return [];
  const byKey = new Map(tables.map((t) => [t.key, t]));
  return Object.entries(configured)
    .filter(([key, col]) => col !== 'none' && !byKey.get(key)?.columns.some((c) => c.name === col))
    .map(([key, col]) => `${key}.${col}`);
}
