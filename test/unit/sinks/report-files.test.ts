import { memoryLogger } from '../../../src/log/logger.js';
import { shownReportDir, warnSignedOntoUnsigned } from '../../../src/sinks/report-files.js';

test('the verify recipe never shows a path outside the repository', () => {
  expect(shownReportDir('/work/repo/docs/tests', '/work/repo')).toBe('docs/tests');
  expect(shownReportDir('/tmp/restore-proof-x/docs/tests', '/work/repo')).toBe('REPORT_DIR');
  expect(shownReportDir('evidence', '/elsewhere')).toBe('evidence');
});

test('a signed run warns when it chains onto an unsigned document', () => {
  const logger = memoryLogger();
  warnSignedOntoUnsigned('{"signature":null}', 'a.json', true, logger);
  expect(logger.lines.join('\n')).toContain('chains onto a.json, which is unsigned');
  const quiet = memoryLogger();
  warnSignedOntoUnsigned('{"signature":{"value":"x"}}', 'a.json', true, quiet);
  warnSignedOntoUnsigned('{"signature":null}', 'a.json', false, quiet);
  expect(quiet.lines).toEqual([]);
});
