/**
 * Production, read once per drill, in one pass: its tables, catalog, fingerprints (bucketed by primary
 * key, so a later mismatch is narrowed on the copy alone) with each table's newest watermark value, and
 * the production side of matches-production checks. Either inside the snapshot pinned before the restore
 * (restore-type latest; the pass releases it the moment it ends, long before the copy is ready), or live,
 * for a past restore point, filtered by the copy's watermarks so both sides read the same rows.
 * A failed read is a side with an error, judged later; it never throws (but for cancellation).
 */
import type pg from 'pg';
import type { Logger } from '../log/logger.js';
import type { ConnectionSettings } from '../model/types.js';
import type { RestoreTestPlan } from '../inputs/plan-types.js';
import { sleep } from '../time/poll.js';
import { readTables, type TableInfo } from '../db/catalog.js';
import type { FingerprintOptions } from '../db/fingerprint.js';
import { openSession, safeError, stopOnAbort, type SessionOptions } from '../db/session.js';
import type { ProductionSnapshot } from '../db/snapshot.js';
import type { ChecksFile } from '../inputs/checks-file-schema.js';
import { readCatalogSide, type CatalogSide } from './catalog-side.js';
import { runOnProduction, type QueryOutcome } from './custom.js';
import type { Side } from './data.js';
import { fingerprintTables, isLockTimeout, type SidePool } from './fingerprint-pass.js';
import { elapsed } from './result.js';
import { tablesInScope } from './scope.js';
import { watermarkFor } from './watermark.js';
import { countUncompared, type CoverageQuery, type Uncompared } from './watermark-coverage.js';

/** How the production pass went: how long production was held, and on which server. */
export interface ProductionPass {
  /** Milliseconds from the start of the pass until its transaction ended. */
  ms: number;
  /** pg_is_in_recovery(): read on a reader; undefined when the pass failed before it could ask. */
  onReader?: boolean;
  /** Tables tried a second time after a lock timeout. */
  retried: string[];
}

/** What production looked like: tables, catalog (unless unread), fingerprints, custom results. */
export interface ProductionSide extends Partial<CatalogSide> {
  tables: TableInfo[];
  fingerprints: Map<string, Side>;
  custom: Map<string, QueryOutcome>;
  /** Nothing could be read (no table list): every comparison is an error with this reason. */
  error?: string;
  /** The catalog (schema, roles, privileges) could not be read, though tables may have been. */
  catalogError?: string;
  pass?: ProductionPass;
  /** Rows a watermark comparison left out, per table (live pass only). */
  uncompared?: Map<string, Uncompared>;
}

/** How production is read: the checks file's scope and checks, the pool size, the session settings. */
export interface ProductionReading {
  checksFile: ChecksFile;
  concurrency: number;
  session: SessionOptions;
  signal: AbortSignal;
  /** Hash buckets every production table is fingerprinted in. */
  buckets: number;
  logger: Logger;
  /** Pause before a table that timed out on a lock is tried again (default 1000 ms). */
  lockRetryDelayMs?: number;
}

/** The production connection, parsed while planning: production-url (its own sslmode, else ssl-mode, and ca-bundle), else local-pitr's source-url. */
export function productionSettings(
  plan: Pick<RestoreTestPlan, 'production'>,
): ConnectionSettings | undefined {
  return plan.production?.settings;
}

/**
 * Production inside the pinned snapshot: bucketed fingerprints over connections that join it, the catalog
 * and custom checks on the snapshot's own connection. Releases the snapshot when the pass ends, whatever
 * happened: nothing is read from production after this.
 */
export async function readProductionInSnapshot(
  snapshot: ProductionSnapshot,
  reading: ProductionReading,
  /**
   * Settles once production's clock is past the restore point (the ceiling of db/in-flight.ts is read):
   * tables are read only then, so every change committed by the restore point has already marked the rows
   * it replaced (their xmax), and the rows the copy lacks are listed.
   */
  pastRestorePoint: Promise<unknown> = Promise.resolve(),
): Promise<ProductionSide> {
  const started = Date.now();
  const retried: string[] = [];
  const pass = (): ProductionPass => ({ ms: elapsed(started), onReader: snapshot.onReader, retried });
  // On cancel the exporting connection's statement is cancelled; release() then ends it.
  const detach = stopOnAbort(snapshot.client, reading.signal, true);
  try {
    // The snapshot's own connection reads pg_catalog only; everything that may lock a user table (the
    // tables, the catalog's definitions, custom checks) reads in short transactions that join the snapshot.
    const tables = tablesInScope(await readTables(snapshot.client), reading.checksFile);
    snapshot.keepBusy();
    const pool = sidePool(
      reading,
      () => snapshot.connect(),
      (c) => snapshot.enter(c),
      retried,
    );
    const [fingerprints, catalog] = await Promise.all([
      pastRestorePoint.then(() =>
        fingerprintTables(tables, pool, (t) => ({
          ...productionOptions(t, reading),
          inFlight: { visibility: snapshot.visibility, side: 'production' },
        })),
      ),
      readCatalogAndCustom(() => snapshot.join(), reading, true, retried),
    ]);
    detach();
    await snapshot.release();
    const side = { tables, fingerprints, ...catalog, pass: pass() };
    reading.logger.info(`validation: production pass ${passSummary(side)}; snapshot released`);
    return side;
  } catch (error) {
    detach();
    await snapshot.release();
    if (reading.signal.aborted) throw error;
    reading.logger.warning(`validation: production snapshot pass failed: ${safeError(error)}`);
    return { ...unreadProduction(error), pass: pass() };
  }
}

/**
 * Production now, as read for a past restore point: catalog plus bucketed fingerprints filtered the way
 * the copy's table of the same name is (the copy's watermark decides the filter on both sides).
 */
export async function readProductionLive(
  settings: ConnectionSettings,
  reading: ProductionReading,
  copyTables: TableInfo[],
  filterFor: (table: TableInfo) => FingerprintOptions,
  coverageOf: (table: TableInfo) => CoverageQuery | undefined = () => undefined,
): Promise<ProductionSide> {
  const started = Date.now();
  const retried: string[] = [];
  let onReader: boolean | undefined;
  let client: pg.Client | undefined;
  let detach = (): void => undefined;
  const open = (): Promise<pg.Client> => openSession(settings, reading.session);
  try {
    client = await open();
    detach = stopOnAbort(client, reading.signal);
    onReader = (await client.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r')).rows[0]?.r;
    const tables = tablesInScope(await readTables(client), reading.checksFile);
    const copyByKey = new Map(copyTables.map((t) => [t.key, t]));
    const pool = sidePool(reading, open, undefined, retried);
    const [fingerprints, catalog] = await Promise.all([
      fingerprintTables(tables, pool, (t) => ({
        ...productionOptions(copyByKey.get(t.key) ?? t, reading),
        ...filterFor(copyByKey.get(t.key) ?? t),
      })),
      readCatalogAndCustom(open, reading, false, retried),
    ]);
    const uncompared = await countUncompared(tables, pool, (t) => coverageOf(copyByKey.get(t.key) ?? t));
    const pass = { ms: elapsed(started), onReader, retried };
    const side = { tables, fingerprints, ...catalog, pass, uncompared };
    reading.logger.info(`validation: production pass ${passSummary(side)}`);
    return side;
  } catch (error) {
    if (reading.signal.aborted) throw error;
    return { ...unreadProduction(error), pass: { ms: elapsed(started), onReader, retried } };
  } finally {
    detach();
    await client?.end().catch(() => undefined);
  }
}

/** Bucketed, with the newest value of the table's watermark column (the base of measured data loss). */
function productionOptions(table: TableInfo, reading: ProductionReading): FingerprintOptions {
  return {
    buckets: reading.buckets,
    newestColumn: watermarkFor(table, reading.checksFile.watermarks)?.column,
  };
}

function sidePool(
  reading: ProductionReading,
  open: () => Promise<pg.Client>,
  enter: SidePool['enter'],
  retried: string[],
): SidePool {
  return {
    concurrency: reading.concurrency,
    open,
    signal: reading.signal,
    enter,
    lockRetryDelayMs: reading.lockRetryDelayMs,
    logger: reading.logger,
    onRetry: (tables) => retried.push(...tables),
  };
}

/** "read 4 of 5 tables in 1234 ms on the writer (not read: public.t)" */
function passSummary(side: ProductionSide): string {
  const unread = [...side.fingerprints].filter(([, s]) => 'error' in s).map(([key]) => key);
  const read = side.fingerprints.size - unread.length;
  const where = side.pass?.onReader ? 'a reader' : 'the writer';
  return `read ${read} of ${side.fingerprints.size} tables in ${side.pass?.ms ?? 0} ms on ${where}${
    unread.length ? ` (not read: ${unread.join(', ')})` : ''
  }${side.catalogError ? `; catalog not read: ${side.catalogError}` : ''}`;
}

/**
 * Schema objects, roles, privileges and the production side of matches-production checks, on a connection
 * of their own (inside the snapshot when `inSnapshot`), closed as soon as they are read so any lock they
 * took is released. A lock timeout while reading the catalog is tried once more on a new connection.
 */
async function readCatalogAndCustom(
  open: () => Promise<pg.Client>,
  reading: ProductionReading,
  inSnapshot: boolean,
  retried: string[],
): Promise<Partial<CatalogSide> & { custom: Map<string, QueryOutcome>; catalogError?: string }> {
  const checks = reading.checksFile.checks;
  const read = async (): Promise<CatalogSide & { custom: Map<string, QueryOutcome> }> => {
    const client = await open();
    const detach = stopOnAbort(client, reading.signal);
    try {
      const catalog = await readCatalogSide(client);
      const custom = await runOnProduction(client, checks, inSnapshot);
      return { ...catalog, custom };
    } finally {
      detach();
      await client.end().catch(() => undefined);
    }
  };
  try {
    try {
      return await read();
    } catch (error) {
      if (!isLockTimeout(error)) throw error;
      retried.push('catalog');
      reading.logger.info('validation: lock timeout reading the catalog; retrying once');
      await sleep(reading.lockRetryDelayMs ?? 1000, reading.signal);
      return await read();
    }
  } catch (error) {
    if (reading.signal.aborted) throw error;
    // The tables may still be read over their own connections: only the catalog and custom checks are lost.
    const catalogError = safeError(error);
    const custom = new Map<string, QueryOutcome>(
      checks
        .filter((c) => 'matches-production' in c.expect)
        .map((c) => [c.name, { error: `not run on production: ${catalogError}`, ms: 0 }]),
    );
    return { custom, catalogError };
  }
}

function unreadProduction(error: unknown): ProductionSide {
  return { tables: [], fingerprints: new Map(), custom: new Map(), error: safeError(error) };
}
