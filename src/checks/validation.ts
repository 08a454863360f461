/**
 * The validation engine behind the Validator interface. prepare() pins production at T (for latest) and
 * fingerprints it in the background while the cluster restores; validate() makes one pass over the copy
 * (in parallel with production's watermark-filtered pass for a past point in time) and judges every family.
 * The jobs live beside it: production-side (reading production), comparison-plan (how each table is
 * compared), fingerprint-pass (fingerprinting over a pool, narrowing to buckets), table-checks (judging).
 */
import type pg from 'pg';
import type { Logger } from '../log/logger.js';
import type { CheckResult, ConnectionSettings, Plan, Target } from '../model/types.js';
import { readTables } from '../db/catalog.js';
import { DEFAULT_BUCKETS } from '../db/fingerprint.js';
import { openSession, type SessionOptions } from '../db/session.js';
import { ProductionSnapshot } from '../db/snapshot.js';
import type { PreparedValidation, ValidationResult, Validator } from './validator.js';
import { accessChecks } from './access.js';
import { readCatalogSide } from './catalog-side.js';
import { loadChecksFile, type ChecksFile } from '../inputs/checks-file-schema.js';
import { planComparisons } from './comparison-plan.js';
import { customChecks } from './custom.js';
import type { Side } from './data.js';
import { connectionEncryptionChecks, encryptionChecks } from './encryption.js';
import { fingerprintTables, narrowDiffering, type SidePool } from './fingerprint-pass.js';
import {
  productionSettings,
  readProductionInSnapshot,
  readProductionLive,
  type ProductionReading,
  type ProductionSide,
} from './production-side.js';
import { elapsed, result } from './result.js';
import { tablesInScope } from './scope.js';
import { runSmoke } from './smoke.js';
import { catalogChecks, countsAndChecksums, integrityChecks } from './table-checks.js';
import { unknownWatermarks } from './watermark.js';

export interface ValidatorOptions {
  /** Tables fingerprinted in parallel per side (connections per side). Default 4. */
  concurrency?: number;
  /** Server-side parallel workers per query (max_parallel_workers_per_gather). Default 2. */
  parallelWorkers?: number;
  /** Hash buckets a differing table is narrowed to. Default 256. */
  buckets?: number;
  /**
   * Bucket production's fingerprints up front, inside the restore wait, and release the production snapshot
   * as soon as they are read. Default false: production gets the fast one-row-per-table pass and the
   * snapshot stays open until validate() has narrowed any difference, which holds back vacuum on
   * production for the length of the restore (as a pg_dump of that length would).
   */
  bucketProductionUpfront?: boolean;
  /** An already loaded checks file; else prepare() loads plan.checksFile. */
  checksFile?: ChecksFile;
  /** Log the smoke command's output (masked). Default false: it never reaches the report. */
  showSmokeOutput?: boolean;
  smokeTimeoutMs?: number;
}

export function createValidator(options: ValidatorOptions = {}): Validator {
  return new Validation(options);
}

class Validation implements Validator {
  private plan?: Plan;
  private checksFile: ChecksFile;
  private production?: ConnectionSettings;
  private snapshot?: ProductionSnapshot;
  private pinned?: Date;
  private prepared?: Promise<ProductionSide>;
  private readonly session: SessionOptions;
  private readonly concurrency: number;
  private readonly buckets: number;

  constructor(private readonly options: ValidatorOptions) {
    this.checksFile = options.checksFile ?? { checks: [] };
    this.session = { parallelWorkers: options.parallelWorkers ?? 2 };
    this.concurrency = Math.max(1, options.concurrency ?? 4);
    this.buckets = options.buckets ?? DEFAULT_BUCKETS;
  }

  async prepare(plan: Plan, logger: Logger, signal: AbortSignal): Promise<PreparedValidation> {
    this.plan = plan;
    if (!this.options.checksFile && plan.checksFile) this.checksFile = await loadChecksFile(plan.checksFile);
    this.production = productionSettings(plan);
    if (!this.production) {
      logger.info('validation: no production-url; comparisons with production will be skipped');
      return {};
    }
    if (this.production.password) logger.setSecret(this.production.password);
    if (plan.restoreType !== 'latest') {
      // Fail early on a wrong production-url; the watermark-filtered pass runs in validate().
      const probe = await openSession(this.production, this.session);
      await probe.end().catch(() => undefined);
      return {};
    }
    this.snapshot = await ProductionSnapshot.open(this.production, this.session);
    this.pinned = this.snapshot.takenAt;
    logger.info(
      `validation: production snapshot exported at ${this.pinned.toISOString()}; fingerprinting production while the copy restores`,
    );
    const snapshot = this.snapshot;
    const upfront = this.options.bucketProductionUpfront === true;
    this.prepared = readProductionInSnapshot(
      snapshot,
      this.reading(signal),
      logger,
      upfront ? this.buckets : 0,
    ).finally(() => (upfront ? snapshot.release() : undefined));
    this.prepared.catch(() => undefined); // judged in validate()
    return { pinnedTime: this.pinned };
  }

  async validate(target: Target, logger: Logger, signal: AbortSignal): Promise<ValidationResult> {
    const plan = this.plan;
    if (!plan) throw new Error('validator: prepare() must run before validate()');
    const started = Date.now();
    const checks: CheckResult[] = [];
    checks.push(...encryptionChecks(plan, target), ...accessChecks(plan, target));
    if (target.connection.password) logger.setSecret(target.connection.password);

    const copyPool: SidePool = {
      concurrency: this.concurrency,
      open: () => openSession(target.connection, this.session),
      signal,
    };
    let copy: pg.Client;
    try {
      copy = await copyPool.open();
    } catch (error) {
      checks.push(
        result('integrity:connect', 'integrity', 'error', (error as Error).message, elapsed(started)),
      );
      return { checks };
    }
    try {
      checks.push(...(await connectionEncryptionChecks(copy, target)));
      const t0 = Date.now();
      const copyTables = tablesInScope(await readTables(copy), this.checksFile);
      const copyCatalog = await readCatalogSide(copy);
      const catalogMs = elapsed(t0);

      for (const w of unknownWatermarks(copyTables, this.checksFile.watermarks)) {
        logger.warning(
          `validation: watermark column ${w} (checks file) does not exist on the copy; detection used instead`,
        );
      }
      const comparisons = planComparisons({
        tables: copyTables,
        configuredWatermarks: this.checksFile.watermarks,
        hasProduction: this.production !== undefined,
        pinnedAt: this.prepared ? this.pinned : undefined,
        restorePoint: target.targetTime ? new Date(target.targetTime) : undefined,
      });
      if (this.prepared && !comparisons.pinned) {
        logger.warning(
          'validation: the copy was not restored to the pinned time; comparing with production by watermark instead',
        );
      }

      // One pass over the copy; for a live comparison, production's pass runs at the same time.
      const t1 = Date.now();
      const copyPass = fingerprintTables(copyTables, copyPool, (t) => ({
        ...comparisons.filterFor(t),
        newestColumn: comparisons.watermarkOf(t)?.column,
      }));
      const productionPass: Promise<ProductionSide | undefined> = comparisons.pinned
        ? this.prepared!
        : comparisons.live
          ? readProductionLive(this.production!, this.reading(signal), copyTables, comparisons.filterFor)
          : Promise.resolve(undefined);
      const [copyFps, production] = await Promise.all([copyPass, productionPass]);
      logger.info(`validation: fingerprinted ${copyFps.size} tables on the copy in ${elapsed(t1)} ms`);

      if (production && !production.error) {
        const t2 = Date.now();
        const narrowed = await narrowDiffering({
          tables: copyTables,
          compared: (t) => comparisons.comparisonFor(t).kind !== 'skip',
          bucketed: (t) => ({ ...comparisons.filterFor(t), buckets: this.buckets }),
          copy: { pool: copyPool, fingerprints: copyFps },
          production: {
            pool: this.productionPool(comparisons.pinned, signal),
            fingerprints: production.fingerprints,
          },
        });
        if (narrowed) {
          logger.info(
            `validation: narrowed ${narrowed} differing tables to hash buckets in ${elapsed(t2)} ms`,
          );
        }
      }
      await this.snapshot?.release();

      checks.push(...catalogChecks(production, copyCatalog, catalogMs, this.checksFile));
      checks.push(...countsAndChecksums(copyTables, copyFps, production, comparisons.comparisonFor));
      checks.push(...(await integrityChecks(copy, copyPool, copyTables, copyFps, this.checksFile)));
      checks.push(...(await customChecks(copy, this.checksFile.checks, production, comparisons.pinned)));
      if (plan.smokeCommand) {
        checks.push(
          await runSmoke(plan.smokeCommand, target.connection, logger, {
            showOutput: this.options.showSmokeOutput,
            timeoutMs: this.options.smokeTimeoutMs,
            signal,
          }),
        );
      }

      logger.info(`validation: ${checks.length} checks in ${elapsed(started)} ms (${tally(checks)})`);
      return { checks, newestDataAt: newestData(copyFps) };
    } finally {
      await copy.end().catch(() => undefined);
      await this.snapshot?.release();
    }
  }

  async close(): Promise<void> {
    const snapshot = this.snapshot;
    this.snapshot = undefined;
    await snapshot?.release();
    await this.prepared?.catch(() => undefined);
  }

  private reading(signal: AbortSignal): ProductionReading {
    return { checksFile: this.checksFile, concurrency: this.concurrency, session: this.session, signal };
  }

  /** Connections to production for the bucketed pass: the pinned snapshot's, or new live sessions. */
  private productionPool(pinned: boolean, signal: AbortSignal): SidePool | undefined {
    const snapshot = this.snapshot;
    const production = this.production!;
    const open = pinned
      ? snapshot
        ? () => snapshot.join()
        : undefined
      : () => openSession(production, this.session);
    return open && { concurrency: this.concurrency, open, signal };
  }
}

/** The newest watermark value found on the copy, the base of measured data loss. */
function newestData(copyFps: Map<string, Side>): Date | undefined {
  let newest: number | undefined;
  for (const side of copyFps.values()) {
    if (
      'ok' in side &&
      side.ok.newestEpoch !== undefined &&
      (newest === undefined || side.ok.newestEpoch > newest)
    ) {
      newest = side.ok.newestEpoch;
    }
  }
  return newest === undefined ? undefined : new Date(Math.round(newest * 1000));
}

function tally(checks: CheckResult[]): string {
  const n = new Map<string, number>();
  for (const c of checks) n.set(c.status, (n.get(c.status) ?? 0) + 1);
  return [...n.entries()].map(([s, k]) => `${k} ${s}`).join(', ');
}
