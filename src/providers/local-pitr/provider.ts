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
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { settingsFromUrl } from '../../db/connect.js';
import {
  findPgBindir,
  findPgBindirFor,
  LocalServer,
  makeServerDir,
  stopServer,
} from '../../db/local-server.js';
import type { Logger } from '../../log/logger.js';
import { InputError } from '../../inputs/plan.js';
import { pollUntil, sleep as realSleep, TimeoutError, type Backoff, type Sleep } from '../../time/poll.js';
import type { CleanupOutcome, Plan, SourceInfo, Target } from '../../model/types.js';
import { clusterName, hasOwnedName, OwnershipError } from '../ownership.js';
import type { CreatedResource, Provider, ResolvedSource, RestoreRequest } from '../provider.js';

const execFileAsync = promisify(execFile);

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
}

/** One base backup in backup-dir, as read from its backup_label and the archived backup history file. */
export interface BaseBackup {
  name: string;
  path: string;
  timeline: number;
  /** WAL segment file holding the backup's start (from backup_label). */
  startSegment: string;
  startLsn: string;
  startTime: Date;
  /** The earliest instant a restore from this backup can reach: its consistency point (STOP TIME, rounded up). */
  consistentAt: Date;
  /** Where consistentAt came from: the history file, or the manifest's modification time. */
  consistentFrom: 'history' | 'manifest-mtime' | 'label';
  pgVersion: string;
}

/** What the archive holds: segments of one timeline, contiguous up to the newest, and the last commit. */
export interface ArchiveWindow {
  segmentBytes: number;
  /** Contiguous run of segment names ending at the newest segment of the timeline. */
  run: string[];
  lastCommitAt?: Date;
}

export interface LocalPitrResolved extends ResolvedSource {
  backups: BaseBackup[];
}

const SEGMENT = /^[0-9A-F]{24}$/;
const HISTORY = /^[0-9A-F]{24}\.[0-9A-F]{8}\.backup$/;

// ---------------------------------------------------------------------------------------------------------
// Pure parsing, exported for unit tests.

/** key: value lines of backup_label / backup history files. */
export function parseLabel(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([A-Z ]+):\s?(.*)$/.exec(line.trimEnd());
    if (m) out.set(m[1]!, m[2]!);
  }
  return out;
}

/** "0/2000028 (file 000000010000000000000002)" -> { lsn, segment }. */
export function parseWalLocation(value: string | undefined): { lsn: string; segment: string } | undefined {
  const m = /^([0-9A-F]+\/[0-9A-F]+)\s+\(file ([0-9A-F]{24})\)/i.exec(value ?? '');
  return m ? { lsn: m[1]!.toUpperCase(), segment: m[2]!.toUpperCase() } : undefined;
}

/**
 * A PostgreSQL timestamp as printed in backup_label ("2026-01-31 03:15:00 UTC", "... +01", "... +0530") or by
 * pg_waldump under TZ=UTC ("2026-01-31 03:15:00.123456 UTC"). Undefined for zone abbreviations it cannot map.
 */
export function parsePgTimestamp(value: string): Date | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(\.\d+)?\s*(UTC|GMT|Z|[+-]\d{2}(?::?\d{2})?)$/.exec(
    value.trim(),
  );
  if (!m) return undefined;
  const fraction = m[3] ? m[3].slice(0, 4) : '';
  let zone = m[4]!;
  if (zone === 'UTC' || zone === 'GMT' || zone === 'Z') zone = 'Z';
  else if (/^[+-]\d{2}$/.test(zone)) zone = `${zone}:00`;
  else if (/^[+-]\d{4}$/.test(zone)) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const date = new Date(`${m[1]}T${m[2]}${fraction}${zone}`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** The time of the last COMMIT record in pg_waldump output (run with TZ=UTC). */
export function lastCommitTime(waldump: string): Date | undefined {
  let last: Date | undefined;
  const re = /desc: COMMIT(?:_PREPARED)?\b[^;\n]*?(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)? UTC)/g;
  for (const m of waldump.matchAll(re)) {
    const t = parsePgTimestamp(m[1]!);
    if (t && (!last || t > last)) last = t;
  }
  return last;
}

/** The segment after `name` for segments of `segmentBytes`. */
export function nextSegment(name: string, segmentBytes: number): string {
  const perLog = 0x100000000 / segmentBytes;
  const tli = name.slice(0, 8);
  let log = parseInt(name.slice(8, 16), 16);
  let seg = parseInt(name.slice(16, 24), 16) + 1;
  if (seg >= perLog) {
    seg = 0;
    log += 1;
  }
  const hex = (n: number): string => n.toString(16).toUpperCase().padStart(8, '0');
  return `${tli}${hex(log)}${hex(seg)}`;
}

/** The longest contiguous run of segments (sorted names of one timeline) that ends at the newest. */
export function contiguousTail(segments: string[], segmentBytes: number): string[] {
  if (segments.length === 0) return [];
  const sorted = [...segments].sort();
  let start = sorted.length - 1;
  while (start > 0 && nextSegment(sorted[start - 1]!, segmentBytes) === sorted[start]) start--;
  return sorted.slice(start);
}

const ceilSecond = (d: Date): Date => new Date(Math.ceil(d.getTime() / 1000) * 1000);

/** A restore_command that copies from the archive; the path is quoted for the shell and for postgresql.conf. */
export function restoreCommand(archiveDir: string): string {
  const shellQuoted = `'${archiveDir.replace(/'/g, `'\\''`)}'`;
  return `cp ${shellQuoted}/%f "%p"`;
}

/** An instant as recovery_target_time accepts it (no 'T', no 'Z'): 2026-01-31 03:15:00.123+00. */
export const pgTimestamp = (d: Date): string => d.toISOString().replace('T', ' ').replace('Z', '+00');

/** A postgresql.conf string literal. */
export const confString = (value: string): string => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

/** Settings a copy must never take from the source's configuration: paths, network, archiving, replication. */
const CONTROLLED = new Set([
  'data_directory',
  'config_file',
  'hba_file',
  'ident_file',
  'external_pid_file',
  'include',
  'include_if_exists',
  'include_dir',
  'listen_addresses',
  'port',
  'unix_socket_directories',
  'unix_socket_group',
  'unix_socket_permissions',
  'archive_mode',
  'archive_command',
  'archive_library',
  'archive_timeout',
  'restore_command',
  'archive_cleanup_command',
  'recovery_end_command',
  'primary_conninfo',
  'primary_slot_name',
  'promote_trigger_file',
  'synchronous_standby_names',
  'hot_standby',
  'ssl',
  'logging_collector',
]);

/** Comments out every line of a postgresql.conf that sets a controlled key (or a recovery_target*). */
export function neutralizeConfig(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      const m = /^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*(=|\s)/.exec(line);
      if (!m) return line;
      const key = m[1]!.toLowerCase();
      if (CONTROLLED.has(key) || key.startsWith('recovery_target') || key.startsWith('ssl_')) {
        return `# restore-proof: disabled for the restored copy: ${line}`;
      }
      return line;
    })
    .join('\n');
}

// ---------------------------------------------------------------------------------------------------------

const runningAsRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

/** Runs pg_waldump as this user (it only reads) and returns stdout even when it ends with an error. */
async function waldump(args: string[], bindir: string): Promise<string> {
  try {
    const { stdout } = await execFileAsync(join(bindir, 'pg_waldump'), args, {
      env: { ...process.env, TZ: 'UTC' },
      maxBuffer: 256 * 1024 * 1024,
      timeout: 120_000,
    });
    return stdout;
  } catch (error) {
    const e = error as { stdout?: string };
    return e.stdout ?? '';
  }
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

  /** The base backups in backup-dir (plain format), oldest first. */
  async listBackups(plan: Plan): Promise<BaseBackup[]> {
    const dir = plan.backupDir!;
    const archive = plan.walArchiveDir!;
    const histories = new Map<string, Map<string, string>>();
    for (const name of await readdir(archive)) {
      if (!HISTORY.test(name)) continue;
      const fields = parseLabel(await readFile(join(archive, name), 'utf8'));
      const start = parseWalLocation(fields.get('START WAL LOCATION'));
      if (start) histories.set(start.lsn, fields);
    }
    const backups: BaseBackup[] = [];
    let tarOnly = 0;
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const path = join(dir, entry.name);
      const labelPath = join(path, 'backup_label');
      if (!existsSync(labelPath)) {
        if (existsSync(join(path, 'base.tar')) || existsSync(join(path, 'base.tar.gz'))) tarOnly++;
        continue;
      }
      const label = parseLabel(await readFile(labelPath, 'utf8'));
      const start = parseWalLocation(label.get('START WAL LOCATION'));
      const startRaw = label.get('START TIME');
      if (!start || !startRaw) continue;
      const pgVersion = (await readFile(join(path, 'PG_VERSION'), 'utf8').catch(() => '')).trim();
      const history = histories.get(start.lsn);
      const startTime = (await this.readTime(startRaw, plan)) ?? (await stat(labelPath)).mtime;
      let consistentAt: Date | undefined;
      let consistentFrom: BaseBackup['consistentFrom'] = 'history';
      const stopRaw = history?.get('STOP TIME');
      if (stopRaw) consistentAt = await this.readTime(stopRaw, plan);
      if (!consistentAt && existsSync(join(path, 'backup_manifest'))) {
        consistentAt = (await stat(join(path, 'backup_manifest'))).mtime;
        consistentFrom = 'manifest-mtime';
      }
      if (!consistentAt) {
        consistentAt = startTime;
        consistentFrom = 'label';
      }
      backups.push({
        name: entry.name,
        path,
        timeline: Number(label.get('START TIMELINE') ?? parseInt(start.segment.slice(0, 8), 16)),
        startSegment: start.segment,
        startLsn: start.lsn,
        startTime,
        consistentAt: ceilSecond(consistentAt),
        consistentFrom,
        pgVersion,
      });
    }
    if (backups.length === 0) {
      throw new InputError(
        'backup-dir',
        tarOnly > 0
          ? 'holds only tar-format backups; restore-proof reads plain-format ones (pg_basebackup -Fp -D <backup-dir>/<name>)'
          : 'holds no pg_basebackup backup: expected sub-directories made by pg_basebackup -Fp -D <backup-dir>/<name>',
        plan.backupDir,
      );
    }
    return backups.sort((a, b) => a.consistentAt.getTime() - b.consistentAt.getTime());
  }

  /** Reads a label time: UTC or an offset here; any other zone through the source (source-url). */
  private async readTime(raw: string, plan: Plan): Promise<Date | undefined> {
    const local = parsePgTimestamp(raw);
    if (local || !plan.sourceUrl) return local;
    const client = new pg.Client({
      ...settingsFromUrl(plan.sourceUrl, 'disable'),
      connectionTimeoutMillis: 5000,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      const { rows } = await client.query<{ t: Date }>('select $1::timestamptz as t', [raw]);
      return rows[0]?.t;
    } catch {
      return undefined;
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  /** The archive's contiguous tail on a timeline, and the time of its last commit. */
  async readArchive(archiveDir: string, timeline: number, bindir: string): Promise<ArchiveWindow> {
    const tli = timeline.toString(16).toUpperCase().padStart(8, '0');
    const segments = (await readdir(archiveDir)).filter((n) => SEGMENT.test(n) && n.startsWith(tli));
    if (segments.length === 0) return { segmentBytes: 16 * 1024 * 1024, run: [] };
    const segmentBytes = (await stat(join(archiveDir, segments[0]!))).size;
    if (segmentBytes < 1024 * 1024 || (segmentBytes & (segmentBytes - 1)) !== 0) {
      throw new InputError(
        'wal-archive-dir',
        `holds WAL segments of ${segmentBytes} bytes: restore-proof reads uncompressed segments (archive_command cp)`,
        archiveDir,
      );
    }
    const run = contiguousTail(segments, segmentBytes);
    let lastCommitAt: Date | undefined;
    for (let i = run.length - 1; i >= 0 && !lastCommitAt; i--) {
      lastCommitAt = lastCommitTime(await waldump(['-r', 'Transaction', join(archiveDir, run[i]!)], bindir));
    }
    return { segmentBytes, run, lastCommitAt };
  }

  async resolve(plan: Plan): Promise<LocalPitrResolved> {
    if (!plan.backupDir || !plan.walArchiveDir) {
      throw new InputError('backup-dir', 'and wal-archive-dir are required with provider local-pitr');
    }
    const backups = await this.listBackups(plan);
    const newest = backups[backups.length - 1]!;
    const source = this.describeSource(plan, newest);
    const window = await this.window(plan, backups);
    source.earliestRestorableTime = window.earliest;
    source.latestRestorableTime = window.latest;
    const resolved: LocalPitrResolved = { source, backups: window.usable };

    if (plan.restoreType === 'point-in-time') {
      const { earliest, latest } = window;
      if (!earliest || !latest || latest < earliest) {
        throw new InputError(
          'restore-time',
          `cannot be used: ${source.identifier} has no restorable window (no base backup followed by archived WAL with a commit in ${plan.walArchiveDir})`,
        );
      }
      if (plan.restoreTime === 'random') {
        const span = latest.getTime() - earliest.getTime();
        resolved.restoreTime = new Date(
          Math.max(earliest.getTime(), Math.floor((earliest.getTime() + this.random() * span) / 1000) * 1000),
        );
      } else {
        const time = plan.restoreTime as Date;
        if (time < earliest || time > latest) {
          const before =
            time < earliest
              ? ' (it starts where the oldest base backup became consistent)'
              : ' (it ends at the last commit in the WAL archive)';
          throw new InputError(
            'restore-time',
            `must lie inside the restorable window of ${source.identifier}: ${earliest.toISOString()} .. ${latest.toISOString()}${before}`,
            time.toISOString(),
          );
        }
        resolved.restoreTime = time;
      }
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
        `does not continue any base backup in backup-dir: the archive's contiguous WAL starts after every backup's start segment`,
        plan.walArchiveDir,
      );
    }
    return resolved;
  }

  private describeSource(plan: Plan, newest: BaseBackup): SourceInfo {
    let identifier = basename(resolve(plan.backupDir!));
    let databaseName: string | undefined;
    let port: number | undefined;
    let masterUsername: string | undefined;
    if (plan.sourceUrl) {
      const s = settingsFromUrl(plan.sourceUrl, 'disable');
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

  /** The restorable window over backups that the archive continues. */
  private async window(
    plan: Plan,
    backups: BaseBackup[],
  ): Promise<{ earliest?: Date; latest?: Date; usable: BaseBackup[] }> {
    const newest = backups[backups.length - 1]!;
    const bindir = this.bindir(newest.pgVersion);
    const archive = await this.readArchive(plan.walArchiveDir!, newest.timeline, bindir);
    const first = archive.run[0];
    const usable = backups.filter(
      (b) => b.timeline === newest.timeline && first !== undefined && b.startSegment >= first,
    );
    return { earliest: usable[0]?.consistentAt, latest: archive.lastCommitAt, usable };
  }

  private bindir(pgVersion: string): string {
    return pgVersion ? findPgBindirFor(pgVersion) : findPgBindir();
  }

  async restore(request: RestoreRequest): Promise<Target> {
    const { plan, runId, timeline, signal, logger } = request;
    const resolved = request.resolved as LocalPitrResolved;
    const source = resolved.source;
    const deadline = new Date(timeline.startedAt.getTime() + plan.timeoutMinutes * 60_000);
    const backups = resolved.backups ?? (await this.listBackups(plan));

    // What to restore to: the pinned instant (once archived), the plan's time, the end of the archive, or consistency.
    let targetTime: Date | undefined = resolved.restoreTime;
    // Latest with production fingerprinted at T: restore to exactly T once the archive holds a commit after T.
    // A quiet source may archive none for a long time: then restore to the end of the archive (every commit in it
    // is before T) and let the comparison with production's snapshot at T decide whether anything is missing.
    let reportedTarget: Date | undefined;
    if (request.pinnedTime && plan.restoreType === 'latest') {
      const pinned = request.pinnedTime;
      reportedTarget = pinned;
      const newestBackup = backups[backups.length - 1]!;
      const waitUntil = new Date(
        Math.min(deadline.getTime(), request.clock.now().getTime() + this.archiveWaitMs),
      );
      const archived = await pollUntil(
        async () => {
          const archive = await this.readArchive(
            plan.walArchiveDir!,
            newestBackup.timeline,
            this.bindir(newestBackup.pgVersion),
          );
          const last = archive.lastCommitAt;
          return {
            done: last && last >= pinned ? true : undefined,
            status: `last archived commit ${last?.toISOString() ?? 'none'} (the source's archive_timeout sets the pace)`,
          };
        },
        {
          what: `WAL archive past ${pinned.toISOString()}`,
          deadline: waitUntil,
          signal,
          sleep: this.sleep,
          backoff: { initialMs: 1000, maxMs: 10_000, factor: 1.5, jitter: 0.1 },
          now: () => request.clock.now(),
          onProgress: (line) => logger.info(line),
        },
      ).catch((error: Error) => {
        if (error instanceof TimeoutError) return false;
        throw error;
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
      const all = await this.listBackups(plan);
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
    const bindir = this.bindir(backup.pgVersion);

    // A fresh, owned directory, recorded before anything else happens in it.
    const parent = this.workDir;
    await mkdir(parent, { recursive: true });
    const dir = join(parent, clusterName(runId));
    await mkdir(dir, { mode: 0o700 }); // fails if it exists: never reuse a directory
    await request.record({ kind: 'local-server', id: dir, runId });
    await makeServerDir(dir);
    const dataDir = await makeServerDir(join(dir, 'data'));
    const runDir = await makeServerDir(join(dir, 'run'));
    let socketDir = runDir;
    if (join(runDir, '.s.PGSQL.65535').length > 100) {
      // Too deep for a Unix socket path: a short private directory of the same run, recorded first.
      socketDir = join('/tmp', `${clusterName(runId)}-sock`);
      await request.record({ kind: 'local-server', id: socketDir, runId });
      await mkdir(socketDir, { mode: 0o700 });
      await makeServerDir(socketDir);
    }

    logger.info(`restoring base backup ${backup.name} into ${dir}`);
    await cp(`${backup.path}/`, dataDir, { recursive: true, force: true });
    await this.configureCopy(dataDir, plan.walArchiveDir!, plan.restoreType, targetTime);
    if (runningAsRoot()) await execFileAsync('chown', ['-R', 'postgres:postgres', dataDir]);
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

    const superuser = await this.waitForPromotion(server, socketDir, plan, deadline, request);
    const password = randomBytes(24).toString('base64url');
    logger.setSecret(password);
    await this.onCopy(socketDir, server.port, superuser, async (client) => {
      await client.query(`set password_encryption = 'scram-sha-256'`);
      await client.query(`alter role ${pg.escapeIdentifier(superuser)} with login password '${password}'`);
    });
    const recoveredTo = await this.onCopy(socketDir, server.port, superuser, async (client) => {
      const { rows } = await client.query<{ t: Date | null }>('select pg_last_xact_replay_timestamp() as t');
      return rows[0]?.t ?? undefined;
    });
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

  /** Rewrites the copy's configuration: no archiving into production's archive, our own hba, recovery settings. */
  private async configureCopy(
    dataDir: string,
    archiveDir: string,
    restoreType: Plan['restoreType'],
    targetTime: Date | undefined,
  ): Promise<void> {
    for (const file of ['postgresql.conf', 'postgresql.auto.conf']) {
      const path = join(dataDir, file);
      const text = existsSync(path) ? await readFile(path, 'utf8') : '';
      await writeFile(path, neutralizeConfig(text));
    }
    for (const stale of ['standby.signal', 'postmaster.pid', 'postmaster.opts']) {
      await rm(join(dataDir, stale), { force: true });
    }
    // Connections: trust only over the socket in a 0700 directory; loopback TCP needs the reset password.
    await writeFile(
      join(dataDir, 'pg_hba.conf'),
      'local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n',
    );
    await writeFile(join(dataDir, 'pg_ident.conf'), '');
    await writeFile(join(dataDir, 'recovery.signal'), '');
    const settings: Record<string, string> = {
      hba_file: confString(join(dataDir, 'pg_hba.conf')),
      ident_file: confString(join(dataDir, 'pg_ident.conf')),
      archive_mode: 'off',
      restore_command: confString(restoreCommand(resolve(archiveDir))),
      recovery_target_action: "'promote'",
      recovery_target_timeline: "'latest'",
      hot_standby: 'off',
      synchronous_standby_names: "''",
      ssl: 'off',
      logging_collector: 'off',
    };
    if (restoreType === 'snapshot') settings.recovery_target = "'immediate'";
    else if (targetTime) settings.recovery_target_time = confString(pgTimestamp(targetTime));
    const lines = Object.entries(settings).map(([k, v]) => `${k} = ${v}`);
    await writeFile(
      join(dataDir, 'postgresql.conf'),
      `${await readFile(join(dataDir, 'postgresql.conf'), 'utf8')}\n# restore-proof recovery\n${lines.join('\n')}\n`,
    );
  }

  /**
   * Waits until the copy has replayed to its target and promoted (accepts connections, not in recovery).
   * Throws with the server log's last FATAL line if the postmaster exits instead. Returns the superuser's name.
   */
  private async waitForPromotion(
    server: LocalServer,
    socketDir: string,
    plan: Plan,
    deadline: Date,
    request: RestoreRequest,
  ): Promise<string> {
    const users = [
      ...new Set([plan.sourceUrl ? settingsFromUrl(plan.sourceUrl, 'disable').user : '', 'postgres']),
    ].filter(Boolean);
    let userIndex = 0;
    let seenRunning = false;
    const launched = Date.now();
    return pollUntil(
      async () => {
        // pg_ctl -W returns before the postmaster writes its pid file: gone counts only once it was there.
        const running = existsSync(join(server.dataDir, 'postmaster.pid'));
        seenRunning ||= running;
        if (!running && (seenRunning || (await hasFatal(server.logFile)) || Date.now() - launched > 15_000)) {
          throw new Error(`the restored server stopped during recovery: ${await logFailure(server.logFile)}`);
        }
        try {
          const row = await this.onCopy(socketDir, server.port, users[userIndex]!, async (client) => {
            const { rows } = await client.query<{ recovering: boolean; superuser: string }>(
              'select pg_is_in_recovery() as recovering, (select rolname from pg_roles where oid = 10) as superuser',
            );
            return rows[0]!;
          });
          return {
            done: row.recovering ? undefined : row.superuser,
            status: row.recovering ? 'in recovery' : 'promoted',
          };
        } catch (error) {
          const message = (error as Error).message;
          if (/role .* does not exist/.test(message) && userIndex < users.length - 1) userIndex++;
          return { done: undefined, status: `recovering (${await recoveryProgress(server.logFile)})` };
        }
      },
      {
        what: 'recovery',
        deadline,
        signal: request.signal,
        sleep: this.sleep,
        backoff: this.backoff,
        now: () => request.clock.now(),
        onProgress: (line) => request.logger.debug(line),
      },
    );
  }

  /** One short connection over the copy's socket (trust; the socket directory is private to postgres). */
  private async onCopy<T>(
    socketDir: string,
    port: number,
    user: string,
    fn: (client: pg.Client) => Promise<T>,
  ): Promise<T> {
    const client = new pg.Client({
      host: socketDir,
      port,
      user,
      database: 'postgres',
      connectionTimeoutMillis: 5000,
      application_name: 'restore-proof',
    });
    client.on('error', () => undefined);
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end().catch(() => undefined);
    }
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

/**
 * Stops the copy's server and deletes its directory, refusing any directory whose name is not this run's
 * restore-proof-<run>. The directory alone is enough (the post step has nothing else).
 */
export async function deleteCopy(dir: string, runId: string): Promise<'deleted' | 'not-found'> {
  const name = basename(dir);
  if (!hasOwnedName(name)) {
    throw new OwnershipError(
      `refusing to touch local-server '${dir}': its name lacks the restore-proof-<run> pattern`,
    );
  }
  if (name !== clusterName(runId) && name !== `${clusterName(runId)}-sock`) {
    throw new OwnershipError(`refusing to touch local-server '${dir}': it does not belong to run ${runId}`);
  }
  if (!existsSync(dir)) return 'not-found';
  const dataDir = join(dir, 'data');
  const version = (await readFile(join(dataDir, 'PG_VERSION'), 'utf8').catch(() => '')).trim();
  let bindir: string | undefined;
  try {
    bindir = version ? findPgBindirFor(version) : undefined;
  } catch {
    bindir = undefined; // any pg_ctl can signal a postmaster
  }
  await stopServer(dataDir, bindir);
  if (existsSync(join(dataDir, 'postmaster.pid'))) {
    await killPostmaster(dataDir);
  }
  await rm(dir, { recursive: true, force: true });
  return 'deleted';
}

/** Last resort when pg_ctl could not stop it: SIGKILL the postmaster named in its own pid file, if alive. */
async function killPostmaster(dataDir: string): Promise<void> {
  const pid = Number(
    (await readFile(join(dataDir, 'postmaster.pid'), 'utf8').catch(() => '')).split('\n')[0],
  );
  if (!Number.isInteger(pid) || pid <= 1) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

async function logTail(logFile: string): Promise<string[]> {
  const text = await readFile(logFile, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-200);
}

async function hasFatal(logFile: string): Promise<boolean> {
  return (await logTail(logFile)).some((l) => /(FATAL|PANIC):/.test(l));
}

/** The server log's reason for stopping: its last FATAL/PANIC line, without the log prefix. */
async function logFailure(logFile: string): Promise<string> {
  const lines = await logTail(logFile);
  const fatal = [...lines].reverse().find((l) => /(FATAL|PANIC):/.test(l));
  const line = fatal ?? lines[lines.length - 1] ?? 'no server log';
  return line.replace(/^.*?(FATAL|PANIC):\s*/, '').trim();
}

/** The newest WAL segment restored from the archive, for progress lines. */
async function recoveryProgress(logFile: string): Promise<string> {
  const lines = await logTail(logFile);
  const restored = [...lines].reverse().find((l) => /restored log file "/.test(l));
  const m = restored ? /restored log file "([0-9A-F]{24})"/.exec(restored) : null;
  return m ? `restored ${m[1]}` : 'starting';
}
