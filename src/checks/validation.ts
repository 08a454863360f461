/**
 * The validation engine behind the Validator interface. prepare() pins production at T (for latest) and
 * reads it, bucketed, in one pass that starts while the cluster restores and releases production's
 * snapshot the moment it ends; validate() makes one pass over the copy (in parallel with production's
 * watermark-filtered pass for a past point in time), narrows differing tables on the copy alone, and
 * judges every family. The jobs live beside it: production-side (reading production), comparison-plan
 * (how each table is compared), fingerprint-pass (fingerprinting over a pool, narrowing to buckets),
 * table-checks (judging), production-posture (how production was touched).
 */
import type pg from 'pg';
import type { Logger } from '../log/logger.js';
import type { CheckResult, ConnectionSettings, Target } from '../model/types.js';
import type { RestoreTestPlan as Plan } from '../inputs/plan-types.js';
import { readTables, type TableInfo } from '../db/catalog.js';
import { DEFAULT_BUCKETS } from '../db/fingerprint.js';
import { openSession, type SessionOptions } from '../db/session.js';
import { ProductionSnapshot, UnknownReplayPoint } from '../db/snapshot.js';
import type { SnapshotVisibility } from '../db/in-flight.js';
import type { PreparedValidation, ValidationResult, Validator } from './validator.js';
import { accessChecks } from './access.js';
import { readCatalogSide } from './catalog-side.js';
import type { ChecksFile } from '../inputs/checks-file-schema.js';
import { planComparisons } from './comparison-plan.js';
import { customChecks } from './custom.js';
import { measureDataLoss } from './data-loss.js';
import type { Side } from './data.js';
import { copyClosureCheck } from './copy-closure.js';
import { connectionEncryptionChecks, encryptionChecks } from './encryption.js';
import { fingerprintTables, narrowDiffering, type SidePool } from './fingerprint-pass.js';
import { applySettlements, inFlightCheck, settleInFlight, subtract } from './in-flight.js';
import {
  productionSettings,
  readProductionInSnapshot,
  readProductionLive,
  type ProductionReading,
  type ProductionSide,
} from './production-side.js';
import { productionPassCheck } from './production-posture.js';
import { elapsed, result } from './result.js';
import { tablesInScope } from './scope.js';
import { runSmoke } from './smoke.js';
import { catalogChecks, countsAndChecksums, integrityChecks } from './table-checks.js';
import { unknownWatermarks } from './watermark.js';
import { countUncompared } from './watermark-coverage.js';

export interface ValidatorOptions {
  /** Tables fingerprinted in parallel per side (connections per side). Default 4. */
  concurrency?: number;
  /** Server-side parallel workers per query (max_parallel_workers_per_gather). Default 2. */
  parallelWorkers?: number;
  /** The drill's run id, shown with application_name restore-proof on every session (pg_stat_activity). */
  runId?: string;
  /** statement_timeout of every statement on production (the copy's are not bounded); default none. */
  statementTimeoutMs?: number;
  /** Hash buckets production is read in and a differing table is narrowed to. Default 256. */
  buckets?: number;
  /** Pause before a table that timed out on a lock is tried again. Default 1000 ms. */
  lockRetryDelayMs?: number;
  /** A checks file to use instead of the plan's (read and validated while planning). */
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
  private pinned?: Date;
  /** Which transactions production's pinned snapshot sees (to set aside what was in flight at the pin). */
  private visibility?: Promise<SnapshotVisibility>;
  /** The production pass of a latest drill; it releases its snapshot when it ends. */
  private prepared?: Promise<ProductionSide>;
  /** Aborted by close(): a pass still running when the drill gives up stops at once. */
  private readonly closing = new AbortController();
  /** The copy's sessions; production's add statementTimeoutMs. */
  private readonly session: SessionOptions;
  private readonly productionSession: SessionOptions;
  private readonly concurrency: number;
  private readonly buckets: number;

  constructor(private readonly options: ValidatorOptions) {
    this.checksFile = options.checksFile ?? { checks: [] };
    this.session = {
      parallelWorkers: options.parallelWorkers ?? 2,
      runId: options.runId,
    };
    this.productionSession = { ...this.session, statementTimeoutMs: options.statementTimeoutMs };
    this.concurrency = Math.max(1, options.concurrency ?? 4);
    this.buckets = options.buckets ?? DEFAULT_BUCKETS;
  }

  async prepare(plan: Plan, logger: Logger, signal: AbortSignal): Promise<PreparedValidation> {
    this.plan = plan;
    if (!this.options.checksFile) this.checksFile = plan.checks;
    this.production = productionSettings(plan);
    if (!this.production) {
      logger.info('validation: no production-url; comparisons with production will be skipped');
      return {};
    }
    if (this.production.password) logger.setSecret(this.production.password);
    if (plan.restoreType !== 'latest') {
      // Fail early on a wrong production-url; the watermark-filtered pass runs in validate().
      const probe = await openSession(this.production, this.productionSession);
      await probe.end().catch(() => undefined);
      return {};
    }
    let snapshot: ProductionSnapshot;
    try {
      snapshot = await ProductionSnapshot.open(this.production, this.productionSession);
    } catch (error) {
      if (!(error instanceof UnknownReplayPoint)) throw error;
      logger.warning(
        `validation: ${error.message}; comparing with production by watermark after the restore`,
      );
      return {};
    }
    this.pinned = snapshot.takenAt;
    // Read on a connection of its own once production's clock is past the restore point; the tables are
    // read after it (see readProductionInSnapshot).
    this.visibility = snapshot
      .readCeiling(AbortSignal.any([signal, this.closing.signal]))
      .then((ceilings) => ({ ...snapshot.visibility, ...ceilings }));
    logger.info(
      `validation: production snapshot exported at ${this.pinned.toISOString()} on ${snapshot.onReader ? 'a reader (its last replayed commit)' : 'the writer'}; reading production while the copy restores`,
    );
    this.prepared = readProductionInSnapshot(snapshot, this.reading(logger, signal), this.visibility);
    const settled = this.prepared.then(
      () => undefined,
      () => undefined,
    );
    // The pass has ended once the ceiling's own short session has closed too.
    const ended = Promise.all([settled, this.visibility]).then(() => undefined);
    return { pinnedTime: this.pinned, productionPass: ended };
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
      // The roles are read: from here on no role but the drill's own opens a session on the copy.
      checks.push(await copyClosureCheck(target.connection));
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
      const visibility = comparisons.pinned ? await this.visibility : undefined;
      if (visibility) {
        logger.info(
          `validation: set aside as in flight at the pin: ${visibility.xip.length} transactions in progress at the snapshot, and ids ${visibility.xmax} to ${visibility.ceiling === undefined ? 'any (no ceiling read)' : `${visibility.ceiling - 1n}`} started after it`,
        );
      }
      const inFlight = visibility ? { inFlight: { visibility, side: 'copy' as const } } : {};
      const copyPass = fingerprintTables(copyTables, copyPool, (t) => ({
        ...comparisons.filterFor(t),
        ...inFlight,
        newestColumn: comparisons.watermarkOf(t)?.column,
      }));
      const productionPass: Promise<ProductionSide | undefined> = comparisons.pinned
        ? this.prepared!
        : comparisons.live
          ? readProductionLive(
              this.production!,
              this.reading(logger, signal),
              copyTables,
              comparisons.filterFor,
              comparisons.coverageOf,
            )
          : Promise.resolve(undefined);
      const copyCoverage = copyPass.then(() => countUncompared(copyTables, copyPool, comparisons.coverageOf));
      const [copyFps, production, copyUncompared] = await Promise.all([
        copyPass,
        productionPass,
        copyCoverage,
      ]);
      logger.info(`validation: fingerprinted ${copyFps.size} tables on the copy in ${elapsed(t1)} ms`);

      if (production && !production.error) {
        const t2 = Date.now();
        const compared = (t: TableInfo): boolean => comparisons.comparisonFor(t).kind !== 'skip';
        const settlements = visibility
          ? await settleInFlight({
              tables: copyTables,
              pinned: compared,
              copy: { pool: copyPool, fingerprints: copyFps },
              production: production.fingerprints,
              visibility,
            })
          : new Map();
        applySettlements(settlements, production.fingerprints, copyFps);
        const narrowed = await narrowDiffering({
          tables: copyTables,
          compared,
          bucketed: (t) => ({ ...comparisons.filterFor(t), ...inFlight, buckets: this.buckets }),
          copy: { pool: copyPool, fingerprints: copyFps },
          production: production.fingerprints,
          adjust: (key, fp) => {
            const s = settlements.get(key);
            return s ? subtract(fp, s.copy) : fp;
          },
        });
        if (narrowed) {
          logger.info(
            `validation: narrowed ${narrowed} differing tables to hash buckets on the copy in ${elapsed(t2)} ms`,
          );
        }
      }

      const posture = productionPassCheck(production, {
        tablesAtOnce: this.concurrency,
        ...this.productionSession,
      });
      if (posture) checks.push(posture);
      const setAside = visibility ? inFlightCheck(copyFps) : undefined;
      if (setAside) checks.push(setAside);
      checks.push(...catalogChecks(production, copyCatalog, catalogMs, this.checksFile));
      checks.push(
        ...countsAndChecksums(copyTables, copyFps, production, comparisons.comparisonFor, copyUncompared),
      );
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
      const dataLoss = production
        ? measureDataLoss({
            copyTables,
            comparisonFor: comparisons.comparisonFor,
            copy: copyFps,
            production,
          })
        : undefined;
      return { checks, newestDataAt: newestData(copyFps), ...(dataLoss ? { dataLoss } : {}) };
    } finally {
      await copy.end().catch(() => undefined);
    }
  }

  /** Stops a production pass still running (it releases its snapshot) and waits for it to end. */
  async close(): Promise<void> {
    this.closing.abort(new Error('validation closed'));
    await Promise.all([this.prepared?.catch(() => undefined), this.visibility]);
  }

  private reading(logger: Logger, signal: AbortSignal): ProductionReading {
    return {
      checksFile: this.checksFile,
      concurrency: this.concurrency,
      session: this.productionSession,
      signal: AbortSignal.any([signal, this.closing.signal]),
      buckets: this.buckets,
      logger,
      lockRetryDelayMs: this.options.lockRetryDelayMs,
    };
  }
}

/** The newest watermark value found on the copy: without production, the base of an upper bound of loss. */
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
