/**
 * A throwaway "production" PostgreSQL that backs itself up the way self-hosted teams do: WAL archiving with
 * archive_command into an archive directory, and plain-format base backups with pg_basebackup.
 */
import { join } from 'node:path';
import pg from 'pg';
import { LocalServer, makeServerDir, runPgTool } from '../db/local-server.js';
import { pollUntil } from '../time/poll.js';

export interface Production {
  server: LocalServer;
  /** postgres://postgres@127.0.0.1:<port>/<database> (trust on loopback, no password). */
  url: string;
  database: string;
  archiveDir: string;
  backupDir: string;
}

/**
 * Starts a server under baseDir with archiving into baseDir/archive and creates the database. A busy source
 * archived every second wants small WAL segments (walSegmentMb), or the archive grows 16 MB a second.
 */
export async function startProduction(
  baseDir: string,
  database = 'clinic',
  options: { walSegmentMb?: number } = {},
): Promise<Production> {
  const archiveDir = await makeServerDir(join(baseDir, 'archive'));
  const backupDir = await makeServerDir(join(baseDir, 'backups'));
  const server = await LocalServer.create({
    baseDir: join(baseDir, 'production'),
    walSegmentMb: options.walSegmentMb,
    settings: {
      wal_level: 'replica',
      archive_mode: 'on',
      archive_command: `'test ! -f ${archiveDir}/%f && cp %p ${archiveDir}/%f'`,
      max_wal_senders: 4,
      log_timezone: "'UTC'",
      timezone: "'UTC'",
    },
  });
  await server.start();
  const admin = new pg.Client({ connectionString: server.url() });
  await admin.connect();
  try {
    await admin.query(`create database ${pg.escapeIdentifier(database)}`);
  } finally {
    await admin.end();
  }
  return { server, url: server.url(database), database, archiveDir, backupDir };
}

/** pg_basebackup (plain format, WAL streamed, fast checkpoint) into backupDir/<name>. */
export async function takeBaseBackup(production: Production, name: string): Promise<string> {
  const target = join(production.backupDir, name);
  await runPgTool(
    'pg_basebackup',
    [
      '-h',
      '127.0.0.1',
      '-p',
      String(production.server.port),
      '-U',
      'postgres',
      '-D',
      target,
      '-Fp',
      '-X',
      'stream',
      '-c',
      'fast',
    ],
    { timeoutMs: 300_000 },
  );
  return target;
}

/**
 * Ends the current WAL segment and waits until the archiver has copied it: afterwards every commit made
 * before the call is in the archive.
 */
export async function archiveCurrentWal(client: pg.Client, signal: AbortSignal): Promise<string> {
  const { rows } = await client.query<{ segment: string }>(
    'select pg_walfile_name(pg_switch_wal()) as segment',
  );
  const segment = rows[0]!.segment;
  await pollUntil(
    async () => {
      const { rows: s } = await client.query<{ last: string | null; failed: string | null }>(
        'select last_archived_wal as last, last_failed_wal as failed from pg_stat_archiver',
      );
      const last = s[0]?.last ?? '';
      return { done: last >= segment ? segment : undefined, status: `archived ${last || 'nothing yet'}` };
    },
    {
      what: `archiving of ${segment}`,
      deadline: new Date(Date.now() + 60_000),
      signal,
      backoff: { initialMs: 50, maxMs: 500, factor: 1.5, jitter: 0 },
    },
  );
  return segment;
}
