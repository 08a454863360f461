/**
 * A fingerprint pass: a set of tables fingerprinted over a pool of connections to one side (production
 * or the copy), and the second, bucketed pass over the copy that narrows tables whose fingerprints differ
 * (production is bucketed in its own, single pass, so nothing is read from it again).
 * A table that cannot be read is an error side, never a thrown error; a pool that cannot open at all
 * makes every table an error side, unless the drill was cancelled. A table that waited past lock_timeout
 * (a DDL or a migration held it) is tried once more after the others, then reported as not compared.
 */
import type pg from 'pg';
import { readsRows, type TableInfo } from '../db/catalog.js';
import {
  fingerprintTable,
  REWRITTEN,
  type FingerprintOptions,
  type TableFingerprint,
} from '../db/fingerprint.js';
import { safeError, withPool } from '../db/session.js';
import type { Logger } from '../log/logger.js';
import { sleep } from '../time/poll.js';
import type { Side } from './data.js';

/** Connections to one side: how many at a time, how to open one, and the drill's cancellation. */
export interface SidePool {
  concurrency: number;
  open: () => Promise<pg.Client>;
  signal: AbortSignal;
  /**
   * Each table is read in its own transaction that this starts (joining a shared snapshot), committed
   * once the table is read: a table's lock is held only while it is read, and one table's error (a lock
   * timeout) does not abort the next table's read.
   */
  enter?: (client: pg.Client) => Promise<void>;
  /** Pause before a locked table is tried again. Default 1000 ms. */
  lockRetryDelayMs?: number;
  logger?: Logger;
  /** Told which tables are tried again after a lock timeout. */
  onRetry?: (tables: string[]) => void;
}

/** SQLSTATE 55P03, lock_not_available: the statement waited for a lock longer than lock_timeout. */
const LOCK_TIMEOUT = /^SQLSTATE 55P03\b/;
/** The error text of a table that timed out on a lock twice; judged as "not compared", not as a defect. */
export const LOCKED_OUT = 'not compared: the table stayed locked past lock_timeout (retried once)';

/** The statement waited past lock_timeout (an error as thrown by pg). */
export function isLockTimeout(error: unknown): boolean {
  return (error as { code?: string } | undefined)?.code === '55P03';
}

/** The table was not compared because production was busy with it: it stayed locked (LOCKED_OUT) or was rewritten after the snapshot (REWRITTEN). */
export function lockedOut(side: Side | undefined): boolean {
  return (
    side !== undefined &&
    'error' in side &&
    (side.error.startsWith(LOCKED_OUT) || side.error.startsWith(REWRITTEN))
  );
}

/** Fingerprints every relation whose rows can be read (readsRows); the result is keyed by schema.table. */
export async function fingerprintTables(
  tables: TableInfo[],
  pool: SidePool,
  optionsFor: (table: TableInfo) => FingerprintOptions,
): Promise<Map<string, Side>> {
  const scanned = tables.filter(readsRows);
  const sides = await fingerprintOnce(scanned, pool, optionsFor);
  const locked = scanned.filter((t) => {
    const side = sides.get(t.key);
    return side !== undefined && 'error' in side && LOCK_TIMEOUT.test(side.error);
  });
  if (locked.length === 0) return sides;
  const names = locked.map((t) => t.key);
  pool.onRetry?.(names);
  pool.logger?.info(`validation: lock timeout on ${names.join(', ')}; retrying once after the other tables`);
  await sleep(pool.lockRetryDelayMs ?? 1000, pool.signal);
  const again = await fingerprintOnce(locked, pool, optionsFor);
  for (const t of locked) {
    const side = again.get(t.key)!;
    if ('ok' in side) sides.set(t.key, side);
    else if (LOCK_TIMEOUT.test(side.error)) sides.set(t.key, { error: `${LOCKED_OUT}: ${side.error}` });
    // The retry failed otherwise (the snapshot was killed, say): an error, not production being busy.
    else sides.set(t.key, { error: `not compared: lock timeout, then the retry failed: ${side.error}` });
  }
  return sides;
}

async function fingerprintOnce(
  tables: TableInfo[],
  pool: SidePool,
  optionsFor: (table: TableInfo) => FingerprintOptions,
): Promise<Map<string, Side>> {
  let sides: Side[];
  try {
    sides = await withPool(
      tables,
      pool.concurrency,
      pool.open,
      async (client, table): Promise<Side> => {
        try {
          if (pool.enter) await pool.enter(client);
          const ok = await fingerprintTable(client, table, optionsFor(table));
          if (pool.enter) await client.query('COMMIT');
          return { ok };
        } catch (error) {
          if (pool.enter) await client.query('ROLLBACK').catch(() => undefined);
          return { error: safeError(error) };
        }
      },
      pool.signal,
    );
  } catch (error) {
    if (pool.signal.aborted) throw error;
    const side: Side = { error: safeError(error) };
    sides = tables.map(() => side);
  }
  return new Map(tables.map((t, i) => [t.key, sides[i]!]));
}

export interface Narrowing {
  /** The copy's tables. */
  tables: TableInfo[];
  /** Whether a table is compared with production at all (not a skip). */
  compared: (table: TableInfo) => boolean;
  /** The bucketed fingerprint options of a table (its filter plus the bucket count). */
  bucketed: (table: TableInfo) => FingerprintOptions;
  copy: { pool: SidePool; fingerprints: Map<string, Side> };
  /** Production's fingerprints, bucketed in its own pass. */
  production: Map<string, Side>;
  /** Applied to each table's bucketed fingerprint (setting aside what was set aside on the plain one). */
  adjust?: (table: string, fp: TableFingerprint) => TableFingerprint;
}

/**
 * Narrows the tables whose fingerprints differ to hash buckets: a second, grouped pass over those tables
 * on the copy only (production's fingerprints were bucketed when it was read). Updates the copy's map in
 * place (each table keeps its newest watermark value); returns how many tables differed.
 */
export async function narrowDiffering(n: Narrowing): Promise<number> {
  const copyFps = n.copy.fingerprints;
  const differing = n.tables.filter((t) => {
    const c = copyFps.get(t.key);
    const p = n.production.get(t.key);
    if (!c || !p || !('ok' in c) || !('ok' in p) || !n.compared(t)) return false;
    return c.ok.count !== p.ok.count || c.ok.sum !== p.ok.sum;
  });
  if (!differing.length) return 0;
  const bucketed = await fingerprintTables(differing, n.copy.pool, n.bucketed);
  for (const [key, side] of bucketed) {
    const plain = copyFps.get(key);
    if ('ok' in side && plain && 'ok' in plain) {
      const fp = { ...side.ok, newestEpoch: plain.ok.newestEpoch, inFlight: plain.ok.inFlight };
      copyFps.set(key, { ok: n.adjust ? n.adjust(key, fp) : fp });
    }
  }
  return differing.length;
}
