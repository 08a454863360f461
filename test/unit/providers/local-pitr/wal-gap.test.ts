import { missingSegment } from '../../../../src/providers/local-pitr/wal.js';

const size = 16 * 1024 * 1024;

test('a gap in the archive names the missing segment', () => {
  const names = ['000000010000000000000001', '000000010000000000000002', '000000010000000000000004'];
  expect(missingSegment(names, size)).toBe('000000010000000000000003');
});

test('a contiguous archive has no missing segment', () => {
  expect(missingSegment(['000000010000000000000001', '000000010000000000000002'], size)).toBeUndefined();
  expect(missingSegment([], size)).toBeUndefined();
});
