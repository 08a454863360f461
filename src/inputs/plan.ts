/**
 * Raw input strings -> a Plan of parsed values, one shape per command. The one place for defaults and input
 * errors: every error is one line that names the input and what it accepts, raised before any AWS call that
 * creates, modifies or deletes. Each area of inputs has its planner; buildPlan runs them in order and
 * composes their results.
 */
import { parseArnOf, resourceId } from '../aws/arn.js';
import {
  CLEANUP_POLICIES,
  COMMANDS,
  PROVIDERS,
  RESTORE_TYPES,
  SSL_MODES,
  type Plan as LegacyPlan,
} from '../model/types.js';
import { planChecksFile } from './checks-file.js';
import { planConnections } from './connections.js';
import { planCopy } from './copy.js';
import { planCrossRegion } from './cross-region.js';
import { planEvidence } from './evidence.js';
import { planEvidenceCommand } from './evidence-commands.js';
import { planLocalPitr } from './local-pitr.js';
import type { CommandPlan, Limits, RestoreTestPlan } from './plan-types.js';
import { InputError } from './input-error.js';
import { planPosture } from './posture.js';
import { planProductionLoad } from './production-load.js';
import type { RawInputs } from './names.js';
import { defined, readInputs, type InputReader } from './raw-inputs.js';
import { planRestorePoint } from './restore-point.js';
import { secretValues } from './secrets.js';
import { planSource } from './source.js';
import { bool, oneOf, positiveNumber } from './values.js';

// What callers imported from here before the inputs were split; import from the new homes in new code.
export { InputError } from './input-error.js';
export { INPUT_DEFAULTS, INPUT_NAMES, SECRET_INPUTS, type InputName, type RawInputs } from './names.js';
export { parseRestoreTime } from './values.js';

/** @deprecated legacy: read plan.source.region (or parseArn from src/aws/arn.ts). */
export function regionFromArn(value: string): string | undefined {
  return parseArnOf(value, 'rds', ['cluster', 'db'])?.region;
}

/** @deprecated legacy: read plan.source.id (or resourceId from src/aws/arn.ts). */
export function clusterIdentifier(value: string): string {
  return resourceId(value, 'rds', 'cluster');
}

function planLimits(inputs: InputReader): Limits {
  return {
    maxRestoreMinutes: positiveNumber('max-restore-minutes', inputs.required('max-restore-minutes'), 10_080),
    maxDataLossMinutes: positiveNumber(
      'max-data-loss-minutes',
      inputs.required('max-data-loss-minutes'),
      10_080,
    ),
    timeoutMinutes: positiveNumber('timeout-minutes', inputs.required('timeout-minutes'), 2_880),
  };
}

/**
 * Builds the plan for the command. `raw` holds what the runner or the CLI passed (empty strings count as
 * absent); defaults are applied here so the CLI and the action behave the same.
 */
export function buildPlan(raw: RawInputs, env: NodeJS.ProcessEnv = process.env): CommandPlan {
  const inputs = readInputs(raw);
  const command = oneOf('command', inputs.required('command'), COMMANDS);
  const provider = oneOf('provider', inputs.required('provider'), PROVIDERS);
  const restoreType = oneOf('restore-type', inputs.required('restore-type'), RESTORE_TYPES);
  const sslMode = oneOf('ssl-mode', inputs.required('ssl-mode'), SSL_MODES);
  const limits = planLimits(inputs);
  const cleanup = oneOf('cleanup', inputs.required('cleanup'), CLEANUP_POLICIES);
  const { signingKeyPem, publicKey, ...evidence } = planEvidence(inputs);
  const dryRun = bool('dry-run', inputs.required('dry-run'));
  const posture = planPosture(inputs);
  const rds = planSource(inputs, { command, provider, env });
  const restorePoint = planRestorePoint(inputs, restoreType);
  const copy = planCopy(inputs, { sslMode, sourceIsInstance: rds.source?.kind === 'rds-instance' });
  const connections = planConnections(inputs, { provider, sslMode, caBundle: copy.caBundle });
  const checksFile = planChecksFile(inputs);
  const crossRegion = planCrossRegion(inputs, {
    source: rds.source,
    region: rds.region,
    restoreType,
    kmsKeyId: copy.kmsKeyId,
    copy,
  });
  const local = planLocalPitr(inputs, { command, provider, sourceUrl: connections.sourceUrl });
  const productionLoad = planProductionLoad(inputs);

  const legacy: LegacyPlan = defined<LegacyPlan>({
    command,
    provider,
    sourceCluster: rds.sourceCluster,
    sourceInstance: rds.sourceInstance,
    awsRegion: rds.region,
    restoreType,
    restoreTime: restorePoint.type === 'point-in-time' ? restorePoint.time : undefined,
    snapshotId: restorePoint.type === 'snapshot' ? restorePoint.snapshotId : undefined,
    instanceClass: copy.instanceClass,
    dbSubnetGroup: copy.dbSubnetGroup,
    vpcSecurityGroupIds: copy.vpcSecurityGroupIds,
    kmsKeyId: copy.kmsKeyId,
    database: connections.database,
    productionUrl: connections.productionUrl?.url,
    restoredHost: copy.restoredHost,
    restoredPort: copy.restoredPort,
    sslMode,
    checksFile: checksFile.path,
    ...limits,
    cleanup,
    reportDir: evidence.reportDir,
    signingKey: signingKeyPem,
    publicKey,
    cadence: evidence.cadence,
    smokeCommand: inputs.get('smoke-command'),
    githubToken: evidence.githubToken,
    commitReport: evidence.commitReport,
    dryRun,
    targetRegion: crossRegion?.region,
    targetKmsKeyId: crossRegion?.kmsKeyId,
    targetDbSubnetGroup: crossRegion?.dbSubnetGroup,
    targetVpcSecurityGroupIds: crossRegion?.vpcSecurityGroupIds,
    metricsNamespace: evidence.metricsNamespace,
    tunnelCommand: copy.tunnelCommand,
    caBundle: copy.caBundle,
    sourceUrl: connections.sourceUrl?.url,
    backupDir: local.backupDir,
    walArchiveDir: local.walArchiveDir,
    ...posture,
  });
  const secrets = secretValues({
    signingKeyPem,
    githubToken: evidence.githubToken,
    urls: [connections.productionUrl?.url, connections.sourceUrl?.url],
  });
  const source = rds.source ?? local.source;

  switch (command) {
    case 'restore-test':
      return {
        ...legacy,
        command,
        secrets,
        source: source!,
        restorePoint,
        copy,
        ...defined({
          crossRegion,
          production: connections.production,
          databaseName: connections.databaseName,
        }),
        checks: checksFile.checks,
        evidence,
        limits,
        productionLoad,
      };
    case 'preflight':
      return {
        ...legacy,
        command,
        secrets,
        ...defined({ source, restoreParameterGroup: copy.parameterGroup }),
        posture,
        evidence,
      };
    case 'janitor':
      return { ...legacy, command, secrets, ...defined({ region: rds.region }) };
    case 'verify-reports':
      return { ...legacy, command, secrets, ...defined({ publicKey }) };
    case 'record-exercise':
    case 'annual-report':
      return { ...legacy, secrets, ...planEvidenceCommand(inputs, command, evidence, publicKey) };
  }
}

/** buildPlan for command restore-test (the default command), typed as its plan. */
export function buildRestoreTestPlan(raw: RawInputs, env: NodeJS.ProcessEnv = process.env): RestoreTestPlan {
  const plan = buildPlan({ ...raw, command: raw.command ?? 'restore-test' }, env);
  if (plan.command !== 'restore-test') {
    throw new InputError('command', `must be restore-test here; got ${plan.command}`);
  }
  return plan;
}
