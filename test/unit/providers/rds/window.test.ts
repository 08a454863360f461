/** The restore-time pick both RDS providers share: inside the restorable window, or refused naming the input. */
import { pickRestoreTime } from '../../../../src/providers/rds/window.js';

const EARLIEST = new Date('2026-10-23T12:00:00.250Z');
const LATEST = new Date('2026-11-27T12:00:00Z');
const random = { restoreTime: 'random' as const };

test('random picks uniformly inside the window, in whole seconds, never before its start', () => {
  expect(pickRestoreTime(random, 'prod-db', EARLIEST, LATEST, () => 0)).toEqual(EARLIEST);
  const middle = pickRestoreTime(random, 'prod-db', EARLIEST, LATEST, () => 0.5);
  const span = LATEST.getTime() - EARLIEST.getTime();
  expect(middle.getTime()).toBe(Math.floor((EARLIEST.getTime() + span / 2) / 1000) * 1000);
  const end = pickRestoreTime(random, 'prod-db', EARLIEST, LATEST, () => 0.999999999);
  expect(end.getTime() % 1000).toBe(0);
  expect(end <= LATEST && end >= EARLIEST).toBe(true);
});

test('an instant inside the window is kept as given, the window edges included', () => {
  const at = new Date('2026-11-20T00:00:00Z');
  expect(pickRestoreTime({ restoreTime: at }, 'prod-db', EARLIEST, LATEST, Math.random)).toBe(at);
  expect(pickRestoreTime({ restoreTime: LATEST }, 'prod-db', EARLIEST, LATEST, Math.random)).toBe(LATEST);
});

test.each([[new Date('2026-10-01T00:00:00Z')], [new Date('2026-11-28T00:00:00Z')]])(
  'an instant outside the window (%s) is one input error naming the window',
  (at) => {
    expect(() => pickRestoreTime({ restoreTime: at }, 'prod-db', EARLIEST, LATEST, Math.random)).toThrow(
      "input 'restore-time' must lie inside the restorable window of prod-db: 2026-10-23T12:00:00.250Z .. 2026-11-27T12:00:00.000Z",
    );
  },
);

test('a source that reports no window refuses restore-time', () => {
  expect(() => pickRestoreTime(random, 'prod-pg', undefined, LATEST, Math.random)).toThrow(
    /input 'restore-time' cannot be used: source prod-pg reports no restorable window/,
  );
  expect(() => pickRestoreTime(random, 'prod-pg', EARLIEST, undefined, Math.random)).toThrow(
    /reports no restorable window/,
  );
});

test('a window whose latest restorable time is before its earliest (a source just created) is refused', () => {
  const earliest = new Date('2026-11-27T12:00:05Z');
  const latest = new Date('2026-11-27T12:00:00Z');
  expect(() => pickRestoreTime({ restoreTime: 'random' }, 'prod-pg', earliest, latest, () => 0.5)).toThrow(
    /^input 'restore-time' cannot be used yet: source prod-pg has no restorable window/,
  );
});
