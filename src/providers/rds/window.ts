/**
 * Where in the source's restorable window an RDS drill restores to: the plan's instant (refused outside the
 * window) or, for restore-time random, a uniform pick inside it, whole seconds. Pure: `random` is injected.
 */
import { InputError } from '../../inputs/input-error.js';
import type { RestoreTestPlan as Plan } from '../../inputs/plan-types.js';

/**
 * The restore time for restore-type point-in-time. `source` names the source in the error; a source that
 * reports no window (automated backups off) refuses restore-time altogether.
 */
export function pickRestoreTime(
  plan: Pick<Plan, 'restoreTime'>,
  source: string,
  earliest: Date | undefined,
  latest: Date | undefined,
  random: () => number,
): Date {
  if (!earliest || !latest) {
    throw new InputError(
      'restore-time',
      `cannot be used: source ${source} reports no restorable window (are automated backups on?)`,
    );
  }
  if (plan.restoreTime === 'random') {
    if (latest < earliest) {
      throw new InputError(
        'restore-time',
        `cannot be used yet: source ${source} has no restorable window (latest restorable time ${latest.toISOString()} is before the earliest, ${earliest.toISOString()})`,
      );
    }
    const span = latest.getTime() - earliest.getTime();
    const pick = new Date(Math.floor((earliest.getTime() + random() * span) / 1000) * 1000);
    return pick < earliest ? new Date(earliest.getTime()) : pick;
  }
  const time = plan.restoreTime as Date;
  if (time < earliest || time > latest) {
    throw new InputError(
      'restore-time',
      `must lie inside the restorable window of ${source}: ${earliest.toISOString()} .. ${latest.toISOString()}`,
      time.toISOString(),
    );
  }
  return time;
}
