/** The local-pitr source: base backups (backup-dir), archived WAL (wal-archive-dir), and source-url. */
import { basename, resolve } from 'node:path';
import type { Command, ProviderName } from '../model/types.js';
import { InputError } from './input-error.js';
import type { LocalPitrSource, PostgresUrl } from './plan-types.js';
import { defined, type InputReader } from './raw-inputs.js';
import { existingDir } from './values.js';

export interface PlannedLocalPitr {
  backupDir?: string;
  walArchiveDir?: string;
  /** Set for provider local-pitr when it has a backup directory or a source-url to name it by. */
  source?: LocalPitrSource;
}

export function planLocalPitr(
  inputs: InputReader,
  context: { command: Command; provider: ProviderName; sourceUrl?: PostgresUrl },
): PlannedLocalPitr {
  const backupDir = inputs.parse('backup-dir', (v) => existingDir('backup-dir', v));
  const walArchiveDir = inputs.parse('wal-archive-dir', (v) => existingDir('wal-archive-dir', v));
  if (context.provider !== 'local-pitr') return defined({ backupDir, walArchiveDir });
  if (context.command === 'restore-test') {
    if (backupDir === undefined) {
      throw new InputError(
        'backup-dir',
        'is required with provider local-pitr: the directory of pg_basebackup backups',
      );
    }
    if (walArchiveDir === undefined) {
      throw new InputError(
        'wal-archive-dir',
        'is required with provider local-pitr: the WAL archive directory',
      );
    }
  }
  const url = context.sourceUrl;
  // Named as the provider reports it: host:port/database of source-url, else the backup directory's name.
  const id = url
    ? `${url.settings.host}:${url.settings.port}/${url.settings.database}`
    : backupDir !== undefined
      ? basename(resolve(backupDir))
      : undefined;
  const source: LocalPitrSource | undefined =
    id === undefined
      ? undefined
      : defined<LocalPitrSource>({ kind: 'local-pitr', id, backupDir, walArchiveDir, url });
  return defined({ backupDir, walArchiveDir, source });
}
