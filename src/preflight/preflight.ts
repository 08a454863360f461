/**
 * command: preflight. No restore: seconds and a few describe calls. Two halves, each optional:
 *   - posture: the live source cluster's backup settings against the customer's alarm thresholds, and
 *     whether the drill's copy would preload a scheduler (pg_cron) from its parameter group
 *     (needs AWS credentials; runs when the plan names a source cluster);
 *   - terraform: the RDS resources in a plan JSON or a directory of .tf files against the same policy
 *     (no credentials; runs when terraform-plan or terraform-dir is given).
 * Every result is a CheckResult in category posture. Terraform violations are also annotations.
 */
import type { RDSClient } from '@aws-sdk/client-rds';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { Logger } from '../log/logger.js';
import { InputError } from '../inputs/input-error.js';
import type { PlanSource } from '../inputs/plan-types.js';
import { rdsClient } from '../providers/rds/region.js';
import { checkTerraform, type Annotation } from './terraform/policy.js';
import type { CheckResult, Plan } from '../model/types.js';
import { collectPostureFacts, collectSchedulerFacts } from './collect.js';
import { describeKeyManager, kmsClient, type KeyManagerResolver } from './key-manager.js';
import { copySchedulerCheck, postureChecks, type PostureThresholds } from './posture.js';

export type { Annotation } from './terraform/policy.js';
export type { KeyManager, KeyManagerResolver } from './key-manager.js';

/** The customer's alarm thresholds (backup-dr-plan.md): retention 35 days, PITR gap 10 min, snapshot 25 h. */
export const PREFLIGHT_DEFAULTS = {
  minRetentionDays: 35,
  maxPitrGapMinutes: 10,
  maxSnapshotAgeHours: 25,
} as const satisfies PostureThresholds;

export interface PreflightDeps {
  /** RDS client for the source's region; default rdsClient(plan.awsRegion) (honours AWS_ENDPOINT_URL). */
  rds?: RDSClient;
  /** KMS client used by the default key-manager resolver. */
  kms?: KMSClient;
  /** Who manages a KMS key; default kms:DescribeKey through `kms`. */
  keyManager?: KeyManagerResolver;
  /** The clock the posture figures are measured against. */
  now?: () => Date;
  /** Receives each Terraform violation (file, line, message) for core.error / core.warning. */
  annotate?: (annotation: Annotation) => void;
  logger?: Logger;
  /** Workspace that annotation paths are relative to; default process.cwd(). */
  cwd?: string;
}

export function preflightThresholds(plan: Plan): PostureThresholds {
  return {
    minRetentionDays: plan.minRetentionDays ?? PREFLIGHT_DEFAULTS.minRetentionDays,
    maxPitrGapMinutes: plan.maxPitrGapMinutes ?? PREFLIGHT_DEFAULTS.maxPitrGapMinutes,
    maxSnapshotAgeHours: plan.maxSnapshotAgeHours ?? PREFLIGHT_DEFAULTS.maxSnapshotAgeHours,
  };
}

/**
 * Runs every preflight check the plan asks for. Throws InputError when the source cluster does not exist
 * (or nothing was given to check); AWS errors on a single figure become that check's 'error' status.
 */
export async function runPreflight(
  plan: Plan & { source?: PlanSource; restoreParameterGroup?: string },
  deps: PreflightDeps = {},
): Promise<CheckResult[]> {
  const thresholds = preflightThresholds(plan);
  const checks: CheckResult[] = [];
  const cluster = plan.source?.kind === 'aurora-cluster' ? plan.source : undefined;
  const posture = cluster !== undefined && plan.provider === 'aurora';
  if (!posture && !plan.terraformPlan && !plan.terraformDir) {
    throw new InputError(
      'source-cluster',
      'or terraform-plan or terraform-dir is required for command preflight: name what to check',
    );
  }

  if (posture && cluster) {
    const region = cluster.region;
    if (!region) throw new Error('preflight: the plan names a source cluster but no region');
    const rds = deps.rds ?? rdsClient(region);
    const keyManager = deps.keyManager ?? describeKeyManager(deps.kms ?? kmsClient(region));
    deps.logger?.info(`preflight: describing ${cluster.id} in ${region} (describe calls only)`);
    const facts = await collectPostureFacts(rds, keyManager, cluster, region);
    checks.push(...postureChecks(facts, thresholds, (deps.now ?? (() => new Date()))()));
    checks.push(
      copySchedulerCheck(
        await collectSchedulerFacts(
          rds,
          region,
          facts.cluster.DBClusterParameterGroup,
          plan.restoreParameterGroup,
        ),
      ),
    );
  }

  if (plan.terraformPlan || plan.terraformDir) {
    deps.logger?.info(
      `preflight: Terraform policy on ${[plan.terraformPlan, plan.terraformDir].filter(Boolean).join(' and ')}`,
    );
    const tf = checkTerraform({
      planFile: plan.terraformPlan,
      dir: plan.terraformDir,
      minRetentionDays: thresholds.minRetentionDays,
      cwd: deps.cwd,
    });
    checks.push(...tf.checks);
    for (const a of tf.annotations) deps.annotate?.(a);
  }

  for (const c of checks) {
    const line = `preflight: ${c.status} ${c.id}: ${c.summary}`;
    // Terraform findings already travel as annotations on their file and line; posture findings do not.
    const annotated = c.id.startsWith('posture:terraform') && c.status !== 'pass' && c.status !== 'skip';
    if (annotated) continue;
    if (c.status === 'fail' || c.status === 'error') deps.logger?.error(line);
    else if (c.status === 'warn') deps.logger?.warning(line);
    else deps.logger?.info(line);
  }
  return checks;
}

/** The exit code for command preflight: 1 when any check failed or errored, or when nothing was checked. */
export function preflightExitCode(checks: readonly CheckResult[]): number {
  if (checks.length === 0) return 1;
  return checks.some((c) => c.status === 'fail' || c.status === 'error') ? 1 : 0;
}
