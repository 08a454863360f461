/**
 * The validation engine behind the Validator interface. prepare() pins production at T (for latest) and
 * fingerprints it in the background while the cluster restores; validate() makes one pass over the copy
 * (in parallel with production's watermark-filtered pass for a past point in time) and judges every family.
 */
import type pg from 'pg';
import type { Logger } from '../log/logger.js';
import type { CheckResult, ConnectionSettings, Plan, SslMode, Target } from '../model/types.js';
import { SSL_MODES } from '../model/types.js';
import { settingsFromUrl } from '../db/connect.js';
import {
  readRoles,
  readSchemaObjects,
  readTablePrivileges,
  readTables,
  SCHEMA_KINDS,
  type SchemaKind,
  type TableInfo,
} from '../db/catalog.js';
import { DEFAULT_BUCKETS, fingerprintTable, type FingerprintOptions } from '../db/fingerprint.js';
import { openSession, safeError, withPool, type SessionOptions } from '../db/session.js';
import { ProductionSnapshot } from '../db/snapshot.js';
import type { PreparedValidation, ValidationResult, Validator } from './validator.js';
import { accessChecks, comparePrivileges, compareRoles } from './access.js';
import { compareTable, type Comparison, type Side } from './data.js';
import { connectionEncryptionChecks, encryptionChecks } from './encryption.js';
import { amcheckCheck, foreignKeysCheck, readCheck, sequencesCheck } from './integrity.js';
import { compareSchemaKind } from './schema.js';
import { judgeCustom, loadChecksFile, runCustomQuery, type ChecksFile, type QueryOutcome } from './custom.js';
import { runSmoke } from './smoke.js';
import { elapsed, result } from './result.js';
import { unknownWatermarks, watermarkFor, type Watermark } from './watermark.js';

export { objectiveChecks, type ObjectiveInputs, type ObjectiveOutcome } from './objectives.js';
export { loadChecksFile, parseChecksFile, type ChecksFile } from './custom.js';
export { runSmoke, smokeEnvironment } from './smoke.js';
export type { Validator, PreparedValidation, ValidationResult } from './validator.js';

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

/** What production looked like, read once: catalog, roles, privileges, fingerprints, custom results. */
interface ProductionSide {
  tables: TableInfo[];
  objects?: Record<SchemaKind, Map<string, string>>;
  roles?: Map<string, string>;
  privileges?: Set<string>;
  fingerprints: Map<string, Side>;
  custom: Map<string, QueryOutcome>;
  error?: string;
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
    this.prepared = this.readProductionInSnapshot(snapshot, logger, signal, upfront).finally(() =>
      upfront ? snapshot.release() : undefined,
    );
    this.prepared.catch(() => undefined); // judged in validate()
    return { pinnedTime: this.pinned };
  }

  private async readProductionInSnapshot(
    snapshot: ProductionSnapshot,
    logger: Logger,
    signal: AbortSignal,
    bucketed: boolean,
  ): Promise<ProductionSide> {
    const started = Date.now();
    try {
      const tables = this.inScope(await readTables(snapshot.client));
      const [fps, { objects, roles, privileges, custom }] = await Promise.all([
        this.fingerprintAll(
          tables,
          () => snapshot.join(),
          () => ({ buckets: bucketed ? this.buckets : 0 }),
          signal,
        ),
        this.readProductionCatalog(snapshot.client, true),
      ]);
      logger.info(
        `validation: fingerprinted ${tables.length} production tables in the snapshot in ${elapsed(started)} ms`,
      );
      return { tables, objects, roles, privileges, fingerprints: fps, custom };
    } catch (error) {
      logger.warning(`validation: production snapshot pass failed: ${safeError(error)}`);
      return { tables: [], fingerprints: new Map(), custom: new Map(), error: safeError(error) };
    }
  }

  /** User tables minus excluded ones (unlogged tables are kept: they are judged as skip). */
  private inScope(tables: TableInfo[]): TableInfo[] {
    const excluded = new Set(this.checksFile['exclude-tables'] ?? []);
    return tables.filter((t) => !excluded.has(t.key));
  }

  private async fingerprintAll(
    tables: TableInfo[],
    open: () => Promise<pg.Client>,
    optionsFor: (table: TableInfo) => FingerprintOptions,
    signal: AbortSignal,
  ): Promise<Map<string, Side>> {
    const scanned = tables.filter((t) => t.persistence !== 'u');
    let sides: Side[];
    try {
      sides = await withPool(
        scanned,
        this.concurrency,
        open,
        async (client, table): Promise<Side> => {
          try {
            return {
              ok: await fingerprintTable(client, table, optionsFor(table)),
            };
          } catch (error) {
            return { error: safeError(error) };
          }
        },
        signal,
      );
    } catch (error) {
      if (signal.aborted) throw error;
      const side: Side = { error: safeError(error) };
      sides = scanned.map(() => side);
    }
    return new Map(scanned.map((t, i) => [t.key, sides[i]!]));
  }

  async validate(target: Target, logger: Logger, signal: AbortSignal): Promise<ValidationResult> {
    const plan = this.plan;
    if (!plan) throw new Error('validator: prepare() must run before validate()');
    const started = Date.now();
    const checks: CheckResult[] = [];
    checks.push(...encryptionChecks(plan, target), ...accessChecks(plan, target));
    if (target.connection.password) logger.setSecret(target.connection.password);

    const openCopy = (): Promise<pg.Client> => openSession(target.connection, this.session);
    let copy: pg.Client;
    try {
      copy = await openCopy();
    } catch (error) {
      checks.push(
        result('integrity:connect', 'integrity', 'error', (error as Error).message, elapsed(started)),
      );
      return { checks };
    }
    try {
      checks.push(...(await connectionEncryptionChecks(copy, target)));
      const t0 = Date.now();
      const copyTables = this.inScope(await readTables(copy));
      const copyObjects = await readSchemaObjects(copy);
      const copyRoles = await readRoles(copy);
      const copyPrivileges = await readTablePrivileges(copy);
      const catalogMs = elapsed(t0);

      const watermarks = new Map<string, Watermark | undefined>(
        copyTables.map((t) => [t.key, watermarkFor(t, this.checksFile.watermarks)]),
      );
      for (const w of unknownWatermarks(copyTables, this.checksFile.watermarks)) {
        logger.warning(
          `validation: watermark column ${w} (checks file) does not exist on the copy; detection used instead`,
        );
      }

      // How production is compared: the pinned snapshot, or production now restricted by watermarks.
      const restorePoint = target.targetTime ? new Date(target.targetTime) : undefined;
      const useSnapshot =
        this.prepared !== undefined &&
        this.pinned !== undefined &&
        (!restorePoint || Math.abs(restorePoint.getTime() - this.pinned.getTime()) < 1000);
      if (this.prepared && !useSnapshot) {
        logger.warning(
          'validation: the copy was not restored to the pinned time; comparing with production by watermark instead',
        );
      }
      const live = !useSnapshot && this.production !== undefined;
      const comparisonFor = (table: TableInfo): Comparison => {
        if (table.persistence === 'u')
          return { kind: 'skip', reason: 'unlogged table: not in backups, empty after a restore' };
        if (!this.production) return { kind: 'skip', reason: 'no production-url: comparison skipped' };
        if (useSnapshot) return { kind: 'snapshot', at: this.pinned! };
        const w = watermarks.get(table.key);
        if (w && restorePoint)
          return { kind: 'watermark', column: w.column, updateStyle: w.updateStyle, notAfter: restorePoint };
        return { kind: 'drift' };
      };
      const filterFor = (table: TableInfo): FingerprintOptions => {
        const c = comparisonFor(table);
        return c.kind === 'watermark' ? { watermark: { column: c.column, notAfter: c.notAfter } } : {};
      };

      // One pass over the copy; for a live comparison, production's pass runs at the same time.
      const t1 = Date.now();
      const copyPass = this.fingerprintAll(
        copyTables,
        openCopy,
        (t) => ({ ...filterFor(t), newestColumn: watermarks.get(t.key)?.column }),
        signal,
      );
      const productionPass: Promise<ProductionSide | undefined> = useSnapshot
        ? this.prepared!
        : live
          ? this.readProductionLive(copyTables, filterFor, signal)
          : Promise.resolve(undefined);
      const [copyFps, production] = await Promise.all([copyPass, productionPass]);
      logger.info(`validation: fingerprinted ${copyFps.size} tables on the copy in ${elapsed(t1)} ms`);

      // Narrow differing tables to hash buckets: a second, grouped pass over those tables only.
      if (production && !production.error) {
        const differing = copyTables.filter((t) => {
          const c = copyFps.get(t.key);
          const p = production.fingerprints.get(t.key);
          if (!c || !p || !('ok' in c) || !('ok' in p) || comparisonFor(t).kind === 'skip') return false;
          return c.ok.count !== p.ok.count || c.ok.sum !== p.ok.sum;
        });
        if (differing.length) {
          const t2 = Date.now();
          const bucketed = (t: TableInfo): FingerprintOptions => ({ ...filterFor(t), buckets: this.buckets });
          const snapshot = this.snapshot;
          const productionOpen = useSnapshot
            ? snapshot
              ? () => snapshot.join()
              : undefined
            : () => openSession(this.production!, this.session);
          const needProduction = differing.filter((t) => {
            const p = production.fingerprints.get(t.key);
            return !(p && 'ok' in p && p.ok.bucketed);
          });
          const [copyB, prodB] = await Promise.all([
            this.fingerprintAll(differing, openCopy, bucketed, signal),
            productionOpen && needProduction.length
              ? this.fingerprintAll(needProduction, productionOpen, bucketed, signal)
              : Promise.resolve(new Map<string, Side>()),
          ]);
          for (const [key, side] of copyB) {
            const plain = copyFps.get(key);
            if ('ok' in side && plain && 'ok' in plain) {
              copyFps.set(key, { ok: { ...side.ok, newestEpoch: plain.ok.newestEpoch } });
            }
          }
          for (const [key, side] of prodB) if ('ok' in side) production.fingerprints.set(key, side);
          logger.info(
            `validation: narrowed ${differing.length} differing tables to hash buckets in ${elapsed(t2)} ms`,
          );
        }
      }
      await this.snapshot?.release();

      // Schema, roles, privileges.
      if (!production || production.error || !production.objects) {
        const reason = !production
          ? 'no production-url: comparison skipped'
          : `production could not be read: ${production.error ?? 'unknown error'}`;
        const status = production ? 'error' : 'skip';
        checks.push(result('schema:all', 'schema', status, reason, 0));
        checks.push(result('access:roles', 'access', status, reason, 0));
        checks.push(result('access:table-privileges', 'access', status, reason, 0));
      } else {
        for (const kind of SCHEMA_KINDS) {
          checks.push(
            compareSchemaKind(
              kind,
              production.objects[kind],
              copyObjects[kind],
              catalogMs,
              this.excludedObject(kind),
            ),
          );
        }
        checks.push(compareRoles(production.roles!, copyRoles, catalogMs));
        checks.push(comparePrivileges(production.privileges!, copyPrivileges, catalogMs));
      }

      // Counts and checksums per table.
      const prodKeys = new Set((production?.tables ?? []).map((t) => t.key));
      for (const table of copyTables) {
        const comparison = comparisonFor(table);
        if (comparison.kind === 'skip') {
          const side = copyFps.get(table.key);
          if (!side) {
            checks.push(result(`counts:${table.key}`, 'counts', 'skip', comparison.reason, 0));
            checks.push(result(`checksums:${table.key}`, 'checksums', 'skip', comparison.reason, 0));
          } else checks.push(...compareTable(table.key, comparison, undefined, side));
          continue;
        }
        if (production && !production.error && !prodKeys.has(table.key)) {
          checks.push(result(`counts:${table.key}`, 'counts', 'skip', 'table not on production', 0));
          checks.push(result(`checksums:${table.key}`, 'checksums', 'skip', 'table not on production', 0));
          continue;
        }
        const prodSide: Side | undefined = production?.error
          ? { error: production.error }
          : production?.fingerprints.get(table.key);
        checks.push(
          ...compareTable(table.key, comparison, prodSide, copyFps.get(table.key) ?? { error: 'not read' }),
        );
      }
      const copyKeys = new Set(copyTables.map((t) => t.key));
      for (const table of production?.tables ?? []) {
        if (copyKeys.has(table.key)) continue;
        checks.push(result(`counts:${table.key}`, 'counts', 'fail', 'table missing on the copy', 0));
        checks.push(result(`checksums:${table.key}`, 'checksums', 'fail', 'table missing on the copy', 0));
      }

      // Integrity of the copy itself.
      const run = <T>(
        items: T[],
        fn: (c: pg.Client, item: T) => Promise<string | undefined>,
      ): Promise<(string | undefined)[]> => withPool(items, this.concurrency, openCopy, fn, signal);
      checks.push(
        readCheck(
          [...copyFps.entries()].map(([key, side]) =>
            'ok' in side ? { key, rows: side.ok.count, ms: side.ok.ms } : { key, error: side.error, ms: 0 },
          ),
        ),
      );
      const excluded = new Set(this.checksFile['exclude-tables'] ?? []);
      const integrity = await Promise.all([
        this.checksFile.amcheck === false
          ? result('integrity:amcheck', 'integrity', 'skip', 'disabled in the checks file', 0)
          : amcheckCheck(openCopy, run).catch((e) =>
              result('integrity:amcheck', 'integrity', 'error', safeError(e), 0),
            ),
        sequencesCheck(copy, copyTables).catch((e) =>
          result('integrity:sequences', 'integrity', 'error', safeError(e), 0),
        ),
        foreignKeysCheck(
          copy,
          run,
          {
            enabled: this.checksFile['foreign-keys']?.enabled,
            maxRows: this.checksFile['foreign-keys']?.['max-rows'],
            timeoutMs: (this.checksFile['foreign-keys']?.['timeout-seconds'] ?? 120) * 1000,
          },
          (t) => excluded.has(t),
        ).catch((e) => result('integrity:foreign-keys', 'integrity', 'error', safeError(e), 0)),
      ]);
      checks.push(...integrity);

      // Custom SQL assertions.
      checks.push(...(await this.customChecks(copy, production, useSnapshot)));

      // The user's smoke command.
      if (plan.smokeCommand) {
        checks.push(
          await runSmoke(plan.smokeCommand, target.connection, logger, {
            showOutput: this.options.showSmokeOutput,
            timeoutMs: this.options.smokeTimeoutMs,
            signal,
          }),
        );
      }

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
      const counts = tally(checks);
      logger.info(`validation: ${checks.length} checks in ${elapsed(started)} ms (${counts})`);
      return { checks, newestDataAt: newest === undefined ? undefined : new Date(Math.round(newest * 1000)) };
    } finally {
      await copy.end().catch(() => undefined);
      await this.snapshot?.release();
    }
  }

  /** Production now, as read for a past restore point: catalog plus watermark-filtered fingerprints. */
  private async readProductionLive(
    copyTables: TableInfo[],
    filterFor: (table: TableInfo) => FingerprintOptions,
    signal: AbortSignal,
  ): Promise<ProductionSide> {
    const settings = this.production!;
    let client: pg.Client | undefined;
    try {
      client = await openSession(settings, this.session);
      const tables = this.inScope(await readTables(client));
      const copyByKey = new Map(copyTables.map((t) => [t.key, t]));
      // The copy's watermark decides the filter on both sides, so both read the same rows.
      const [fingerprints, rest] = await Promise.all([
        this.fingerprintAll(
          tables,
          () => openSession(settings, this.session),
          (t) => filterFor(copyByKey.get(t.key) ?? t),
          signal,
        ),
        this.readProductionCatalog(client, false),
      ]);
      return { tables, fingerprints, ...rest };
    } catch (error) {
      return { tables: [], fingerprints: new Map(), custom: new Map(), error: safeError(error) };
    } finally {
      await client?.end().catch(() => undefined);
    }
  }

  /** Schema objects, roles, privileges and the production side of matches-production checks. */
  private async readProductionCatalog(
    client: pg.Client,
    inTransaction: boolean,
  ): Promise<Required<Pick<ProductionSide, 'objects' | 'roles' | 'privileges' | 'custom'>>> {
    const objects = await readSchemaObjects(client);
    const roles = await readRoles(client);
    const privileges = await readTablePrivileges(client);
    const custom = new Map<string, QueryOutcome>();
    for (const check of this.checksFile.checks) {
      if ('matches-production' in check.expect)
        custom.set(check.name, await runCustomQuery(client, check, inTransaction));
    }
    return { objects, roles, privileges, custom };
  }

  private async customChecks(
    copy: pg.Client,
    production: ProductionSide | undefined,
    pinned: boolean,
  ): Promise<CheckResult[]> {
    const out: CheckResult[] = [];
    for (const check of this.checksFile.checks) {
      const mine = await runCustomQuery(copy, check);
      let theirs: QueryOutcome | string | undefined;
      if ('matches-production' in check.expect) {
        if (!production) theirs = 'no production-url: comparison skipped';
        else if (production.error) theirs = { error: production.error, ms: 0 };
        else theirs = production.custom.get(check.name) ?? 'not run on production';
      }
      const judged = judgeCustom(check, mine, theirs);
      if ('matches-production' in check.expect && judged.status === 'pass' && !pinned) {
        judged.summary = `${judged.summary} (production now, not as of the restore point)`;
      }
      out.push(judged);
    }
    return out;
  }

  /** Objects of excluded tables are left out of the schema comparison as well. */
  private excludedObject(kind: SchemaKind): (name: string) => boolean {
    const excluded = this.checksFile['exclude-tables'] ?? [];
    if (excluded.length === 0 || kind === 'extensions' || kind === 'functions') return () => false;
    return (name) => excluded.some((t) => name === t || name.startsWith(`${t}.`));
  }

  async close(): Promise<void> {
    const snapshot = this.snapshot;
    this.snapshot = undefined;
    await snapshot?.release();
    await this.prepared?.catch(() => undefined);
  }
}

function tally(checks: CheckResult[]): string {
  const n = new Map<string, number>();
  for (const c of checks) n.set(c.status, (n.get(c.status) ?? 0) + 1);
  return [...n.entries()].map(([s, k]) => `${k} ${s}`).join(', ');
}
