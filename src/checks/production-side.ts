/**
 * Production, read once per drill: its tables, catalog, fingerprints and the production side of
 * matches-production checks. Either inside the snapshot pinned before the restore (restore-type latest),
 * or live, for a past restore point, filtered by the copy's watermarks so both sides read the same rows.
 * A failed read is a side with an error, judged later; it never throws (but for cancellation).
 */
import type pg from 'pg';
import type { Logger } from '../log/logger.js';
import type { ConnectionSettings, Plan, SslMode } from '../model/types.js';
import { SSL_MODES } from '../model/types.js';
import { settingsFromUrl } from '../db/connect.js';
import { readTables, type TableInfo } from '../db/catalog.js';
import type { FingerprintOptions } from '../db/fingerprint.js';
import { openSession, safeError, type SessionOptions } from '../db/session.js';
import type { ProductionSnapshot } from '../db/snapshot.js';
import type { ChecksFile } from '../inputs/checks-file-schema.js';
import { readCatalogSide, type CatalogSide } from './catalog-side.js';
import { runOnProduction, type QueryOutcome } from './custom.js';
import type { Side } from './data.js';
import { fingerprintTables } from './fingerprint-pass.js';
import { elapsed } from './result.js';
import { tablesInScope } from './scope.js';

/** What production looked like: tables, catalog (unless unread), fingerprints, custom results. */
export interface ProductionSide extends Partial<CatalogSide> {
  tables: TableInfo[];
  fingerprints: Map<string, Side>;
  custom: Map<string, QueryOutcome>;
  error?: string;
}

/** How production is read: the checks file's scope and checks, the pool size, the session settings. */
export interface ProductionReading {
  checksFile: ChecksFile;
  concurrency: number;
  session: SessionOptions;
  signal: AbortSignal;
}

/** The production connection: the URL's own sslmode when it has one, else the plan's (local-pitr: disable). */
export function productionSettings(plan: Plan): ConnectionSettings | undefined {
  const url = plan.productionUrl ?? (plan.provider === 'local-pitr' ? plan.sourceUrl : undefined);
  if (!url) return undefined;
  const fromUrl = new URL(url).searchParams.get('sslmode');
  const mode: SslMode =
    fromUrl && (SSL_MODES as readonly string[]).includes(fromUrl)
      ? (fromUrl as SslMode)
      : !plan.productionUrl && plan.provider === 'local-pitr'
        ? 'disable'
        : plan.sslMode;
  return settingsFromUrl(url, mode);
}

/**
 * Production inside the pinned snapshot: fingerprints over connections that join it (bucketed up front
 * when buckets > 0), and the catalog and custom checks on the snapshot's own connection.
 */
export async function readProductionInSnapshot(
  snapshot: ProductionSnapshot,
  reading: ProductionReading,
  logger: Logger,
  buckets: number,
): Promise<ProductionSide> {
  const started = Date.now();
  try {
    const tables = tablesInScope(await readTables(snapshot.client), reading.checksFile);
    const pool = { concurrency: reading.concurrency, open: () => snapshot.join(), signal: reading.signal };
    const [fingerprints, catalog] = await Promise.all([
      fingerprintTables(tables, pool, () => ({ buckets })),
      readCatalogAndCustom(snapshot.client, reading.checksFile, true),
    ]);
    logger.info(
      `validation: fingerprinted ${tables.length} production tables in the snapshot in ${elapsed(started)} ms`,
    );
    return { tables, fingerprints, ...catalog };
  } catch (error) {
    logger.warning(`validation: production snapshot pass failed: ${safeError(error)}`);
    return unreadProduction(error);
  }
}

/**
 * Production now, as read for a past restore point: catalog plus fingerprints filtered the way the copy's
 * table of the same name is (the copy's watermark decides the filter on both sides).
 */
export async function readProductionLive(
  settings: ConnectionSettings,
  reading: ProductionReading,
  copyTables: TableInfo[],
  filterFor: (table: TableInfo) => FingerprintOptions,
): Promise<ProductionSide> {
  let client: pg.Client | undefined;
  try {
    client = await openSession(settings, reading.session);
    const tables = tablesInScope(await readTables(client), reading.checksFile);
    const copyByKey = new Map(copyTables.map((t) => [t.key, t]));
    const pool = {
      concurrency: reading.concurrency,
      open: () => openSession(settings, reading.session),
      signal: reading.signal,
    };
    const [fingerprints, catalog] = await Promise.all([
      fingerprintTables(tables, pool, (t) => filterFor(copyByKey.get(t.key) ?? t)),
      readCatalogAndCustom(client, reading.checksFile, false),
    ]);
    return { tables, fingerprints, ...catalog };
  } catch (error) {
    return unreadProduction(error);
  } finally {
    await client?.end().catch(() => undefined);
  }
}

/** Schema objects, roles, privileges and the production side of matches-production checks. */
async function readCatalogAndCustom(
  client: pg.Client,
  checksFile: ChecksFile,
  inTransaction: boolean,
): Promise<CatalogSide & { custom: Map<string, QueryOutcome> }> {
  const catalog = await readCatalogSide(client);
  const custom = await runOnProduction(client, checksFile.checks, inTransaction);
  return { ...catalog, custom };
}

function unreadProduction(error: unknown): ProductionSide {
  return { tables: [], fingerprints: new Map(), custom: new Map(), error: safeError(error) };
}
