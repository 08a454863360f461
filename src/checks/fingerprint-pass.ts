/**
 * A fingerprint pass: a set of tables fingerprinted over a pool of connections to one side (production
 * or the copy), and the second, bucketed pass that narrows tables whose fingerprints differ.
 * A table that cannot be read is an error side, never a thrown error; a pool that cannot open at all
 * makes every table an error side, unless the drill was cancelled.
 */
import type pg from 'pg';
import type { TableInfo } from '../db/catalog.js';
import { fingerprintTable, type FingerprintOptions } from '../db/fingerprint.js';
import { safeError, withPool } from '../db/session.js';
import type { Side } from './data.js';

/** Connections to one side: how many at a time, how to open one, and the drill's cancellation. */
export interface SidePool {
  concurrency: number;
  open: () => Promise<pg.Client>;
  signal: AbortSignal;
}

/** Fingerprints every table but unlogged ones (not in backups); the result is keyed by schema.table. */
export async function fingerprintTables(
  tables: TableInfo[],
  pool: SidePool,
  optionsFor: (table: TableInfo) => FingerprintOptions,
): Promise<Map<string, Side>> {
  const scanned = tables.filter((t) => t.persistence !== 'u');
  let sides: Side[];
  try {
    sides = await withPool(
      scanned,
      pool.concurrency,
      pool.open,
      async (client, table): Promise<Side> => {
        try {
          return {
            ok: await fingerprintTable(client, table, optionsFor(table)),
          };
        } catch (error) {
          return { error: safeError(error) };
        }
      },
      pool.signal,
    );
  } catch (error) {
    if (pool.signal.aborted) throw error;
    const side: Side = { error: safeError(error) };
    sides = scanned.map(() => side);
  }
  return new Map(scanned.map((t, i) => [t.key, sides[i]!]));
}

export interface Narrowing {
  /** The copy's tables. */
  tables: TableInfo[];
  /** Whether a table is compared with production at all (not a skip). */
  compared: (table: TableInfo) => boolean;
  /** The bucketed fingerprint options of a table (its filter plus the bucket count). */
  bucketed: (table: TableInfo) => FingerprintOptions;
  copy: { pool: SidePool; fingerprints: Map<string, Side> };
  /** No pool: production can no longer be read (its snapshot is gone); its plain fingerprints stay. */
  production: { pool?: SidePool; fingerprints: Map<string, Side> };
}

/**
 * Narrows the tables whose plain fingerprints differ to hash buckets: a second, grouped pass over those
 * tables only, both sides at once (production's already bucketed fingerprints are not read again).
 * Updates both fingerprint maps in place (the copy keeps its newest watermark value); returns how many
 * tables differed.
 */
export async function narrowDiffering(n: Narrowing): Promise<number> {
  const copyFps = n.copy.fingerprints;
  const productionFps = n.production.fingerprints;
  const differing = n.tables.filter((t) => {
    const c = copyFps.get(t.key);
    const p = productionFps.get(t.key);
    if (!c || !p || !('ok' in c) || !('ok' in p) || !n.compared(t)) return false;
    return c.ok.count !== p.ok.count || c.ok.sum !== p.ok.sum;
  });
  if (!differing.length) return 0;
  const needProduction = differing.filter((t) => {
    const p = productionFps.get(t.key);
    return !(p && 'ok' in p && p.ok.bucketed);
  });
  const productionPool = n.production.pool;
  const [copyB, prodB] = await Promise.all([
    fingerprintTables(differing, n.copy.pool, n.bucketed),
    productionPool && needProduction.length
      ? fingerprintTables(needProduction, productionPool, n.bucketed)
      : Promise.resolve(new Map<string, Side>()),
  ]);
  for (const [key, side] of copyB) {
    const plain = copyFps.get(key);
    if ('ok' in side && plain && 'ok' in plain) {
      copyFps.set(key, { ok: { ...side.ok, newestEpoch: plain.ok.newestEpoch } });
    }
  }
  for (const [key, side] of prodB) if ('ok' in side) productionFps.set(key, side);
  return differing.length;
}
