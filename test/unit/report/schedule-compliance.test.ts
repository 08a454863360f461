import { countSlots, dueSlots } from '../../../src/report/schedule-compliance.js';
import type { ScheduledRun } from '../../../src/report/schedule-status.js';

describe('dueSlots', () => {
  const run = (startedAt: string): ScheduledRun => ({
    kind: 'drill',
    file: `${startedAt}.json`,
    markdownFile: `${startedAt}.md`,
    startedAt,
    verdict: 'evidence',
    reasons: [],
  });
  const year = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2027-01-01T00:00:00Z') };
  const after = new Date('2027-01-15T00:00:00Z');

  it('on time within grace, late within the following period, missed after it', () => {
    const slots = dueSlots(
      'quarterly',
      ['2025-10-20T05:00:00Z', '2026-01-25T05:00:00Z', '2026-05-20T05:00:00Z'].map(run),
      year,
      after,
    );
    expect(slots.map((s) => [s.due.slice(0, 10), s.outcome])).toEqual([
      ['2026-01-20', 'on-time'],
      ['2026-04-25', 'late'],
      ['2026-08-20', 'missed'],
      ['2026-11-20', 'missed'],
    ]);
    expect(countSlots(slots)).toEqual({ onTime: 1, late: 1, missed: 2, overdue: 0, open: 0 });
  });

  it('with no history the first due date is one period into the window', () => {
    const slots = dueSlots('semiannual', [], year, new Date('2026-03-01T00:00:00Z'));
    expect(slots).toEqual([
      { due: '2026-07-01T00:00:00.000Z', deadline: '2026-07-08T00:00:00.000Z', outcome: 'open', run: null },
    ]);
  });

  it('overdue while a late run may still come', () => {
    const slots = dueSlots('monthly', [run('2026-01-05T00:00:00Z')], year, new Date('2026-02-20T00:00:00Z'));
    expect(slots.map((s) => s.outcome)).toEqual(['on-time', 'overdue']);
  });
});
