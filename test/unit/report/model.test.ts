import { addMonthsUtc, cadencePeriod, nextDue, validUntil } from '../../../src/report/cadence.js';
import { hipaaFor } from '../../../src/report/hipaa.js';
import {
  buildReport,
  clusterName,
  fileStamp,
  REPORT_FILE,
  reportStem,
  runContextFromEnv,
} from '../../../src/report/model.js';
import { CHECK_CATEGORIES } from '../../../src/model/types.js';
import { actionsEnv, erroredOutcome, passingOutcome } from '../../fixtures/report/outcomes.js';

describe('runContextFromEnv', () => {
  it('reads the GitHub Actions variables', () => {
    expect(runContextFromEnv({ ...actionsEnv, GITHUB_RUN_ATTEMPT: '2' }, 'weekly')).toEqual({
      repository: 'omnirapeutic/platform',
      workflow: 'Restore drill (weekly)',
      runId: '13370001',
      runAttempt: 2,
      runUrl: 'https://github.com/omnirapeutic/platform/actions/runs/13370001/attempts/2',
      commit: '3f1d2c4b5a69788796a5b4c3d2e1f0a9b8c7d6e5',
      ref: 'main',
      actor: 'github-actions[bot]',
      trigger: 'schedule',
      cadence: 'weekly',
    });
  });

  it('is null and local outside GitHub', () => {
    expect(runContextFromEnv({}, 'adhoc')).toEqual({
      repository: null,
      workflow: null,
      runId: null,
      runAttempt: null,
      runUrl: null,
      commit: null,
      ref: null,
      actor: null,
      trigger: 'local',
      cadence: 'adhoc',
    });
  });

  it('uses GitHub Enterprise server URLs', () => {
    expect(
      runContextFromEnv({ ...actionsEnv, GITHUB_SERVER_URL: 'https://ghe.example' }, 'weekly').runUrl,
    ).toBe('https://ghe.example/omnirapeutic/platform/actions/runs/13370001');
  });
});

describe('report file names', () => {
  it('sort by time and say what they are', () => {
    const stem = reportStem(passingOutcome);
    expect(stem).toBe('2026-01-31T030000Z-weekly-omnirapeutic-production');
    expect(REPORT_FILE.test(`${stem}.json`)).toBe(true);
    expect(REPORT_FILE.test('README.md')).toBe(false);
    expect(REPORT_FILE.test('restore-proof.pub.pem')).toBe(false);
  });

  it('take the cluster name from an ARN and make odd names safe', () => {
    expect(clusterName('arn:aws:rds:us-east-1:123456789012:cluster:Prod_DB')).toBe('Prod_DB');
    expect(
      reportStem({
        ...passingOutcome,
        cadence: 'Ad Hoc!',
        source: { cluster: 'arn:aws:rds:us-east-1:1:cluster:Prod_DB' },
      }),
    ).toBe('2026-01-31T030000Z-ad-hoc-prod-db');
  });

  it('use UTC even for offsets', () => {
    expect(fileStamp('2026-01-31T05:04:03+02:00')).toBe('2026-01-31T030403Z');
    expect(() => fileStamp('yesterday')).toThrow(/not a timestamp/);
  });
});

describe('validUntil', () => {
  const at = new Date('2026-01-31T03:00:00Z');
  it.each([
    ['weekly', '2026-02-09T03:00:00.000Z'],
    ['monthly', '2026-03-07T03:00:00.000Z'],
    ['quarterly', '2026-05-07T03:00:00.000Z'],
    ['annual', '2027-02-07T03:00:00.000Z'],
    ['yearly', '2027-02-07T03:00:00.000Z'],
    ['daily', '2026-02-02T03:00:00.000Z'],
    ['adhoc', '2026-03-02T03:00:00.000Z'],
    ['audit', '2026-03-02T03:00:00.000Z'],
  ])('%s evidence from a run on Jan 31 stands until %s', (cadence, expected) => {
    expect(validUntil(cadence, at).toISOString()).toBe(expected);
  });

  it('clamps month ends', () => {
    expect(addMonthsUtc(at, 1).toISOString()).toBe('2026-02-28T03:00:00.000Z');
    expect(addMonthsUtc(new Date('2024-01-31T00:00:00Z'), 1).toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect(nextDue('quarterly', new Date('2026-11-30T00:00:00Z')).toISOString()).toBe(
      '2027-02-28T00:00:00.000Z',
    );
  });

  it('knows unscheduled cadences', () => {
    expect(cadencePeriod('adhoc').name).toBeNull();
    expect(cadencePeriod('Semi-Annual').name).toBe('semiannual');
  });
});

describe('HIPAA mapping', () => {
  it('maps every check category to at least one clause', () => {
    for (const category of CHECK_CATEGORIES) expect(hipaaFor(category).length).toBeGreaterThan(0);
    expect(hipaaFor('encryption')).toEqual(['164.312(a)(2)(iv)']);
  });
});

describe('buildReport', () => {
  const base = {
    run: runContextFromEnv({}, 'weekly'),
    file: 'f.json',
    markdownFile: 'f.md',
    previous: null,
    generatedAt: new Date('2026-02-07T05:02:05Z'),
    toolVersion: 'test',
  };

  it('holds the minimum fields, with nulls rather than missing values', () => {
    const report = buildReport({ ...base, outcome: passingOutcome, secrets: [] });
    expect(report).toMatchObject({
      schema: 'restore-proof/report@1',
      result: 'pass',
      error: null,
      source: { cluster: 'omnirapeutic-production' },
      restore: {
        restoredCluster: 'restore-proof-20260131t030000z-7f3a',
        type: 'point-in-time',
        seconds: 1315.999,
      },
      objectives: { rto: { targetSeconds: 1800, met: true }, rpo: { measuredSeconds: 64.5, met: true } },
      cleanup: { status: 'deleted' },
      validUntil: '2026-02-09T03:00:00.000Z',
      previous: null,
      signature: null,
    });
    expect(report.checks[0]).toEqual({
      id: 'posture:backup-retention',
      category: 'posture',
      status: 'pass',
      summary: 'source keeps automated backups for 35 days',
      measured: 35,
      expected: 35,
      durationMs: 40,
      hipaa: ['164.308(a)(7)(ii)(A)'],
    });
    expect(report.totals).toEqual({ total: 23, passed: 22, failed: 0, errored: 0, warned: 1, skipped: 0 });
    expect(JSON.stringify(report)).not.toContain('undefined');
  });

  it('records a failed drill with its error, scrubbed of secrets', () => {
    const report = buildReport({ ...base, outcome: erroredOutcome, secrets: ['db.example'] });
    expect(report.result).toBe('fail');
    expect(report.error).toBe(
      'restore timed out after 120 min waiting for restore-proof-20260207t030000z-c9d0 (connecting with postgres://restore:***@***:5432/app)',
    );
    expect(report.restore.seconds).toBeNull();
    expect(report.cleanup.resources[0]).toEqual({
      kind: 'cluster',
      id: 'restore-proof-20260207t030000z-c9d0',
      outcome: 'failed',
      error: 'InvalidDBClusterStateFault',
    });
  });
});
