import { buildAnnualReport, type AnnualReport } from '../../../src/report/annual.js';
import { DEFAULT_EVIDENCE_CONFIG } from '../../../src/report/evidence-config.js';
import { coverageClausesFor } from '../../../src/report/hipaa-coverage.js';
import {
  drillReport,
  SAMPLE_NOW,
  sampleDrills,
  sampleExercises,
  verifiedChain,
} from '../../fixtures/report/sample-year.js';

function sampleAnnual(overrides: Partial<Parameters<typeof buildAnnualReport>[0]> = {}): AnnualReport {
  const reports = sampleDrills();
  const exercises = sampleExercises();
  return buildAnnualReport({
    year: 2026,
    config: DEFAULT_EVIDENCE_CONFIG,
    reports,
    exercises,
    verification: verifiedChain(reports, exercises),
    now: SAMPLE_NOW,
    ...overrides,
  });
}

describe('buildAnnualReport', () => {
  const annual = sampleAnnual();
  const row = (id: string) => annual.compliance.find((c) => c.id === id)!;

  it('holds every drill and exercise of the calendar year, and nothing from the years around it', () => {
    expect(annual.drills).toHaveLength(70);
    expect(annual.drills.every((d) => d.startedAt.startsWith('2026-'))).toBe(true);
    expect(annual.exercises.map((e) => e.date)).toEqual(['2026-06-12', '2026-12-04']);
    expect(annual).toMatchObject({ year: 2026, yearClosed: true, sources: ['omnirapeutic-production'] });
  });

  it('counts schedule compliance per test type: weekly passes, a late quarterly, a missed cross-region', () => {
    expect(row('weekly-validation').counts).toEqual({ onTime: 52, late: 0, missed: 0, overdue: 0, open: 0 });
    expect(row('weekly-validation').failedRuns).toBe(1);
    expect(row('point-in-time').counts).toMatchObject({ onTime: 12, late: 0, missed: 0 });
    expect(row('full-dr').slots.map((s) => [s.due.slice(0, 10), s.outcome])).toEqual([
      ['2026-01-20', 'on-time'],
      ['2026-04-20', 'on-time'],
      ['2026-07-18', 'late'],
      ['2026-10-29', 'on-time'],
    ]);
    expect(row('full-dr').notEvidencedRuns).toBe(1);
    expect(row('tabletop').counts).toMatchObject({ onTime: 2, missed: 0 });
    expect(row('cross-region').slots).toEqual([
      { due: '2026-03-10T06:00:00.000Z', deadline: '2026-03-17T06:00:00.000Z', outcome: 'missed', run: null },
    ]);
  });

  it('says how each drill counted for its test types', () => {
    const july = annual.drills.find((d) => d.startedAt.startsWith('2026-07-20'))!;
    expect(july.rows).toEqual([
      {
        id: 'full-dr',
        name: 'Full Disaster Recovery',
        verdict: 'not-evidenced',
        reasons: ['smoke: skip (no smoke-command)'],
      },
    ]);
  });

  it('pairs each failure with the next passing drill of the same source', () => {
    expect(annual.failures).toHaveLength(1);
    const [failure] = annual.failures;
    expect(failure!.failed.startedAt).toBe('2026-03-14T03:00:00.000Z');
    expect(failure!.reasons).toEqual(['checksums:public.observations']);
    expect(failure!.nextPass?.startedAt).toBe('2026-03-15T03:00:00.000Z');
    expect(failure!.secondsToNextPass).toBe(86400);
  });

  it('finds the next pass of a December failure in January', () => {
    const reports = [
      drillReport('2026-12-26T03:00:00Z', { cadence: 'weekly', fail: true }),
      drillReport('2027-01-02T03:00:00Z', { cadence: 'weekly' }),
    ];
    const [failure] = sampleAnnual({ reports, exercises: [] }).failures;
    expect(failure!.nextPass?.startedAt).toBe('2027-01-02T03:00:00.000Z');
    expect(failure!.secondsToNextPass).toBe(7 * 86400);
  });

  it('trends, per month, the drill closest to its own RTO and RPO targets', () => {
    expect(annual.trend.map((p) => p.month)).toEqual(
      Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}`),
    );
    // January: the monthly drill's 24 min of a 30 min target beats the quarterly's 45 min of 2 h.
    const january = annual.trend[0]!;
    expect(january).toMatchObject({ drills: 7, restoreSeconds: 1440, rtoTargetSeconds: 1800 });
  });

  it('carries the chain verification passed in (the whole directory), without the directory path', () => {
    expect(annual.verification).toMatchObject({ ok: true, total: 76, verified: 76, unsigned: 0, failed: [] });
    const broken = sampleAnnual({
      verification: {
        ok: false,
        reports: [
          { file: 'a.json', status: 'verified', reasons: [], fingerprint: null },
          {
            file: 'b.json',
            status: 'failed',
            reasons: ['signature does not match the content'],
            fingerprint: null,
          },
        ],
      },
    });
    expect(broken.verification).toEqual({
      ok: false,
      total: 2,
      verified: 1,
      unsigned: 0,
      failed: [{ file: 'b.json', reasons: ['signature does not match the content'] }],
    });
  });

  it('covers HIPAA with the corrected mapping', () => {
    const clause = (id: string) => annual.hipaa.find((c) => c.clause === id)!;
    expect(clause('164.312(e)(2)(ii)')).toMatchObject({ state: 'evidenced', checksRan: 140 });
    expect(clause('164.312(c)(1)')).toMatchObject({ state: 'evidenced', checksFailed: 1 });
    expect(clause('164.308(a)(7)(ii)(D)').documents).toBe(72);
    expect(clause('164.316(b)(2)')).toMatchObject({ state: 'by retention' });
    expect(clause('164.316(b)(2)').note).toMatch(/git history.*six years.*90 days/);
    expect(coverageClausesFor({ id: 'encryption:tls', category: 'encryption' })).toEqual([
      '164.312(e)(2)(ii)',
    ]);
    expect(coverageClausesFor({ id: 'integrity:amcheck', category: 'integrity' })).toContain('164.312(c)(1)');
    expect(coverageClausesFor({ id: 'encryption:storage', category: 'encryption' })).toEqual([
      '164.312(a)(2)(iv)',
    ]);
  });

  it('while the year runs, due dates ahead are open, not missed', () => {
    const midYear = sampleAnnual({ now: new Date('2026-05-01T00:00:00Z') });
    expect(midYear.yearClosed).toBe(false);
    expect(midYear.compliance.find((c) => c.id === 'tabletop')!.slots.map((s) => s.outcome)).toEqual([
      'open',
    ]);
    expect(midYear.compliance.find((c) => c.id === 'cross-region')!.slots.map((s) => s.outcome)).toEqual([
      'overdue',
    ]);
  });

  it('refuses a year that is not one', () => {
    expect(() => sampleAnnual({ year: 26 })).toThrow('year: expects a calendar year such as 2026, got 26');
  });
});
