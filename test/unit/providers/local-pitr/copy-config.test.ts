/** The copy's configuration: neutralized source settings, quoted restore_command and targets. */
import {
  confString,
  neutralizeConfig,
  pgTimestamp,
  restoreCommand,
} from '../../../../src/providers/local-pitr/copy-config.js';

test('the copy never inherits paths, network, archiving or replication settings from the source', () => {
  const conf = [
    "data_directory = '/var/lib/postgresql/15/main'",
    "archive_command = 'cp %p /archive/%f'",
    'archive_mode=on',
    'port = 5432',
    "include_dir 'conf.d'",
    "primary_conninfo = 'host=primary'",
    "recovery_target_time = '2020-01-01'",
    "ssl_cert_file = 'server.crt'",
    'shared_buffers = 128MB',
    '#port = 5433',
  ].join('\n');
  const out = neutralizeConfig(conf).split('\n');
  expect(out.slice(0, 8).every((l) => l.startsWith('# restore-proof: disabled'))).toBe(true);
  expect(out[8]).toBe('shared_buffers = 128MB');
  expect(out[9]).toBe('#port = 5433');
});

test('restore_command and timestamps are quoted for postgresql.conf', () => {
  expect(restoreCommand("/srv/wal archive/it's")).toBe(`cp '/srv/wal archive/it'\\''s'/%f "%p"`);
  expect(confString('cp \'/a\'/%f "%p"')).toBe(`'cp ''/a''/%f "%p"'`);
  expect(pgTimestamp(new Date('2026-01-31T03:15:00.123Z'))).toBe('2026-01-31 03:15:00.123+00');
});
