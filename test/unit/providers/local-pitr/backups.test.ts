/** Backup labels, history files and the timestamps in them. */
import {
  parseLabel,
  parsePgTimestamp,
  parseWalLocation,
} from '../../../../src/providers/local-pitr/backups.js';

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
