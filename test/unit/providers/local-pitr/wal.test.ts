/** WAL archive reading: the last commit in pg_waldump output, segment names, the contiguous tail. */
import { contiguousTail, lastCommitTime, nextSegment } from '../../../../src/providers/local-pitr/wal.js';

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
