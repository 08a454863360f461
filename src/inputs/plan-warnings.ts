/** Inputs that are valid but probably not meant: one warning line each, logged once while planning. */
import type { Plan } from '../model/types.js';
import { didYouMean } from './suggest.js';

/** The cadences of the plan's testing schedule. */
export const SCHEDULE_CADENCES = ['weekly', 'monthly', 'quarterly', 'annual', 'audit', 'adhoc'] as const;

export function planWarnings(plan: Pick<Plan, 'cadence' | 'maxRestoreMinutes' | 'timeoutMinutes'>): string[] {
  const warnings: string[] = [];
  if (!(SCHEDULE_CADENCES as readonly string[]).includes(plan.cadence)) {
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
