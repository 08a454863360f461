import { isCalendarInstant } from '../../../src/inputs/calendar.js';
import { parseRestoreTime } from '../../../src/inputs/values.js';

test.each(['2026-02-30T03:15:00Z', '2026-04-31T00:00:00Z', '2025-02-29T00:00:00Z', '2026-01-01T24:00:00Z'])(
  '%s names no instant and is refused',
  (value) => {
    expect(isCalendarInstant(value)).toBe(false);
    expect(() => parseRestoreTime(value)).toThrow(
      new RegExp(`^input 'restore-time' names no calendar date and time: .*got '${value}'`),
    );
  },
);

test.each(['2028-02-29T03:15:00Z', '2026-12-31T23:59:59Z', '2026-01-31T03:15Z'])(
  '%s is accepted',
  (value) => {
    expect(isCalendarInstant(value)).toBe(true);
    expect(parseRestoreTime(value)).toEqual(new Date(value));
  },
);
