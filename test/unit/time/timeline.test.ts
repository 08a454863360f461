import { Timeline } from '../../../src/time/timeline.js';

test('timeline phases tile the drill from its start', () => {
  let t = 0;
  const timeline = new Timeline({ now: () => new Date(t) });
  t = 1500;
  timeline.mark('restore-request');
  t = 4000;
  timeline.mark('cluster-available');
  expect(timeline.phases.map((p) => [p.name, p.seconds])).toEqual([
    ['restore-request', 1.5],
    ['cluster-available', 2.5],
  ]);
  expect(timeline.secondsUntil('cluster-available')).toBe(4);
  expect(timeline.secondsUntil('never')).toBeNull();
});

test('a phase says what its time counts toward; unmarked phases are drill overhead', () => {
  let t = 0;
  const timeline = new Timeline({ now: () => new Date(t) });
  t = 1000;
  timeline.mark('resolve');
  t = 3000;
  timeline.mark('restorable-wait', { counts: 'restore-point-wait' });
  t = 3500;
  timeline.mark('restore-request', { counts: 'recovery', copyExists: true });
  t = 7500;
  timeline.mark('first-query', { counts: 'recovery' });
  t = 9000;
  timeline.mark('validation');
  expect(timeline.secondsCounted('recovery')).toBe(4.5);
  expect(timeline.secondsCounted('restore-point-wait')).toBe(2);
  expect(timeline.phases.filter((p) => p.copyExists).map((p) => p.name)).toEqual(['restore-request']);
  expect(timeline.phases[0]).not.toHaveProperty('counts');
});
