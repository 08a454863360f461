import { buildReport, runContextFromEnv, type Report } from '../../../../src/report/model.js';
import { renderEvidenceIndex } from '../../../../src/report/render/evidence-index.js';
import type { DrillOutcome } from '../../../../src/model/types.js';
import { failingOutcome, passingOutcome } from '../../../fixtures/report/outcomes.js';

const entry = (outcome: DrillOutcome, startedAt: string, signed = true): { file: string; report: Report } => {
  const stamp = startedAt.replace(/[-:]/g, '').slice(0, 15);
  const file = `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T${stamp.slice(9)}Z-${outcome.cadence}-x.json`;
  const report = buildReport({
    outcome: { ...outcome, startedAt },
    run: runContextFromEnv({}, outcome.cadence),
    file,
    markdownFile: file.replace('.json', '.md'),
    previous: null,
    generatedAt: new Date(startedAt),
    toolVersion: 'test',
    secrets: [],
  });
  if (signed) report.signature = { algorithm: 'ed25519', publicKeyFingerprint: 'SHA256:x', value: 'x' };
  return { file, report };
};

const row = (page: string, testType: string): string =>
  page.split('\n').find((l) => l.startsWith(`| ${testType} |`)) ?? '';

describe('the evidence index (docs/tests/README.md)', () => {
  const weekly = (d: string, signed = true) => entry(passingOutcome, d, signed);
  const monthly = (d: string, outcome = { ...passingOutcome, cadence: 'monthly' }) => entry(outcome, d);

  it("fills the plan's schedule from the reports", () => {
    const page = renderEvidenceIndex(
      [
        weekly('2026-01-24T03:00:00.000Z'),
        weekly('2026-01-31T03:00:00.000Z'),
        monthly('2026-01-05T04:00:00.000Z'),
      ],
      new Date('2026-02-01T00:00:00Z'),
    );
    expect(row(page, 'Weekly restore validation')).toMatch(
      /^\| Weekly restore validation \| Weekly \| 2026-01-31 \(\[report\]\(2026-01-31T030000Z-weekly-x\.md\)\) \| pass \| 2026-02-07 \|/,
    );
    expect(row(page, 'Point-in-Time Recovery')).toContain(
      '| 2026-01-05 ([report](2026-01-05T040000Z-monthly-x.md)) | pass | 2026-02-05 |',
    );
    expect(row(page, 'Full Disaster Recovery')).toContain('| never | — | **OVERDUE**: never performed |');
    expect(row(page, 'Tabletop Exercise')).toContain('not recorded by restore-proof');
    expect(row(page, 'Cross-Region Failover')).toContain('| Annually |');
  });

  it('marks an overdue test once its grace has passed, and a due one before that', () => {
    const entries = [weekly('2026-01-31T03:00:00.000Z')];
    expect(
      row(renderEvidenceIndex(entries, new Date('2026-02-08T00:00:00Z')), 'Weekly restore validation'),
    ).toContain('| due now (2026-02-07) |');
    expect(
      row(renderEvidenceIndex(entries, new Date('2026-02-10T00:00:00Z')), 'Weekly restore validation'),
    ).toContain('| **OVERDUE** since 2026-02-07 |');
  });

  it('counts next due from the last passing run and shows a failure', () => {
    const page = renderEvidenceIndex(
      [monthly('2026-01-05T04:00:00.000Z'), entry(failingOutcome, '2026-02-01T04:00:00.000Z')],
      new Date('2026-02-04T00:00:00Z'),
    );
    expect(row(page, 'Point-in-Time Recovery')).toContain('| **FAIL** (last pass 2026-01-05) | 2026-02-05 |');
  });

  it('lists unscheduled cadences as their own rows', () => {
    const page = renderEvidenceIndex(
      [entry({ ...passingOutcome, cadence: 'audit' }, '2026-01-31T03:00:00.000Z')],
      new Date(),
    );
    expect(row(page, 'Drill (audit)')).toContain('| On demand | 2026-01-31');
  });

  it('draws the trend as Mermaid charts and the history newest first', () => {
    const page = renderEvidenceIndex(
      [weekly('2026-01-24T03:00:00.000Z'), weekly('2026-01-31T03:00:00.000Z', false)],
      new Date('2026-02-01T00:00:00Z'),
    );
    expect(page).toContain('xychart-beta');
    expect(page).toContain('  x-axis ["01-24 03:00", "01-31 03:00"]');
    expect(page).toContain('  bar [21.9, 21.9]');
    expect(page).toContain('  line [30, 30]');
    expect(page).toContain('  y-axis "minutes" 0 --> 40');
    const history = page.slice(page.indexOf('## History'));
    expect(history.indexOf('2026-01-31 03:00:00')).toBeLessThan(history.indexOf('2026-01-24 03:00:00'));
    expect(history).toContain('| **no** |');
  });

  it('says so when there is nothing yet', () => {
    const page = renderEvidenceIndex([], new Date('2026-02-01T00:00:00Z'));
    expect(page).toContain('No drill has completed a restore yet.');
    expect(page).toContain('No report yet.');
  });
});
