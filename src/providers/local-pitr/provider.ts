/**
 * Restores a self-hosted PostgreSQL from its own backups: plain-format pg_basebackup directories in
 * backup-dir (one sub-directory per backup: pg_basebackup -Fp -D <backup-dir>/<name>) plus the WAL archive its
 * archive_command fills with uncompressed segments. A drill copies the newest base backup consistent before the
 * target into a fresh restore-proof-<run> directory, replays archived WAL (restore_command cp), promotes, and
 * runs the copy as the postgres user on a free 127.0.0.1 port. Cleanup stops it and deletes the directory.
 *
 * - Window: earliest = the oldest usable base backup's STOP TIME (its consistency point, from the backup
 *   history file the source archived; else the manifest's mtime), latest = the last COMMIT in the archive
 *   (pg_waldump). Label times in UTC or numeric offsets are read here; other zone names through source-url.
 * - point-in-time: recovery_target_time. latest: the end of the archive; with production-url/source-url the
 *   validator pins T and the copy is restored to exactly T once a later commit is archived (else, after
 *   archiveWaitMs, to the end of the archive, and the snapshot comparison judges it).
 * - snapshot: a base backup by name (snapshot-id = its sub-directory, default the newest), recovered only to
 *   its consistency point (recovery_target immediate); the target time is that point.
 * - The copy never inherits the source's paths, ports, archiving, replication or TLS settings; it trusts only
 *   its private socket, and loopback TCP needs a fresh random password for the bootstrap superuser. It has no
 *   TLS, so the Target's ssl-mode is always disable (a warning says so when the plan asked for more).
 *
 * This file is the order of things; backups.ts, wal.ts, copy-config.ts and copy-server.ts do each step.
 */
import { tmpdir } from 'node:os';
import { basename, resolve } from 'node:path';
import { LocalServer } from '../../db/local-server.js';
import type { Logger } from '../../log/logger.js';
import { InputError } from '../../inputs/input-error.js';
import { sleep as realSleep, type Backoff, type Sleep } from '../../time/poll.js';
import type { CleanupOutcome, SourceInfo, Target } from '../../model/types.js';
import type { RestoreTestPlan as Plan } from '../../inputs/plan-types.js';
import {
  alignPin,
  type CreatedResource,
  type Provider,
  type ResolvedSource,
  type RestoreRequest,
} from '../provider.js';
import { listBackups, sourceUrl, type BaseBackup } from './backups.js';
import { configureCopy } from './copy-config.js';
import {
  copyBackup,
  deleteCopy,
  lastReplayedCommit,
  makeCopyDirs,
  ownByPostgres,
  resetPassword,
  waitForPromotion,
} from './copy-server.js';
import { bindirFor, restorableWindow, waitForCommitPast } from './wal.js';

export interface LocalPitrOptions {
  /** Parent directory of restored copies; default os.tmpdir(). Must be traversable by the postgres user. */
  workDir?: string;
  sleep?: Sleep;
  /** Backoff while waiting for recovery; default starts at 250 ms (local recovery takes seconds). */
  backoff?: Backoff;
  random?: () => number;
  /**
   * For restore-type latest with production-url: how long to wait for a commit after the pinned instant to
   * reach the WAL archive before restoring to the end of the archive instead. Default 120 s.
   */
  archiveWaitMs?: number;
  /**
   * The resolution a pinned restore asks for (the pin rounded up to it). PostgreSQL honours microseconds;
   * default 1 ms (a JavaScript Date). 1000 drills the way the RDS providers do, at whole seconds.
   */
  restoreResolutionMs?: number;
}

export interface LocalPitrResolved extends ResolvedSource {
  backups: BaseBackup[];
}

export class LocalPitrProvider implements Provider {
  readonly name = 'local-pitr' as const;
  private readonly sleep: Sleep;
  private readonly backoff: Backoff;
  private readonly random: () => number;
  private readonly archiveWaitMs: number;

  constructor(readonly options: LocalPitrOptions = {}) {
    this.archiveWaitMs = options.archiveWaitMs ?? 120_000;
    this.sleep = options.sleep ?? realSleep;
    this.backoff = options.backoff ?? { initialMs: 250, maxMs: 5_000, factor: 1.5, jitter: 0.1 };
    this.random = options.random ?? Math.random;
  }

  get workDir(): string {
    return resolve(this.options.workDir ?? tmpdir());
  }

  async resolve(plan: Plan): Promise<LocalPitrResolved> {
    if (!plan.backupDir || !plan.walArchiveDir) {
      throw new InputError('backup-dir', 'and wal-archive-dir are required with provider local-pitr');
    }
    const backups = await listBackups(plan);
    const newest = backups[backups.length - 1]!;
    const source = describeSource(plan, newest);
    const window = await restorableWindow(plan, backups);
    source.earliestRestorableTime = window.earliest;
    source.latestRestorableTime = window.latest;
    const resolved: LocalPitrResolved = { source, backups: window.usable };

    if (plan.restoreType === 'point-in-time') {
      resolved.restoreTime = this.pickRestoreTime(plan, source.identifier, window.earliest, window.latest);
    }
    if (plan.restoreType === 'snapshot') {
      const chosen = plan.snapshotId ? backups.find((b) => b.name === plan.snapshotId) : newest;
      if (!chosen) {
        throw new InputError(
          'snapshot-id',
          `names no base backup in backup-dir (have: ${backups.map((b) => b.name).join(', ')})`,
          plan.snapshotId,
        );
      }
      resolved.snapshotId = chosen.name;
    }
    if (plan.restoreType !== 'snapshot' && window.usable.length === 0) {
      throw new InputError(
        'wal-archive-dir',
        window.missing
          ? `has a gap: segment ${window.missing} is missing, so the WAL after it continues no base backup in backup-dir (restore the segment, or take a new base backup)`
          : `does not continue any base backup in backup-dir: the archive's contiguous WAL starts after every backup's start segment`,
        plan.walArchiveDir,
      );
    }
    return resolved;
  }

  /** The plan's instant (refused outside the window), or a uniform pick inside it for 'random'. */
  private pickRestoreTime(plan: Plan, identifier: string, earliest?: Date, latest?: Date): Date {
    if (!earliest || !latest || latest < earliest) {
      throw new InputError(
        'restore-time',
        `cannot be used: ${identifier} has no restorable window (no base backup followed by archived WAL with a commit in ${plan.walArchiveDir})`,
      );
    }
    if (plan.restoreTime === 'random') {
      const span = latest.getTime() - earliest.getTime();
      return new Date(
        Math.max(earliest.getTime(), Math.floor((earliest.getTime() + this.random() * span) / 1000) * 1000),
      );
    }
    const time = plan.restoreTime as Date;
    if (time < earliest || time > latest) {
      const before =
        time < earliest
          ? ' (it starts where the oldest base backup became consistent)'
          : ' (it ends at the last commit in the WAL archive)';
      throw new InputError(
        'restore-time',
        `must lie inside the restorable window of ${identifier}: ${earliest.toISOString()} .. ${latest.toISOString()}${before}`,
        time.toISOString(),
      );
    }
    return time;
  }

  async restore(request: RestoreRequest): Promise<Target> {
    const { plan, runId, timeline, signal, logger } = request;
    const resolved = request.resolved as LocalPitrResolved;
    const source = resolved.source;
    const deadline = new Date(timeline.startedAt.getTime() + plan.timeoutMinutes * 60_000);
    const backups = resolved.backups ?? (await listBackups(plan));

    // What to restore to: the pinned instant (once archived), the plan's time, the end of the archive, or consistency.
    let targetTime: Date | undefined = resolved.restoreTime;
    // Latest with production fingerprinted at T: restore to exactly T once the archive holds a commit after T.
    // A quiet source may archive none for a long time: then restore to the end of the archive (every commit in it
    // is before T) and let the comparison with production's snapshot at T decide whether anything is missing.
    let reportedTarget: Date | undefined;
    if (request.pinnedTime && plan.restoreType === 'latest') {
      const pinned = alignPin(request.pinnedTime, this.options.restoreResolutionMs ?? 1);
      reportedTarget = pinned;
      const archived = await waitForCommitPast(pinned, {
        backup: backups[backups.length - 1]!,
        archiveDir: plan.walArchiveDir!,
        until: new Date(Math.min(deadline.getTime(), request.clock.now().getTime() + this.archiveWaitMs)),
        signal,
        sleep: this.sleep,
        now: () => request.clock.now(),
        logger,
      });
      if (archived) {
        timeline.mark('restorable-wait', { counts: 'restore-point-wait' });
        targetTime = pinned;
      } else {
        timeline.mark('archive-wait');
        targetTime = undefined;
        logger.warning(
          `local-pitr: no commit after ${pinned.toISOString()} reached the WAL archive within ${Math.round(this.archiveWaitMs / 1000)}s; restoring to the end of the archive, and the comparison with production at ${pinned.toISOString()} shows whether anything committed before it is missing`,
        );
      }
    }

    let backup: BaseBackup | undefined;
    if (plan.restoreType === 'snapshot') {
      const all = await listBackups(plan);
      backup = all.find((b) => b.name === resolved.snapshotId);
    } else if (targetTime) {
      backup = backups.filter((b) => b.consistentAt <= targetTime!).pop();
    } else {
      backup = backups[backups.length - 1];
    }
    if (!backup) {
      throw new Error(
        `no base backup in ${plan.backupDir} is consistent before ${targetTime?.toISOString() ?? 'the target'}`,
      );
    }
    const bindir = bindirFor(backup.pgVersion);

    const { dir, dataDir, runDir, socketDir } = await makeCopyDirs(this.workDir, runId, request.record);
    logger.info(`restoring base backup ${backup.name} into ${dir}`);
    await copyBackup(backup.path, dataDir);
    await configureCopy(dataDir, plan.walArchiveDir!, plan.restoreType, targetTime);
    await ownByPostgres(dataDir);
    timeline.mark('restore', { counts: 'recovery', copyExists: true });
    const server = new LocalServer({ dataDir, runDir, socketDir, bindir, wait: false, settings: {} });
    const recoveryTo =
      plan.restoreType === 'snapshot'
        ? `consistency of backup ${backup.name}`
        : targetTime
          ? targetTime.toISOString()
          : 'the end of the archived WAL';
    logger.info(`replaying archived WAL to ${recoveryTo}`);
    await server.start();

    const superuser = await waitForPromotion(server, socketDir, {
      plan,
      deadline,
      request,
      sleep: this.sleep,
      backoff: this.backoff,
    });
    const password = await resetPassword(socketDir, server.port, superuser, logger);
    const recoveredTo = await lastReplayedCommit(socketDir, server.port, superuser);
    timeline.mark('recovery', { counts: 'recovery' });
    logger.info(
      `copy ${basename(dir)} promoted on 127.0.0.1:${server.port}; last replayed commit ${recoveredTo?.toISOString() ?? 'none'}`,
    );

    if (plan.sslMode !== 'disable') {
      logger.warning(
        `local-pitr: the restored copy listens on 127.0.0.1 without TLS, so it is reached with ssl-mode disable (ssl-mode ${plan.sslMode} is not applied to it)`,
      );
    }
    const reached =
      plan.restoreType === 'snapshot'
        ? backup.consistentAt
        : (reportedTarget ?? targetTime ?? recoveredTo ?? undefined);
    return {
      provider: 'local-pitr',
      restoredCluster: basename(dir),
      restoreType: plan.restoreType,
      targetTime: reached?.toISOString(),
      snapshotId: plan.restoreType === 'snapshot' ? backup.name : undefined,
      source: { ...source, engineVersion: backup.pgVersion || source.engineVersion },
      copy: {},
      connection: {
        host: '127.0.0.1',
        port: server.port,
        database: plan.database ?? source.databaseName ?? 'postgres',
        user: superuser,
        password,
        sslMode: 'disable',
      },
    };
  }

  async cleanup(resources: CreatedResource[], runId: string, logger: Logger): Promise<CleanupOutcome> {
    const outcome: CleanupOutcome = { status: 'deleted', resources: [] };
    const servers = resources.filter((r) => r.kind === 'local-server');
    for (const resource of servers) {
      try {
        const result = await deleteCopy(resource.id, runId);
        outcome.resources.push({ kind: resource.kind, id: resource.id, outcome: result });
        logger.info(`cleanup: local-server ${resource.id} ${result}`);
      } catch (error) {
        outcome.status = 'failed';
        const message = (error as Error).message;
        outcome.resources.push({ kind: resource.kind, id: resource.id, outcome: 'failed', error: message });
        logger.error(`cleanup: local-server ${resource.id} could not be deleted: ${message}`);
      }
    }
    if (servers.length === 0) outcome.status = 'none';
    return outcome;
  }
}

/** The source as the plan names it: source-url's host, port and database, else backup-dir's name. */
function describeSource(plan: Plan, newest: BaseBackup): SourceInfo {
  let identifier = basename(resolve(plan.backupDir!));
  let databaseName: string | undefined;
  let port: number | undefined;
  let masterUsername: string | undefined;
  const s = sourceUrl(plan);
  if (s) {
    identifier = `${s.host}:${s.port}/${s.database}`;
    databaseName = s.database;
    port = s.port;
    masterUsername = s.user;
  }
  return {
    identifier,
    engine: 'postgres',
    engineVersion: newest.pgVersion || undefined,
    databaseName,
    port,
    masterUsername,
  };
}
