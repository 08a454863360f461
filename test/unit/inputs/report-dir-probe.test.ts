import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { probeReportDir } from '../../../src/inputs/report-dir-probe.js';
import { tempDir } from '../../support/temp-dir.js';

test('a new report-dir is created, probed, and left empty', () => {
  const dir = join(tempDir('probe'), 'docs', 'tests');
  probeReportDir(dir);
  expect(existsSync(dir)).toBe(true);
  expect(readdirSync(dir)).toEqual([]);
});

test.each(['/proc/restore-proof', '/proc/self/fd', '/sys/kernel/x', '/dev/stdin/x'])(
  '%s is refused at once, without a write',
  (dir) => {
    const started = Date.now();
    expect(() => probeReportDir(dir)).toThrow(
      /^input 'report-dir' accepts a directory restore-proof can create and write to \(not a kernel file system\)/,
    );
    expect(Date.now() - started).toBeLessThan(1000);
  },
);

test('a path through a file cannot be created', () => {
  const file = join(tempDir('probe'), 'a-file');
  writeFileSync(file, '');
  expect(() => probeReportDir(join(file, 'reports'))).toThrow(/cannot create it: (ENOTDIR|EEXIST)/);
});
