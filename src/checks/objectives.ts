/**
 * RTO and RPO, judged from numbers the drill measured. Pure: no clock, no I/O.
 *
 * Data loss = (restore point - newest committed data found in the copy) + the time the source needed to
 * make the restore point restorable (for latest: from T until LatestRestorableTime passed it).
 */
import type { CheckResult, Objective } from '../model/types.js';
import { result } from './result.js';

export interface ObjectiveInputs {
  /** Seconds the restore took (request to copy answering); null when it never finished. */
  restoreSeconds: number | null;
  /** The restore point (Target.targetTime). */
  targetTime?: string | Date;
  /** ValidationResult.newestDataAt. */
  newestDataAt?: Date;
  /** Seconds spent waiting for the source's LatestRestorableTime to pass T (0 when not waited). */
  restorableWaitSeconds?: number;
  maxRestoreMinutes: number;
  maxDataLossMinutes: number;
}

export interface ObjectiveOutcome {
  checks: [CheckResult, CheckResult];
  dataLossSeconds: number | null;
  rto: Objective;
  rpo: Objective;
}

const r3 = (n: number): number => Math.round(n * 1000) / 1000;

export function objectiveChecks(inputs: ObjectiveInputs): ObjectiveOutcome {
  const rtoTarget = inputs.maxRestoreMinutes * 60;
  const rpoTarget = inputs.maxDataLossMinutes * 60;

  let rto: Objective;
  let rtoCheck: CheckResult;
  if (inputs.restoreSeconds === null || !Number.isFinite(inputs.restoreSeconds)) {
    rto = { targetSeconds: rtoTarget, measuredSeconds: null, met: null };
    rtoCheck = result(
      'objectives:rto',
      'objectives',
      'error',
      'restore did not finish: restore time unknown',
      0,
      {
        measured: null,
        expected: rtoTarget,
      },
    );
  } else {
    const measured = r3(inputs.restoreSeconds);
    const met = measured <= rtoTarget;
    rto = { targetSeconds: rtoTarget, measuredSeconds: measured, met };
    rtoCheck = result(
      'objectives:rto',
      'objectives',
      met ? 'pass' : 'fail',
      `restore took ${measured}s, target ${rtoTarget}s (max-restore-minutes ${inputs.maxRestoreMinutes})`,
      0,
      { measured, expected: rtoTarget },
    );
  }

  const wait = Math.max(0, inputs.restorableWaitSeconds ?? 0);
  const target = inputs.targetTime === undefined ? undefined : new Date(inputs.targetTime);
  let rpo: Objective;
  let rpoCheck: CheckResult;
  let dataLossSeconds: number | null = null;
  if (!target || Number.isNaN(target.getTime())) {
    rpo = { targetSeconds: rpoTarget, measuredSeconds: null, met: null };
    rpoCheck = result('objectives:rpo', 'objectives', 'error', 'no restore point: data loss unknown', 0, {
      measured: null,
      expected: rpoTarget,
    });
  } else if (!inputs.newestDataAt) {
    rpo = { targetSeconds: rpoTarget, measuredSeconds: null, met: null };
    rpoCheck = result(
      'objectives:rpo',
      'objectives',
      'warn',
      'no watermark column (created_at/updated_at-style) found in the copy: data loss not measurable; name one in the checks file',
      0,
      { measured: null, expected: rpoTarget },
    );
  } else {
    // Newest data after the restore point (clock skew, app-set timestamps) counts as no loss, not negative loss.
    const gap = Math.max(0, (target.getTime() - inputs.newestDataAt.getTime()) / 1000);
    dataLossSeconds = r3(gap + wait);
    const met = dataLossSeconds <= rpoTarget;
    rpo = { targetSeconds: rpoTarget, measuredSeconds: dataLossSeconds, met };
    rpoCheck = result(
      'objectives:rpo',
      'objectives',
      met ? 'pass' : 'fail',
      `data loss ${dataLossSeconds}s (newest data ${r3(gap)}s before the restore point + ${r3(wait)}s until restorable), target ${rpoTarget}s (max-data-loss-minutes ${inputs.maxDataLossMinutes})`,
      0,
      { measured: dataLossSeconds, expected: rpoTarget },
    );
  }
  return { checks: [rtoCheck, rpoCheck], dataLossSeconds, rto, rpo };
}
