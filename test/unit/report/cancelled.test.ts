import { reportResult } from '../../../src/report/model.js';
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
