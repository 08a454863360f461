import { readBackReport } from '../../../../src/report/render/index-sections.js';
import { passingOutcome } from '../../../fixtures/report/outcomes.js';
import { composeFirst } from '../../../support/report-keys.js';

test('readBackReport: a report as read back from its file, or null for anything else', () => {
  const { report, json } = composeFirst({ outcome: passingOutcome });
  expect(readBackReport(report.file, json)).toEqual({ file: report.file, report: JSON.parse(json) });
  expect(readBackReport('x.json', '{"truncated":')).toBeNull();
  expect(readBackReport('x.json', '{"schema":"restore-proof/report@1"}')).toBeNull();
  expect(readBackReport('x.json', 'null')).toBeNull();
});
