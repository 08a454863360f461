/**
 * The restored copy's configuration: the source's postgresql.conf with everything that would tie the copy to
 * production neutralized (paths, network, archiving, replication, TLS), its own hba, and the recovery
 * settings (restore_command from the archive, the recovery target, promote at the end).
 */
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { RestoreTestPlan as Plan } from '../../inputs/plan-types.js';

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

/** Rewrites the copy's configuration: no archiving into production's archive, our own hba, recovery settings. */
export async function configureCopy(
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
