/**
 * RTO and RPO, judged from numbers the drill measured. Pure: no clock, no I/O.
 *
 * Data loss (docs/data-loss.md) = what production had committed at or before the restore point that the
 * copy lacks (ValidationResult.dataLoss: zero where the copy equals production at that point, else the
 * span of production's writes the copy lacks, by watermark) + the time the source needed to make the
 * restore point restorable (for latest: from T until LatestRestorableTime passed it).
 * Without production to compare with, the restore point minus the newest watermark value in the copy is
 * only an upper bound (a quiet database has old newest rows and loses nothing): it is reported as "at
 * most", and never fails the objective.
 */
import type { CheckResult, Objective } from '../model/types.js';
import type { DataLoss } from './data-loss.js';
import { listSome, result } from './result.js';

export interface ObjectiveInputs {
  /** Seconds the restore took (request to copy answering); null when it never finished. */
  restoreSeconds: number | null;
  /** The restore point (Target.targetTime). */
  targetTime?: string | Date;
  /** ValidationResult.dataLoss: measured against production at the restore point. */
  dataLoss?: DataLoss;
  /** ValidationResult.newestDataAt: the copy's newest watermark value; an upper bound of loss only. */
  newestDataAt?: Date;
  /** Seconds spent waiting for the source's LatestRestorableTime to pass T (0 when not waited). */
  restorableWaitSeconds?: number;
  maxRestoreMinutes: number;
  maxDataLossMinutes: number;
}

export interface ObjectiveOutcome {
  checks: [CheckResult, CheckResult];
  /** Seconds of data loss: measured, or (dataLossBasis copy-only) at most this many. */
  dataLossSeconds: number | null;
  /** How dataLossSeconds was found: against production, or from the copy alone (an upper bound). */
  dataLossBasis: 'production' | 'copy-only' | null;
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

  const rpo = rpoCheck(inputs, rpoTarget);
  return { checks: [rtoCheck, rpo.check], rto, ...rpo.outcome };
}

function rpoCheck(
  inputs: ObjectiveInputs,
  rpoTarget: number,
): { check: CheckResult; outcome: Pick<ObjectiveOutcome, 'rpo' | 'dataLossSeconds' | 'dataLossBasis'> } {
  const wait = r3(Math.max(0, inputs.restorableWaitSeconds ?? 0));
  const target = inputs.targetTime === undefined ? undefined : new Date(inputs.targetTime);
  const goal = `target ${rpoTarget}s (max-data-loss-minutes ${inputs.maxDataLossMinutes})`;
  const unknown = (status: 'error' | 'warn', summary: string) => ({
    check: result('objectives:rpo', 'objectives', status, summary, 0, {
      measured: null,
      expected: rpoTarget,
    }),
    outcome: {
      rpo: { targetSeconds: rpoTarget, measuredSeconds: null, met: null },
      dataLossSeconds: null,
      dataLossBasis: null,
    },
  });
  if (!target || Number.isNaN(target.getTime()))
    return unknown('error', 'no restore point: data loss unknown');

  const loss = inputs.dataLoss;
  if (loss && loss.seconds !== null) {
    const measured = r3(loss.seconds + wait);
    const unmeasured = loss.unmeasured.length
      ? `; not dated: ${listSome(
          loss.unmeasured.map((u) => `${u.table} (${u.reason})`),
          3,
        )}`
      : '';
    const behind = loss.behind.length
      ? `the copy lacks ${r3(loss.seconds)}s of production's writes in ${listSome(
          loss.behind.map((b) => `${b.table} ${b.seconds}s`),
          3,
        )}`
      : loss.extraOnly
        ? `the copy holds every row production had at the restore point`
        : `the copy equals production at the restore point`;
    const extra = loss.extraOnly
      ? `, ${loss.extraOnly} of them with extra rows production changed or deleted after the restore point`
      : '';
    // A table whose loss has no date may hide more: within the target is then not proven.
    const met = measured > rpoTarget ? false : loss.unmeasured.length ? null : true;
    return {
      check: result(
        'objectives:rpo',
        'objectives',
        met === false ? 'fail' : met === null ? 'warn' : 'pass',
        `data loss ${measured}s measured against production (${behind} in ${loss.equal + loss.extraOnly + loss.behind.length} tables${extra} + ${wait}s until restorable)${unmeasured}, ${goal}`,
        0,
        { measured, expected: rpoTarget },
      ),
      outcome: {
        rpo: { targetSeconds: rpoTarget, measuredSeconds: measured, met },
        dataLossSeconds: measured,
        dataLossBasis: 'production',
      },
    };
  }

  if (!inputs.newestDataAt) {
    return unknown(
      'warn',
      'no watermark column (created_at/updated_at-style) found in the copy: data loss not measurable; name one in the checks file',
    );
  }
  // Newest data after the restore point (clock skew, app-set timestamps) counts as no loss, not negative loss.
  const gap = Math.max(0, (target.getTime() - inputs.newestDataAt.getTime()) / 1000);
  const bound = r3(gap + wait);
  const within = bound <= rpoTarget;
  const why = loss ? 'no table could be compared with production' : 'no production-url to compare with';
  return {
    check: result(
      'objectives:rpo',
      'objectives',
      within ? 'pass' : 'warn',
      `data loss at most ${bound}s (${why}: an upper bound from the copy alone, its newest data ${r3(gap)}s before the restore point + ${wait}s until restorable; a quiet database loses nothing yet shows old newest data), ${goal}${within ? '' : '; not judged on an upper bound: set production-url to measure it'}`,
      0,
      { measured: bound, expected: rpoTarget },
    ),
    outcome: {
      rpo: { targetSeconds: rpoTarget, measuredSeconds: bound, met: within ? true : null },
      dataLossSeconds: bound,
      dataLossBasis: 'copy-only',
    },
  };
}
