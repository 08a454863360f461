/**
 * How long a drill's evidence stands. A cadence names a schedule; its period is the time to the next
 * scheduled run and its grace the slack before the evidence counts as expired (validUntil) or the next
 * test as overdue. Cadences without a schedule (adhoc, audit, anything else) stand for 30 days.
 */
export interface CadencePeriod {
  /** The canonical name (weekly, monthly, quarterly, semiannual, annual, daily) or null when unscheduled. */
  name: string | null;
  months: number;
  days: number;
  graceDays: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

const PERIODS: Record<string, CadencePeriod> = {
  daily: { name: 'daily', months: 0, days: 1, graceDays: 1 },
  weekly: { name: 'weekly', months: 0, days: 7, graceDays: 2 },
  monthly: { name: 'monthly', months: 1, days: 0, graceDays: 7 },
  quarterly: { name: 'quarterly', months: 3, days: 0, graceDays: 7 },
  semiannual: { name: 'semiannual', months: 6, days: 0, graceDays: 7 },
  annual: { name: 'annual', months: 12, days: 0, graceDays: 7 },
};

const ALIASES: Record<string, string> = {
  nightly: 'daily',
  week: 'weekly',
  month: 'monthly',
  quarter: 'quarterly',
  'semi-annual': 'semiannual',
  'semi-annually': 'semiannual',
  semiannually: 'semiannual',
  'half-yearly': 'semiannual',
  annually: 'annual',
  yearly: 'annual',
  year: 'annual',
};

/** Unscheduled cadences (adhoc, audit, custom names): evidence stands for this many days. */
export const UNSCHEDULED_DAYS = 30;

export function cadencePeriod(cadence: string): CadencePeriod {
  const key = cadence.trim().toLowerCase();
  return PERIODS[ALIASES[key] ?? key] ?? { name: null, months: 0, days: UNSCHEDULED_DAYS, graceDays: 0 };
}

/** Adds calendar months in UTC, clamping the day (Jan 31 + 1 month = Feb 28/29). */
export function addMonthsUtc(from: Date, months: number): Date {
  const year = from.getUTCFullYear();
  const month = from.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const out = new Date(from.getTime());
  out.setUTCFullYear(year, month, Math.min(from.getUTCDate(), lastDay));
  return out;
}

/** When the next run of this cadence is due after a run at `from`. */
export function nextDue(cadence: string, from: Date): Date {
  const period = cadencePeriod(cadence);
  return new Date(addMonthsUtc(from, period.months).getTime() + period.days * DAY_MS);
}

/** When evidence from a run at `from` expires: the next scheduled run plus grace. */
export function validUntil(cadence: string, from: Date): Date {
  return new Date(nextDue(cadence, from).getTime() + cadencePeriod(cadence).graceDays * DAY_MS);
}
