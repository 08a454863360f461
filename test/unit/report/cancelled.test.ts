import { fileSourceName, reportResult, reportStem } from '../../../src/report/model.js';
import { judgeDrill } from '../../../src/report/schedule-status.js';
import { DEFAULT_TEST_TYPES } from '../../../src/report/evidence-config.js';
import { renderJobSummary } from '../../../src/report/render/summary.js';
import { actionsEnv, failingOutcome } from '../../fixtures/report/outcomes.js';
import { composeFirst } from '../../support/report-keys.js';

const cancelled = { ...failingOutcome, error: 'cancelled: the runner cancelled the job' };

describe('a cancelled drill is recorded as cancelled, not as a failure', () => {
  it('takes the cancelled result from the drill error', () => {
    expect(reportResult(cancelled)).toBe('cancelled');
    expect(reportResult(failingOutcome)).toBe('fail');
    expect(reportResult({ result: 'pass' })).toBe('pass');
  });

  it('renders CANCELLED in the report and does not count it as a failed run of the schedule', () => {
    const { report, markdown } = composeFirst({
      outcome: cancelled,
      env: actionsEnv,
      now: new Date('2026-02-01T05:00:00Z'),
    });
    expect(report.result).toBe('cancelled');
    expect(markdown).toMatch(/^# CANCELLED: /);
    expect(markdown).toContain('**CANCELLED**: the monthly drill');
    expect(markdown).not.toContain('# FAIL');
    const pitr = DEFAULT_TEST_TYPES.find((t) => t.id === 'point-in-time')!;
    expect(judgeDrill(pitr, report)).toEqual(
      expect.objectContaining({
        verdict: 'not-evidenced',
        reasons: expect.arrayContaining(['the drill was cancelled']),
      }),
    );
    expect(renderJobSummary(report)).toContain('## restore-proof: CANCELLED');
  });
});

test('file names never carry a local source port', () => {
  expect(fileSourceName('127.0.0.1:54321/appdb')).toBe('appdb');
  expect(fileSourceName('db.internal:5432/appdb')).toBe('db.internal-appdb');
  expect(fileSourceName('arn:aws:rds:us-east-1:123456789012:cluster:prod')).toBe('prod');
  expect(
    reportStem({
      startedAt: '2026-01-31T03:00:00Z',
      cadence: 'weekly',
      source: { cluster: 'localhost:41234/appdb' },
    }),
  ).toBe('2026-01-31T030000Z-weekly-appdb');
});
