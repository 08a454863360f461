import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  confString,
  contiguousTail,
  deleteCopy,
  lastCommitTime,
  neutralizeConfig,
  nextSegment,
  parseLabel,
  parsePgTimestamp,
  parseWalLocation,
  pgTimestamp,
  restoreCommand,
} from '../../../../src/providers/local-pitr/provider.js';

const HISTORY = `START WAL LOCATION: 0/2000028 (file 000000010000000000000002)
STOP WAL LOCATION: 0/2000100 (file 000000010000000000000002)
CHECKPOINT LOCATION: 0/2000060
BACKUP METHOD: streamed
BACKUP FROM: primary
START TIME: 2026-01-31 03:15:00 UTC
LABEL: pg_basebackup base backup
START TIMELINE: 1
STOP TIME: 2026-01-31 03:15:02 UTC
STOP TIMELINE: 1
`;

test('backup labels and history files parse into their fields', () => {
  const fields = parseLabel(HISTORY);
  expect(fields.get('STOP TIME')).toBe('2026-01-31 03:15:02 UTC');
  expect(fields.get('LABEL')).toBe('pg_basebackup base backup');
  expect(parseWalLocation(fields.get('START WAL LOCATION'))).toEqual({
    lsn: '0/2000028',
    segment: '000000010000000000000002',
  });
  expect(parseWalLocation('garbage')).toBeUndefined();
});

test.each([
  ['2026-01-31 03:15:00 UTC', '2026-01-31T03:15:00.000Z'],
  ['2026-01-31 03:15:00 GMT', '2026-01-31T03:15:00.000Z'],
  ['2026-01-31 04:15:00 +01', '2026-01-31T03:15:00.000Z'],
  ['2026-01-31 08:45:00 +0530', '2026-01-31T03:15:00.000Z'],
  ['2026-01-30 22:15:00 -05:00', '2026-01-31T03:15:00.000Z'],
  ['2026-01-31 03:15:00.123456 UTC', '2026-01-31T03:15:00.123Z'],
])('parsePgTimestamp(%s)', (raw, iso) => {
  expect(parsePgTimestamp(raw)?.toISOString()).toBe(iso);
});

test('zone abbreviations it cannot map are left to the source', () => {
  expect(parsePgTimestamp('2026-01-31 04:15:00 CET')).toBeUndefined();
});

test('the last COMMIT in pg_waldump output is the latest restorable instant', () => {
  const out = [
    'rmgr: Heap        len (rec/tot):     54/   150, tx:        725, lsn: 0/03000028, prev 0/02000100, desc: INSERT off 2',
    'rmgr: Transaction len (rec/tot):     34/    34, tx:        725, lsn: 0/030000C0, prev 0/03000028, desc: COMMIT 2026-01-31 03:20:00.500000 UTC',
    'rmgr: Transaction len (rec/tot):     66/    66, tx:        726, lsn: 0/030001C0, prev 0/030000C0, desc: COMMIT 2026-01-31 03:21:00.250000 UTC; inval msgs: catcache 21',
    'rmgr: Transaction len (rec/tot):     34/    34, tx:        727, lsn: 0/030002C0, prev 0/030001C0, desc: ABORT 2026-01-31 03:22:00.000000 UTC',
  ].join('\n');
  expect(lastCommitTime(out)?.toISOString()).toBe('2026-01-31T03:21:00.250Z');
  expect(lastCommitTime('rmgr: XLOG ... desc: SWITCH')).toBeUndefined();
});

test('segments follow each other across log boundaries', () => {
  const size = 16 * 1024 * 1024;
  expect(nextSegment('000000010000000000000002', size)).toBe('000000010000000000000003');
  expect(nextSegment('0000000100000000000000FF', size)).toBe('000000010000000100000000');
  expect(nextSegment('00000001000000000000003F', 64 * 1024 * 1024)).toBe('000000010000000100000000');
});

test('the contiguous tail of the archive stops at the newest gap', () => {
  const size = 16 * 1024 * 1024;
  const names = [
    '000000010000000000000001',
    '000000010000000000000002',
    '000000010000000000000004',
    '000000010000000000000005',
  ];
  expect(contiguousTail(names, size)).toEqual(['000000010000000000000004', '000000010000000000000005']);
  expect(contiguousTail([], size)).toEqual([]);
  expect(contiguousTail(names.slice(0, 2), size)).toEqual(names.slice(0, 2));
});

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

describe('deleteCopy', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'restore-proof-unit-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('refuses a directory without the restore-proof-<run> name', async () => {
    const other = join(dir, 'pgdata');
    mkdirSync(other);
    await expect(deleteCopy(other, '2601310315-abcdef')).rejects.toThrow(
      /refusing .*restore-proof-<run> pattern/,
    );
    expect(existsSync(other)).toBe(true);
  });

  test("refuses another run's directory", async () => {
    const other = join(dir, 'restore-proof-2601310315-abcdef');
    mkdirSync(other);
    await expect(deleteCopy(other, '2601310315-123456')).rejects.toThrow(
      /does not belong to run 2601310315-123456/,
    );
    expect(existsSync(other)).toBe(true);
  });

  test('deletes its own directory (no server running), and a missing one is not-found', async () => {
    const own = join(dir, 'restore-proof-2601310315-abcdef');
    mkdirSync(join(own, 'data'), { recursive: true });
    await expect(deleteCopy(own, '2601310315-abcdef')).resolves.toBe('deleted');
    expect(existsSync(own)).toBe(false);
    await expect(deleteCopy(own, '2601310315-abcdef')).resolves.toBe('not-found');
  });
});
