/** Calendar checks for written dates: 2026-02-30 parses in JavaScript (as 2 March) but names no day. */

const DATE_PART = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/;

/** Whether the date and time written at the start of an ISO-8601 string name a real instant (UTC). */
export function isCalendarInstant(value: string): boolean {
  const m = DATE_PART.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1).map((p) => Number(p ?? 0)) as number[];
  if (hour! > 23 || minute! > 59 || second! > 59) return false;
  const date = new Date(Date.UTC(year!, month! - 1, day!));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month! - 1 && date.getUTCDate() === day;
}
