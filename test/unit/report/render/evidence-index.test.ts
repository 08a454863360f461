import { buildReport, runContextFromEnv, type Report } from '../../../../src/report/model.js';
import { renderEvidenceIndex } from '../../../../src/report/render/evidence-index.js';
import type { DrillOutcome } from '../../../../src/model/types.js';
import { parseEvidenceConfig } from '../../../../src/report/evidence-config.js';
import { buildRetraction } from '../../../../src/report/retraction.js';
import { failingOutcome, passingOutcome } from '../../../fixtures/report/outcomes.js';
import { exerciseReport, TABLETOP_YAML } from '../../../fixtures/report/sample-year.js';

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

  it("fills the plan's schedule from restore-proof.yml's test types", () => {
    const page = renderEvidenceIndex(
      [
        weekly('2026-01-24T03:00:00.000Z'),
        weekly('2026-01-31T03:00:00.000Z'),
        monthly('2026-01-05T04:00:00.000Z'),
      ],
      new Date('2026-02-01T00:00:00Z'),
    );
    expect(row(page, 'Weekly restore validation')).toMatch(
      /^\| Weekly restore validation \| Weekly \| 2026-01-31 \(\[report\]\(2026-01-31T030000Z-weekly-x\.md\)\) \| pass \| passed on time; next due 2026-02-07 \|/,
    );
    expect(row(page, 'Point-in-Time Recovery')).toContain(
      '| 2026-01-05 ([report](2026-01-05T040000Z-monthly-x.md)) | pass | passed on time; next due 2026-02-05 | Restore completes in \\< 30 min,',
    );
    expect(row(page, 'Full Disaster Recovery')).toContain('| never | — | **OVERDUE**: never performed |');
    expect(row(page, 'Tabletop Exercise')).toContain('| never | — | **OVERDUE**: never performed |');
    expect(row(page, 'Cross-Region Failover')).toContain('| Annually |');
    expect(page).not.toContain('&lt;');
  });

  it('marks an overdue test once its grace has passed, and a due one before that', () => {
    const entries = [weekly('2026-01-31T03:00:00.000Z')];
    expect(
      row(renderEvidenceIndex(entries, new Date('2026-02-08T00:00:00Z')), 'Weekly restore validation'),
    ).toContain('| passed on time; due now (2026-02-07) |');
    expect(
      row(renderEvidenceIndex(entries, new Date('2026-02-10T00:00:00Z')), 'Weekly restore validation'),
    ).toContain('| **OVERDUE** since 2026-02-07 |');
  });

  it('counts next due from the last evidence and shows a failure', () => {
    const page = renderEvidenceIndex(
      [monthly('2026-01-05T04:00:00.000Z'), entry(failingOutcome, '2026-02-01T04:00:00.000Z')],
      new Date('2026-02-04T00:00:00Z'),
    );
    expect(row(page, 'Point-in-Time Recovery')).toContain(
      '| **FAIL** | passed on time (last evidence 2026-01-05); next due 2026-02-05 |',
    );
  });

  it('reads Full Disaster Recovery as not evidenced unless a smoke check ran and passed', () => {
    const noSmoke = {
      ...passingOutcome,
      cadence: 'quarterly',
      checks: passingOutcome.checks.filter((c) => c.category !== 'smoke'),
    };
    const at = new Date('2026-02-01T00:00:00Z');
    expect(
      row(renderEvidenceIndex([entry(noSmoke, '2026-01-31T03:00:00.000Z')], at), 'Full Disaster Recovery'),
    ).toContain('| pass, not evidenced | **not evidenced**: smoke: skip (no smoke-command) |');
    const smoke = { ...passingOutcome, cadence: 'quarterly' };
    expect(
      row(renderEvidenceIndex([entry(smoke, '2026-01-31T03:00:00.000Z')], at), 'Full Disaster Recovery'),
    ).toContain('| pass | passed on time; next due 2026-04-30 |');
  });

  it('never calls a test type the team does not run OVERDUE', () => {
    const config = parseEvidenceConfig(
      'test-types:\n  - { id: cross-region, name: Cross-Region Failover, cadence: annual, enabled: false }\n',
    );
    const line = row(
      renderEvidenceIndex([], new Date('2026-02-01T00:00:00Z'), [], { config }),
      'Cross-Region Failover',
    );
    expect(line).toContain('not run by this team');
    expect(line).not.toContain('OVERDUE');
  });

  it('fills the Tabletop row from a recorded exercise and lists it', () => {
    const exercise = exerciseReport(TABLETOP_YAML);
    exercise.signature = { algorithm: 'ed25519', publicKeyFingerprint: 'SHA256:x', value: 'x' };
    const page = renderEvidenceIndex(
      [weekly('2026-06-13T03:00:00.000Z')],
      new Date('2026-06-20T00:00:00Z'),
      [],
      {
        exercises: [exercise],
      },
    );
    expect(row(page, 'Tabletop Exercise')).toContain(
      `| 2026-06-12 ([record](${exercise.markdown.file})) | pass | passed on time; next due 2026-12-12 |`,
    );
    expect(page).toContain('## Exercises');
    expect(page).toContain(
      `| 2026-06-12 | \`tabletop\` | us-east-1 is unavailable for six hours; the production cluster cannot be reached. | 4 | 2 | 2 | yes |`,
    );
  });

  it('leaves a retracted report out of the schedule and says why', () => {
    const mistaken = weekly('2026-01-31T03:00:00.000Z');
    const retraction = buildRetraction({
      retracts: { file: mistaken.file, sha256: 'a'.repeat(64) },
      reason: 'Ran against the staging cluster by mistake',
      run: runContextFromEnv({}, 'adhoc'),
      file: '2026-02-01T000000Z-retraction.json',
      markdownFile: '2026-02-01T000000Z-retraction.md',
      previous: null,
      generatedAt: new Date('2026-02-01T00:00:00Z'),
      toolVersion: 'test',
      secrets: [],
    });
    const page = renderEvidenceIndex([mistaken], new Date('2026-02-01T01:00:00Z'), [], {
      retractions: [retraction],
    });
    expect(row(page, 'Weekly restore validation')).toContain('**OVERDUE**: never performed');
    expect(page).toContain(
      `- \`${mistaken.file}\`: Ran against the staging cluster by mistake ([retraction](2026-02-01T000000Z-retraction.md), 2026-02-01)`,
    );
  });

  it('says the reports are signed only when they are', () => {
    const at = new Date('2026-02-01T00:00:00Z');
    expect(renderEvidenceIndex([weekly('2026-01-31T03:00:00.000Z')], at)).toContain(
      'Each report is a signed JSON file',
    );
    const unsigned = renderEvidenceIndex([weekly('2026-01-31T03:00:00.000Z', false)], at);
    expect(unsigned).toContain('**The reports are not signed**');
    expect(unsigned).not.toContain('signed JSON file');
    const mixed = renderEvidenceIndex(
      [weekly('2026-01-24T03:00:00.000Z'), weekly('2026-01-31T03:00:00.000Z', false)],
      at,
    );
    expect(mixed).toContain('**1 of 2 documents are not signed**');
  });

  it('names drills of cadences no test type names below the schedule', () => {
    const page = renderEvidenceIndex(
      [entry({ ...passingOutcome, cadence: 'audit' }, '2026-01-31T03:00:00.000Z')],
      new Date('2026-02-01T00:00:00Z'),
    );
    expect(page).toContain('listed in the history, not in the schedule: `audit` (1 drill).');
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
