/**
 * The restored copy's server: its owned restore-proof-<run> directory (recorded before anything happens in
 * it), starting it on a private socket and a free loopback port, waiting until it has replayed and promoted,
 * its fresh superuser password, and stopping and deleting it (refusing any directory that is not the run's).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { findPgBindirFor, LocalServer, makeServerDir, stopServer } from '../../db/local-server.js';
import type { Logger } from '../../log/logger.js';
import { pollUntil, type Backoff, type Sleep } from '../../time/poll.js';
import type { RestoreTestPlan as Plan } from '../../inputs/plan-types.js';
import { clusterName, hasOwnedName, OwnershipError } from '../ownership.js';
import type { RestoreRequest } from '../provider.js';
import { sourceUrl } from './backups.js';

const execFileAsync = promisify(execFile);

/** Where a copy lives: its owned directory, the data directory in it, and the server's socket directory. */
export interface CopyDirs {
  dir: string;
  dataDir: string;
  runDir: string;
  socketDir: string;
}

const runningAsRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

/** The longest Unix socket path (sun_path is 108 bytes with its NUL). */
export const SOCKET_PATH_MAX = 107;

/** Whether the server's socket (any port) in `dir` fits a Unix socket path. */
export const socketFits = (dir: string): boolean =>
  Buffer.byteLength(join(dir, '.s.PGSQL.65535')) <= SOCKET_PATH_MAX;

/**
 * Where a run's short socket directory goes when the copy's own is too deep: the temp dir (so whatever
 * cleans or checks it sees it too) when the socket path fits there, /tmp otherwise.
 */
export function shortSocketDir(runId: string, temp: string = tmpdir()): string {
  const inTemp = join(temp, `${clusterName(runId)}-sock`);
  return socketFits(inTemp) ? inTemp : join('/tmp', `${clusterName(runId)}-sock`);
}

/**
 * A fresh, owned directory under `parent`, recorded before anything else happens in it; never reused. When
 * its socket path would be too deep for a Unix socket, a short private directory of the same run is used.
 */
export async function makeCopyDirs(
  parent: string,
  runId: string,
  record: RestoreRequest['record'],
): Promise<CopyDirs> {
  await mkdir(parent, { recursive: true });
  const dir = join(parent, clusterName(runId));
  await mkdir(dir, { mode: 0o700 }); // fails if it exists: never reuse a directory
  await record({ kind: 'local-server', id: dir, runId });
  await makeServerDir(dir);
  const dataDir = await makeServerDir(join(dir, 'data'));
  const runDir = await makeServerDir(join(dir, 'run'));
  let socketDir = runDir;
  if (!socketFits(runDir)) {
    socketDir = shortSocketDir(runId);
    await record({ kind: 'local-server', id: socketDir, runId });
    await mkdir(socketDir, { mode: 0o700 });
    await makeServerDir(socketDir);
  }
  return { dir, dataDir, runDir, socketDir };
}

/** Copies a plain-format base backup into the copy's data directory. */
export async function copyBackup(backupPath: string, dataDir: string): Promise<void> {
  await cp(`${backupPath}/`, dataDir, { recursive: true, force: true });
}

/** Hands the data directory to the postgres user when running as root (the server refuses to run as root). */
export async function ownByPostgres(dataDir: string): Promise<void> {
  if (runningAsRoot()) await execFileAsync('chown', ['-R', 'postgres:postgres', dataDir]);
}

/** One short connection over the copy's socket (trust; the socket directory is private to postgres). */
export async function onCopy<T>(
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

export interface PromotionWait {
  plan: Plan;
  deadline: Date;
  request: Pick<RestoreRequest, 'signal' | 'clock' | 'logger'>;
  sleep: Sleep;
  backoff: Backoff;
}

/**
 * Waits until the copy has replayed to its target and promoted (accepts connections, not in recovery).
 * Throws with the server log's last FATAL line if the postmaster exits instead. Returns the superuser's name.
 */
export async function waitForPromotion(
  server: LocalServer,
  socketDir: string,
  wait: PromotionWait,
): Promise<string> {
  const { plan, request } = wait;
  const users = [...new Set([sourceUrl(plan)?.user ?? '', 'postgres'])].filter(Boolean);
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
        const row = await onCopy(socketDir, server.port, users[userIndex]!, async (client) => {
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
      deadline: wait.deadline,
      signal: request.signal,
      sleep: wait.sleep,
      backoff: wait.backoff,
      now: () => request.clock.now(),
      onProgress: (line) => request.logger.debug(line),
    },
  );
}

/** Gives the superuser a fresh random password (registered as a secret first) for loopback TCP. */
export async function resetPassword(
  socketDir: string,
  port: number,
  superuser: string,
  logger: Logger,
): Promise<string> {
  const password = randomBytes(24).toString('base64url');
  logger.setSecret(password);
  await onCopy(socketDir, port, superuser, async (client) => {
    await client.query(`set password_encryption = 'scram-sha-256'`);
    await client.query(`alter role ${pg.escapeIdentifier(superuser)} with login password '${password}'`);
  });
  return password;
}

/** The commit time of the last transaction the copy replayed, if any. */
export async function lastReplayedCommit(
  socketDir: string,
  port: number,
  superuser: string,
): Promise<Date | undefined> {
  return onCopy(socketDir, port, superuser, async (client) => {
    const { rows } = await client.query<{ t: Date | null }>('select pg_last_xact_replay_timestamp() as t');
    return rows[0]?.t ?? undefined;
  });
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
