/** What a snapshot restores as: its own engine version, and a parameter group of that version's family. */
import { memoryLogger } from '../../../../src/log/logger.js';
import { majorVersion, snapshotEngine } from '../../../../src/providers/rds/engine-version.js';

test('major versions: 15 for 15.4, 9.6 for 9.6.22', () => {
  expect(majorVersion('15.4')).toBe('15');
  expect(majorVersion('16')).toBe('16');
  expect(majorVersion('9.6.22')).toBe('9.6');
});

test("a snapshot of the source's major version keeps the source's parameter group", () => {
  const logger = memoryLogger();
  expect(snapshotEngine('15.2', { engineVersion: '15.4', parameterGroup: 'prod-pg15' }, logger)).toEqual({
    engineVersion: '15.2',
    parameterGroup: 'prod-pg15',
  });
});

test("an older major restores with the snapshot's version and RDS's default group, and says so", () => {
  const logger = memoryLogger();
  expect(snapshotEngine('14.9', { engineVersion: '15.4', parameterGroup: 'prod-pg15' }, logger)).toEqual({
    engineVersion: '14.9',
    parameterGroup: undefined,
  });
  expect(logger.lines.join('\n')).toMatch(/taken on engine version 14\.9, the source now runs 15\.4/);
});

test("a snapshot that reports no version restores with the source's", () => {
  expect(snapshotEngine(undefined, { engineVersion: '15.4', parameterGroup: 'g' }, memoryLogger())).toEqual({
    engineVersion: '15.4',
    parameterGroup: 'g',
  });
});
