import { parseEvidenceConfig } from '../../../../src/report/evidence-config.js';
import { scheduleStatus } from '../../../../src/report/schedule-status.js';
import { renderScheduleTable } from '../../../../src/report/render/schedule-table.js';
import { sampleDrills, sampleExercises } from '../../../fixtures/report/sample-year.js';

/** The index page's schedule table; each row's status label is tested with rowStatus. */
describe('renderScheduleTable', () => {
  const drills = sampleDrills();
  const exercises = sampleExercises();

  it('renders the index table from the configuration, in its order', () => {
    const config = parseEvidenceConfig('');
    const lines = renderScheduleTable(
      scheduleStatus(config, drills, exercises, new Date('2026-12-20T00:00:00Z')),
    );
    const rows = lines.filter(
      (l) => l.startsWith('| ') && !l.startsWith('| Test type') && !l.startsWith('| ---'),
    );
    expect(rows.map((r) => r.split(' | ')[0])).toEqual(config.testTypes.map((t) => `| ${t.name}`));
    expect(rows[1]).toContain('Restore completes in \\< 30 min');
    expect(lines.join('\n')).not.toMatch(/&[a-z]+;/);
  });

  it('marks a test type this team does not run, and never calls it OVERDUE', () => {
    const config = parseEvidenceConfig(
      'test-types:\n  - { id: tabletop, name: Tabletop Exercise, cadence: semiannual, evidence: exercise, enabled: false }\n',
    );
    const [row] = renderScheduleTable(scheduleStatus(config, [], [], new Date('2030-01-01T00:00:00Z'))).slice(
      -1,
    );
    expect(row).toBe(
      '| Tabletop Exercise | Semi-annually | — | — | not run by this team | Exercise recorded: scenario walked through by the named roles, findings and actions with owners |',
    );
  });
});
