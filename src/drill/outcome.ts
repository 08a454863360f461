/**
 * What a drill concludes: the objective checks (RTO, RPO), the verdict, and the outcome the report is
 * rendered from, with the drill's estimated cost.
 */
import type { DataLoss } from '../checks/data-loss.js';
import { objectiveChecks } from '../checks/objectives.js';
import type { CreatedResource, Provider } from '../providers/provider.js';
import type { CheckResult, CleanupOutcome, DrillOutcome, Target } from '../model/types.js';
import type { RestoreTestPlan as Plan } from '../inputs/plan-types.js';
import type { Clock, Timeline } from '../time/timeline.js';
import { estimateDrillCost } from './cost.js';

/** What the drill's steps found, before cleanup. */
export interface DrillFindings {
  target?: Target;
  error?: string;
  checks: CheckResult[];
  restoreSeconds: number | null;
  newestDataAt?: Date;
  /** Data loss measured against production at the restore point (the validator's, when it had production). */
  dataLoss?: DataLoss;
}

export interface Verdict {
  failed: boolean;
  checks: CheckResult[];
  objectives: DrillOutcome['objectives'];
}

/** Adds the objective checks to the drill's own, and decides whether the drill failed (before cleanup). */
export function judge(findings: DrillFindings, timeline: Timeline, plan: Plan): Verdict {
  const objectives = objectiveChecks({
    restoreSeconds: findings.restoreSeconds,
    targetTime: findings.target?.targetTime,
    newestDataAt: findings.newestDataAt,
    dataLoss: findings.dataLoss,
    restorableWaitSeconds: timeline.secondsCounted('restore-point-wait'),
    maxRestoreMinutes: plan.maxRestoreMinutes,
    maxDataLossMinutes: plan.maxDataLossMinutes,
  });
  // A drill that stopped early says so once (its error); what it never reached is not measured, not a failure.
  const notReached = (c: CheckResult): CheckResult =>
    findings.error !== undefined && (c.status === 'error' || c.status === 'warn')
      ? { ...c, status: 'skip', summary: 'not measured: the drill stopped before it' }
      : c;
  const checks = [...findings.checks, ...objectives.checks.map(notReached)];
  const failed =
    findings.error !== undefined ||
    checks.some((c) => c.status === 'fail' || c.status === 'error') ||
    objectives.rto.met === false ||
    objectives.rpo.met === false;
  return { failed, checks, objectives: { rto: objectives.rto, rpo: objectives.rpo } };
}

export interface OutcomeInput {
  plan: Plan;
  provider: Pick<Provider, 'name'>;
  findings: DrillFindings;
  verdict: Verdict;
  cleanup: CleanupOutcome;
  created: readonly CreatedResource[];
  timeline: Timeline;
  clock: Clock;
  warnings: string[];
}

/** The drill's outcome: passed only when nothing failed and cleanup did not fail; with its estimated cost. */
export function drillOutcome(input: OutcomeInput): DrillOutcome {
  const { plan, provider, findings, verdict, cleanup, created, timeline } = input;
  const { target } = findings;
  const outcome: DrillOutcome = {
    result: !verdict.failed && cleanup.status !== 'failed' ? 'pass' : 'fail',
    ...(findings.error !== undefined ? { error: findings.error } : {}),
    command: plan.command,
    provider: provider.name,
    cadence: plan.cadence,
    startedAt: timeline.startedAt.toISOString(),
    finishedAt: input.clock.now().toISOString(),
    source: {
      cluster: target?.source.identifier ?? sourceName(plan),
      engine: target?.source.engine,
      engineVersion: target?.source.engineVersion,
      region: plan.awsRegion,
    },
    restore: {
      restoredCluster:
        target?.restoredCluster ?? created.find((r) => r.kind === 'cluster' || r.kind === 'local-server')?.id,
      restoredInstance: target?.restoredInstance,
      type: plan.restoreType,
      targetTime: target?.targetTime,
      snapshotId: target?.snapshotId,
      seconds: findings.restoreSeconds,
      phases: timeline.phases,
    },
    checks: verdict.checks,
    objectives: verdict.objectives,
    cleanup,
    warnings: input.warnings,
  };
  const cost = estimateDrillCost({ outcome, plan, instanceClass: target?.source.writerInstanceClass });
  return cost ? { ...outcome, cost } : outcome;
}

/** One line for the log. */
export const outcomeLine = (o: DrillOutcome): string =>
  `drill ${o.result}: ${o.checks.filter((c) => c.status === 'pass').length} checks passed, ${o.checks.filter((c) => c.status === 'fail' || c.status === 'error').length} failed; cleanup ${o.cleanup.status}`;

/** The source as the plan names it, before the provider has described it. */
export const sourceName = (plan: Plan): string => plan.source.id;
