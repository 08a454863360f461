/** Inputs that are valid but probably not meant: one warning line each, logged once while planning. */
import type { Plan } from '../model/types.js';
import { didYouMean } from './suggest.js';

/** The cadence names of a testing schedule (report/cadence.ts knows their periods and aliases). */
export const SCHEDULE_CADENCES = [
  'daily',
  'weekly',
  'monthly',
  'quarterly',
  'semiannual',
  'annual',
  'audit',
  'adhoc',
] as const;

/**
 * `isScheduled` says whether a cadence names a schedule (or adhoc, audit); without it the cadence is not
 * judged (commands that do not write a drill's report).
 */
export function planWarnings(
  plan: Pick<Plan, 'cadence' | 'maxRestoreMinutes' | 'timeoutMinutes'>,
  isScheduled?: (cadence: string) => boolean,
): string[] {
  const warnings: string[] = [];
  if (isScheduled && !isScheduled(plan.cadence)) {
    warnings.push(
      `input 'cadence' '${plan.cadence}' is not in the schedule (${SCHEDULE_CADENCES.join(', ')})${didYouMean(plan.cadence, SCHEDULE_CADENCES)}; reports are named and indexed under it as given`,
    );
  }
  if (plan.maxRestoreMinutes > plan.timeoutMinutes) {
    warnings.push(
      `input 'max-restore-minutes' (${plan.maxRestoreMinutes}) is above timeout-minutes (${plan.timeoutMinutes}): the drill stops before the RTO target can be missed`,
    );
  }
  return warnings;
}
