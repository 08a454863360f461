/**
 * What the comparison covers, per the checks file's exclude-tables: an excluded table is neither
 * fingerprinted nor judged, and the objects that belong to it are left out of the schema comparison.
 * Unlogged tables stay in scope: they are judged as skip.
 */
import type { SchemaKind, TableInfo } from '../db/catalog.js';
import type { ChecksFile } from '../inputs/checks-file-schema.js';

/** Whether a table (schema.table) is excluded by the checks file. */
export function excludedTable(checksFile: ChecksFile): (table: string) => boolean {
  const excluded = new Set(checksFile['exclude-tables'] ?? []);
  return (table) => excluded.has(table);
}

/** User tables minus excluded ones. */
export function tablesInScope(tables: TableInfo[], checksFile: ChecksFile): TableInfo[] {
  const excluded = excludedTable(checksFile);
  return tables.filter((t) => !excluded(t.key));
}

/** Objects of excluded tables (schema.table and schema.table.<anything>) are left out of the schema comparison. */
export function excludedObject(kind: SchemaKind, checksFile: ChecksFile): (name: string) => boolean {
  const excluded = checksFile['exclude-tables'] ?? [];
  if (excluded.length === 0 || kind === 'extensions' || kind === 'functions') return () => false;
  return (name) => excluded.some((t) => name === t || name.startsWith(`${t}.`));
}
