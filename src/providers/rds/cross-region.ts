/**
 * Cross-region (target-region, the regional-outage drill): the chosen cluster snapshot (snapshot-id, or the
 * newest automated one for restore-type latest or snapshot) is copied to the target region with
 * CopyDBClusterSnapshot, re-encrypted with target-kms-key-id, and the cluster is restored there from the
 * copy. The copy is its own phase, 'snapshot-copy'. Point-in-time is refused: no snapshot exists at an
 * arbitrary instant, and making one would mean a full restore in the source region first. The source's
 * subnet group, security groups and cluster parameter group are regional, so the target uses
 * target-db-subnet-group and target-vpc-security-group-ids when given, else the target region's defaults.
 */
import { CopyDBClusterSnapshotCommand } from '@aws-sdk/client-rds';
import { InputError } from '../../inputs/input-error.js';
import type { SourceInfo } from '../../model/types.js';
import type { RestoreTestPlan as Plan } from '../../inputs/plan-types.js';
import { clusterName, type Tag } from '../ownership.js';
import type { ResolvedSource, RestoreRequest } from '../provider.js';
import { untilAvailable, type Wait } from './base.js';
import type { RdsRegion } from './region.js';
import { CLUSTER_SNAPSHOTS, resolveSnapshot } from './snapshots.js';

/** Where the cluster is restored, from what, and with which regional settings. */
export interface Placement {
  api: RdsRegion;
  /** Restore from this cluster snapshot (in api's region); absent: a point-in-time restore of the source. */
  snapshotId?: string;
  settings: {
    DBSubnetGroupName?: string;
    VpcSecurityGroupIds?: string[];
    DBClusterParameterGroupName?: string;
    KmsKeyId?: string;
  };
}

/**
 * Everything that could refuse a cross-region drill is checked here, before the copy is requested. The
 * resolved snapshot is named by ARN: an ARN from another region is what makes the SDK presign the copy.
 */
export async function resolveCrossRegion(
  plan: Plan,
  source: SourceInfo,
  sourceApi: RdsRegion,
): Promise<ResolvedSource> {
  const target = plan.targetRegion!;
  if (plan.restoreType === 'point-in-time') {
    throw new InputError(
      'restore-type',
      `accepts latest | snapshot with target-region: a cross-region drill copies a cluster snapshot to ${target}, and no snapshot exists at an arbitrary point in time`,
      plan.restoreType,
    );
  }
  if (plan.kmsKeyId) {
    throw new InputError(
      'kms-key-id',
      `goes only with a same-region drill: with target-region name a key in ${target} as target-kms-key-id`,
    );
  }
  const snapshot = await resolveSnapshot(plan, sourceApi, source.identifier, CLUSTER_SNAPSHOTS);
  const arn = snapshot.DBClusterSnapshotArn;
  if (!arn) throw new Error(`snapshot ${snapshot.DBClusterSnapshotIdentifier} reports no ARN to copy it by`);
  if (snapshot.StorageEncrypted && !plan.targetKmsKeyId) {
    throw new InputError(
      'target-kms-key-id',
      `is required: snapshot ${snapshot.DBClusterSnapshotIdentifier} of ${source.identifier} is encrypted, and its key does not reach ${target}; name a KMS key in ${target}`,
    );
  }
  return { source, snapshotId: arn, restoreTime: snapshot.SnapshotCreateTime };
}

/**
 * Copies the resolved snapshot (by ARN) into the target region, tagged and named as the drill's own, records
 * it, and waits until it is available. Network settings come from the inputs or the target region's
 * defaults; the cluster parameter group is restore-parameter-group (a group in the target region), else the
 * engine default there.
 */
export async function copySnapshot(
  request: RestoreRequest,
  api: RdsRegion,
  wait: Wait,
  tags: Tag[],
): Promise<Placement> {
  const { plan, resolved, runId, timeline, logger } = request;
  const id = `${clusterName(runId)}-snap`;
  logger.info(`copying snapshot ${resolved.snapshotId} to ${api.region} as ${id}`);
  await api.client.send(
    new CopyDBClusterSnapshotCommand({
      // An ARN in another region: the SDK's RDS middleware adds the PreSignedUrl signed for that region.
      SourceDBClusterSnapshotIdentifier: resolved.snapshotId,
      TargetDBClusterSnapshotIdentifier: id,
      KmsKeyId: plan.targetKmsKeyId,
      CopyTags: false,
      Tags: tags,
    }),
  );
  await request.record({ kind: 'snapshot', id, region: api.region, runId });
  await untilAvailable(
    wait,
    `snapshot copy ${id} in ${api.region}`,
    () => api.describeClusterSnapshot(id),
    (s) => s.Status,
    (s) => (s.PercentProgress !== undefined ? ` ${s.PercentProgress}%` : ''),
  );
  timeline.mark('snapshot-copy', { counts: 'recovery' });
  return {
    api,
    snapshotId: id,
    settings: {
      DBSubnetGroupName: plan.targetDbSubnetGroup,
      VpcSecurityGroupIds: plan.targetVpcSecurityGroupIds,
      DBClusterParameterGroupName: plan.copy.parameterGroup,
      KmsKeyId: plan.targetKmsKeyId,
    },
  };
}
