import { DEFAULT_TEST_TYPES, type TestType } from '../../../src/report/evidence-config.js';
import { isCrossRegionDrill, judgeDrill, rowStatus, runsFor } from '../../../src/report/schedule-status.js';
import { scheduleStatusLabel } from '../../../src/report/render/schedule-table.js';
import {
  drillReport,
  exerciseReport,
  sampleDrills,
  sampleExercises,
  TABLETOP_YAML,
} from '../../fixtures/report/sample-year.js';

const type = (id: string): TestType => DEFAULT_TEST_TYPES.find((t) => t.id === id)!;
const fullDr = type('full-dr');

describe('judgeDrill', () => {
  it('a passing full-DR drill without a smoke command is not evidenced, naming the skipped smoke check', () => {
    const report = drillReport('2026-04-18T05:00:00Z', { cadence: 'quarterly', smoke: false });
    expect(report.result).toBe('pass');
    expect(judgeDrill(fullDr, report)).toEqual({
      verdict: 'not-evidenced',
      reasons: ['smoke: skip (no smoke-command)'],
    });
  });

  it('a smoke check that ran and passed evidences "all services operational"', () => {
    expect(judgeDrill(fullDr, drillReport('2026-04-18T05:00:00Z', { cadence: 'quarterly' })).verdict).toBe(
      'evidence',
    );
  });

  it('a restore slower than the criterion fails the row even when the drill passed', () => {
    const slow = drillReport('2026-02-01T04:00:00Z', { cadence: 'monthly', restoreSeconds: 1800 });
    expect(judgeDrill(type('point-in-time'), slow)).toEqual({
      verdict: 'failed',
      reasons: ['restore took 30 min, not < 30 min'],
    });
  });

  it('a failed drill never evidences', () => {
    const failed = drillReport('2026-03-14T03:00:00Z', { cadence: 'weekly', fail: true });
    expect(judgeDrill(type('weekly-validation'), failed)).toEqual({
      verdict: 'failed',
      reasons: ['the drill failed'],
    });
  });

  it('cross-region needs a drill that restored in another region', () => {
    const same = drillReport('2026-03-10T06:00:00Z', { cadence: 'annual' });
    const other = drillReport('2026-03-10T06:00:00Z', { cadence: 'annual', crossRegion: true });
    expect(isCrossRegionDrill(same)).toBe(false);
    expect(judgeDrill(type('cross-region'), same)).toEqual({
      verdict: 'not-evidenced',
      reasons: ['not a cross-region drill'],
    });
    expect(judgeDrill(type('cross-region'), other).verdict).toBe('evidence');
  });
});

describe('rowStatus', () => {
  const drills = sampleDrills();
  const exercises = sampleExercises();

  it('fills a drill row from the reports of its drill cadence only', () => {
    const runs = runsFor(type('point-in-time'), drills, exercises);
    expect(runs).toHaveLength(13);
    expect(runs.filter((r) => !r.file.includes('-monthly-'))).toEqual([]);
  });

  it('passed on time, with the next due date from the last evidence', () => {
    const row = rowStatus(type('point-in-time'), drills, exercises, new Date('2026-12-20T00:00:00Z'));
    expect(row).toMatchObject({ state: 'on-time', nextDue: '2027-01-01T04:00:00.000Z', dueNow: false });
    expect(scheduleStatusLabel(row)).toBe('passed on time; next due 2027-01-01');
  });

  it('due now once the due date passed, OVERDUE once its grace passed too', () => {
    // January's and February's due dates both passed their following period: 2 missed.
    const dueNow = rowStatus(type('point-in-time'), drills, exercises, new Date('2027-01-03T00:00:00Z'));
    expect(scheduleStatusLabel(dueNow)).toBe('passed on time; due now (2027-01-01)');
    const overdue = rowStatus(type('point-in-time'), drills, exercises, new Date('2027-03-20T00:00:00Z'));
    expect(overdue).toMatchObject({ state: 'overdue', missed: 2 });
    expect(scheduleStatusLabel(overdue)).toBe('**OVERDUE** since 2027-01-01 (2 due dates missed)');
  });

  it('a late quarterly reads "passed late"', () => {
    const row = rowStatus(fullDr, drills, exercises, new Date('2026-08-15T00:00:00Z'));
    expect(row.state).toBe('late');
    expect(row.lastEvidence?.startedAt).toBe('2026-07-29T05:00:00.000Z');
  });

  it('reads "not evidenced" when the last run passed without showing the criteria and no evidence stands', () => {
    const onlyNoSmoke = [drillReport('2026-07-20T05:00:00Z', { cadence: 'quarterly', smoke: false })];
    const row = rowStatus(fullDr, onlyNoSmoke, [], new Date('2026-08-01T00:00:00Z'));
    expect(row.state).toBe('not-evidenced');
    expect(scheduleStatusLabel(row)).toBe('**not evidenced**: smoke: skip (no smoke-command)');
  });

  it('OVERDUE for the cross-region row whose only drill is more than a year old', () => {
    const row = rowStatus(type('cross-region'), drills, exercises, new Date('2026-06-01T00:00:00Z'));
    expect(row.state).toBe('overdue');
    expect(scheduleStatusLabel(row)).toBe('**OVERDUE** since 2026-03-10');
  });

  it('never performed, and not run by this team (never OVERDUE)', () => {
    expect(scheduleStatusLabel(rowStatus(type('tabletop'), [], [], new Date('2026-06-01T00:00:00Z')))).toBe(
      '**OVERDUE**: never performed',
    );
    const disabled = { ...type('tabletop'), enabled: false };
    const row = rowStatus(disabled, [], [], new Date('2030-01-01T00:00:00Z'));
    expect(row.state).toBe('not-run');
    expect(scheduleStatusLabel(row)).toBe('not run by this team');
  });

  it('an exercise fills the row whose id its record names', () => {
    const row = rowStatus(
      type('tabletop'),
      [],
      [exerciseReport(TABLETOP_YAML)],
      new Date('2026-07-01T00:00:00Z'),
    );
    expect(row).toMatchObject({ state: 'on-time', nextDue: '2026-12-12T00:00:00.000Z' });
    expect(row.lastRun?.kind).toBe('exercise');
  });
});
