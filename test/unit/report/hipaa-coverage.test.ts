import {
  coverageClausesFor,
  hipaaCoverage,
  isTransmissionCheck,
} from '../../../src/report/hipaa-coverage.js';
import { drillReport, exerciseReport, TABLETOP_YAML } from '../../fixtures/report/sample-year.js';

describe('coverageClausesFor (the corrected mapping)', () => {
  it('puts TLS checks under transmission security only', () => {
    for (const id of ['encryption:tls', 'encryption:force-ssl', 'access:force-ssl']) {
      expect(isTransmissionCheck({ id })).toBe(true);
      expect(coverageClausesFor({ id, category: id.startsWith('access') ? 'access' : 'encryption' })).toEqual(
        ['164.312(e)(2)(ii)'],
      );
    }
    expect(coverageClausesFor({ id: 'encryption:storage', category: 'encryption' })).toEqual([
      '164.312(a)(2)(iv)',
    ]);
  });

  it('adds integrity (c)(1) to checksums and amcheck, and to nothing else', () => {
    expect(coverageClausesFor({ id: 'checksums:public.patients', category: 'checksums' })).toEqual([
      '164.308(a)(7)(ii)(A)',
      '164.308(a)(7)(ii)(B)',
      '164.312(c)(1)',
    ]);
    expect(coverageClausesFor({ id: 'integrity:amcheck', category: 'integrity' })).toContain('164.312(c)(1)');
    expect(coverageClausesFor({ id: 'integrity:foreign-keys', category: 'integrity' })).not.toContain(
      '164.312(c)(1)',
    );
  });
});

describe('hipaaCoverage', () => {
  it('counts checks that ran per clause; an exercise counts for testing only', () => {
    const report = drillReport('2026-01-03T03:00:00Z', { cadence: 'weekly' });
    const coverage = hipaaCoverage([report], [exerciseReport(TABLETOP_YAML)]);
    const clause = (id: string) => coverage.find((c) => c.clause === id)!;
    expect(clause('164.312(e)(2)(ii)')).toMatchObject({
      checksRan: 2,
      checksFailed: 0,
      documents: 1,
      state: 'evidenced',
    });
    expect(clause('164.312(c)(1)')).toMatchObject({ checksRan: 3, state: 'evidenced' });
    expect(clause('164.308(a)(7)(ii)(D)')).toMatchObject({ documents: 2, state: 'evidenced' });
    expect(clause('164.316(b)(2)')).toMatchObject({ state: 'by retention', documents: 2 });
  });

  it('a clause with no check that ran is not evidenced; one whose every check failed reads failures', () => {
    const report = drillReport('2026-01-03T03:00:00Z', { cadence: 'weekly' });
    const skipped = {
      ...report,
      checks: report.checks.map((c) =>
        c.category === 'encryption' && c.id !== 'encryption:tls' ? { ...c, status: 'skip' as const } : c,
      ),
    };
    const failing = {
      ...report,
      checks: report.checks.map((c) =>
        c.category === 'checksums' || c.id === 'integrity:amcheck' ? { ...c, status: 'fail' as const } : c,
      ),
    };
    expect(hipaaCoverage([skipped], []).find((c) => c.clause === '164.312(a)(2)(iv)')!.state).toBe(
      'not evidenced',
    );
    expect(hipaaCoverage([failing], []).find((c) => c.clause === '164.312(c)(1)')).toMatchObject({
      state: 'failures',
      checksFailed: 3,
    });
  });
});
