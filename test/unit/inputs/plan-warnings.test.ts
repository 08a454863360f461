import { planWarnings, SCHEDULE_CADENCES } from '../../../src/inputs/plan-warnings.js';

const isScheduled = (c: string): boolean => (SCHEDULE_CADENCES as readonly string[]).includes(c);

const plan = { cadence: 'weekly', maxRestoreMinutes: 30, timeoutMinutes: 120 };

test('nothing to say about a plan inside the schedule', () => {
  expect(planWarnings(plan, isScheduled)).toEqual([]);
  expect(planWarnings({ ...plan, cadence: 'pr' })).toEqual([]);
});

test('a cadence outside the schedule is warned about, with its neighbour', () => {
  const [warning] = planWarnings({ ...plan, cadence: 'montly' }, isScheduled);
  expect(warning).toMatch(/^input 'cadence' 'montly' is not in the schedule .*did you mean 'monthly'\?/);
});

test('max-restore-minutes above timeout-minutes is warned about', () => {
  expect(planWarnings({ ...plan, maxRestoreMinutes: 180 })).toEqual([
    "input 'max-restore-minutes' (180) is above timeout-minutes (120): the drill stops before the RTO target can be missed",
  ]);
});
