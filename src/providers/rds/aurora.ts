/**
 * Restores an Aurora PostgreSQL cluster through the RDS API: resolve the source (describe only), restore a
 * uniquely named, tagged cluster, create its instance as early as the API allows, wait with backoff, reset
 * the copy's master password, and delete both afterwards. Every modify and delete checks ownership first.
 *
 * Cross-region (target-region, the regional-outage drill): the chosen cluster snapshot (snapshot-id, or the
 * newest automated one for restore-type latest or snapshot) is copied to the target region with
 * CopyDBClusterSnapshot, re-encrypted with target-kms-key-id, and the cluster is restored there from the
 * copy. The copy is its own phase, 'snapshot-copy'. Point-in-time is refused: no snapshot exists at an
 * arbitrary instant, and making one would mean a full restore in the source region first. The source's
 * subnet group, security groups and cluster parameter group are regional, so the target uses
 * db-subnet-group and vpc-security-group-ids when given, else the target region's defaults.
 */
import {
  CopyDBClusterSnapshotCommand,
  CreateDBInstanceCommand,
  DescribeDBClusterSnapshotsCommand,
  RestoreDBClusterFromSnapshotCommand,
  RestoreDBClusterToPointInTimeCommand,
  type DBCluster,
  type DBClusterSnapshot,
} from '@aws-sdk/client-rds';
import { InputError, clusterIdentifier } from '../../inputs/plan.js';
import { abortError } from '../../time/poll.js';
import type { CopyInfo, Plan, SourceInfo, Target } from '../../model/types.js';
import { clusterName, drillTags, instanceName, type Tag } from '../ownership.js';
import type { Provider, ResolvedSource, RestoreRequest } from '../provider.js';
import { errorName, RdsRegion } from './region.js';
import {
  allPages,
  databaseFor,
  newestAvailable,
  newPassword,
  RdsProviderBase,
  securityGroups,
  untilAvailable,
  type RdsProviderOptions,
  type Wait,
} from './restore.js';

export { rdsClient } from './region.js';
export { databaseFor } from './restore.js';
export type AuroraOptions = RdsProviderOptions;

/** Where the cluster is restored, from what, and with which regional settings. */
interface Placement {
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

export class AuroraProvider extends RdsProviderBase implements Provider {
  readonly name = 'aurora' as const;

  async resolve(plan: Plan): Promise<ResolvedSource> {
    const api = this.api();
    const sourceId = plan.sourceCluster!;
    const cluster = await api.describeCluster(sourceId);
    if (!cluster) {
      throw new InputError('source-cluster', `names no DB cluster in ${api.region}`, sourceId);
    }
    if (!cluster.Engine?.startsWith('aurora-postgresql')) {
      throw new InputError(
        'source-cluster',
        `accepts an Aurora PostgreSQL cluster; this one runs ${cluster.Engine}`,
        sourceId,
      );
    }
    const writer = cluster.DBClusterMembers?.find((m) => m.IsClusterWriter)?.DBInstanceIdentifier;
    const writerInstance = writer ? await api.describeInstance(writer) : undefined;
    const source: SourceInfo = {
      identifier: cluster.DBClusterIdentifier ?? clusterIdentifier(sourceId),
      kind: 'aurora-cluster',
      arn: cluster.DBClusterArn,
      engine: cluster.Engine,
      engineVersion: cluster.EngineVersion,
      storageEncrypted: cluster.StorageEncrypted,
      kmsKeyId: cluster.KmsKeyId,
      iamDatabaseAuthentication: cluster.IAMDatabaseAuthenticationEnabled,
      vpcSecurityGroupIds: securityGroups(cluster),
      dbSubnetGroup: cluster.DBSubnetGroup,
      clusterParameterGroup: cluster.DBClusterParameterGroup,
      writerInstanceClass: writerInstance?.DBInstanceClass,
      earliestRestorableTime: cluster.EarliestRestorableTime,
      latestRestorableTime: cluster.LatestRestorableTime,
      masterUsername: cluster.MasterUsername,
      port: cluster.Port,
      databaseName: cluster.DatabaseName,
      forceSsl: await api.forceSsl(cluster.DBClusterParameterGroup),
    };
    if (!plan.instanceClass && !source.writerInstanceClass) {
      throw new InputError(
        'instance-class',
        'is required: the source cluster has no writer instance to copy the class from',
      );
    }
    if (plan.targetRegion) return this.resolveCrossRegion(plan, source);

    const resolved: ResolvedSource = { source };
    if (plan.restoreType === 'point-in-time') {
      resolved.restoreTime = this.pickRestoreTime(
        plan,
        source.identifier,
        cluster.EarliestRestorableTime,
        cluster.LatestRestorableTime,
      );
    }
    if (plan.restoreType === 'snapshot') {
      const snapshot = await this.resolveSnapshot(plan, source.identifier);
      resolved.snapshotId = plan.snapshotId ?? snapshot.DBClusterSnapshotIdentifier;
      // A snapshot holds the data as of its creation: that is the restore point data loss is measured from.
      resolved.restoreTime = snapshot.SnapshotCreateTime;
    }
    return resolved;
  }

  /** Cross-region: everything that could refuse the drill is checked here, before the copy is requested. */
  private async resolveCrossRegion(plan: Plan, source: SourceInfo): Promise<ResolvedSource> {
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
    const snapshot = await this.resolveSnapshot(plan, source.identifier);
    const arn = snapshot.DBClusterSnapshotArn;
    if (!arn)
      throw new Error(`snapshot ${snapshot.DBClusterSnapshotIdentifier} reports no ARN to copy it by`);
    if (snapshot.StorageEncrypted && !plan.targetKmsKeyId) {
      throw new InputError(
        'target-kms-key-id',
        `is required: snapshot ${snapshot.DBClusterSnapshotIdentifier} of ${source.identifier} is encrypted, and its key does not reach ${target}; name a KMS key in ${target}`,
      );
    }
    // The copy is requested by ARN: an ARN from another region is what makes the SDK presign the request.
    return { source, snapshotId: arn, restoreTime: snapshot.SnapshotCreateTime };
  }

  private async resolveSnapshot(plan: Plan, sourceId: string): Promise<DBClusterSnapshot> {
    const region = this.options.region;
    if (plan.snapshotId) {
      const snapshot = await this.api().describeClusterSnapshot(plan.snapshotId);
      if (!snapshot) {
        throw new InputError('snapshot-id', `names no DB cluster snapshot in ${region}`, plan.snapshotId);
      }
      if (snapshot.Status !== 'available') {
        throw new InputError(
          'snapshot-id',
          `names a snapshot that is not available (status ${snapshot.Status})`,
          plan.snapshotId,
        );
      }
      return snapshot;
    }
    const snapshots = await allPages(async (Marker) => {
      const out = await this.client.send(
        new DescribeDBClusterSnapshotsCommand({
          DBClusterIdentifier: sourceId,
          SnapshotType: 'automated',
          Marker,
        }),
      );
      return { items: out.DBClusterSnapshots, marker: out.Marker };
    });
    const newest = newestAvailable(snapshots, (s) => s.SnapshotCreateTime);
    if (!newest?.DBClusterSnapshotIdentifier) {
      throw new InputError(
        'snapshot-id',
        `is required: source cluster ${sourceId} has no available automated snapshot`,
      );
    }
    return newest;
  }

  async restore(request: RestoreRequest): Promise<Target> {
    const { plan, resolved, runId, timeline, signal, logger } = request;
    const source = resolved.source;
    const wait = this.waiter(request);
    const tags = drillTags(runId, source.identifier, request.expiresAt, plan.cadence);
    const placement = plan.targetRegion
      ? await this.copySnapshot(request, wait, tags)
      : this.inPlace(plan, resolved);
    const api = placement.api;

    const restoreTime =
      request.pinnedTime && !placement.snapshotId
        ? await this.restorablePast(
            request,
            wait,
            async () => (await this.api().describeCluster(source.identifier))?.LatestRestorableTime,
          )
        : resolved.restoreTime;

    const id = clusterName(runId);
    const common = {
      DBClusterIdentifier: id,
      ...placement.settings,
      EnableIAMDatabaseAuthentication: source.iamDatabaseAuthentication ?? false,
      DeletionProtection: false,
      CopyTagsToSnapshot: false,
      Tags: tags,
    };
    let created: DBCluster | undefined;
    let targetTime: string | undefined;
    if (placement.snapshotId) {
      logger.info(`restoring ${id}${this.where(api)} from snapshot ${placement.snapshotId}`);
      const out = await api.client.send(
        new RestoreDBClusterFromSnapshotCommand({
          ...common,
          SnapshotIdentifier: placement.snapshotId,
          Engine: source.engine,
          EngineVersion: source.engineVersion,
        }),
      );
      created = out.DBCluster;
      targetTime = resolved.restoreTime?.toISOString();
    } else {
      const useLatest = restoreTime === undefined;
      logger.info(
        `restoring ${id} from ${source.identifier} to ${useLatest ? 'the latest restorable time' : restoreTime!.toISOString()}`,
      );
      const out = await api.client.send(
        new RestoreDBClusterToPointInTimeCommand({
          ...common,
          SourceDBClusterIdentifier: source.arn ?? source.identifier,
          RestoreType: 'full-copy',
          ...(useLatest ? { UseLatestRestorableTime: true } : { RestoreToTime: restoreTime }),
        }),
      );
      created = out.DBCluster;
      targetTime = useLatest
        ? (await api.describeCluster(source.identifier))?.LatestRestorableTime?.toISOString()
        : restoreTime!.toISOString();
    }
    await request.record({ kind: 'cluster', id, region: api.region, runId });
    timeline.mark('restore-request', { counts: 'recovery', copyExists: true });
    logger.info(`cluster ${id} requested (status ${created?.Status ?? 'unknown'})`);

    const instanceId = instanceName(runId);
    const instanceClass = plan.instanceClass ?? source.writerInstanceClass!;
    const createInstance = async (): Promise<boolean> => {
      if (signal.aborted) throw abortError(signal);
      try {
        await api.client.send(
          new CreateDBInstanceCommand({
            DBInstanceIdentifier: instanceId,
            DBClusterIdentifier: id,
            Engine: source.engine,
            DBInstanceClass: instanceClass,
            PubliclyAccessible: false,
            EnablePerformanceInsights: false,
            MonitoringInterval: 0,
            AutoMinorVersionUpgrade: false,
            Tags: tags,
          }),
        );
        await request.record({ kind: 'instance', id: instanceId, region: api.region, runId });
        return true;
      } catch (error) {
        if (errorName(error) === 'InvalidDBClusterStateFault') return false; // cluster not ready yet: try again once available
        throw error;
      }
    };
    let instanceRequested = await createInstance();

    const clusterWait = (what: string): Promise<DBCluster> =>
      untilAvailable(
        wait,
        what,
        () => api.describeCluster(id),
        (c) => c.Status,
      );
    await clusterWait(`cluster ${id}`);
    timeline.mark('cluster-available', { counts: 'recovery' });

    if (!instanceRequested) instanceRequested = await createInstance();
    if (!instanceRequested)
      throw new Error(`cluster ${id} is available but refused its instance (InvalidDBClusterStateFault)`);
    const instance = await untilAvailable(
      wait,
      `instance ${instanceId}`,
      () => api.describeInstance(instanceId),
      (i) => i.DBInstanceStatus,
    );
    timeline.mark('instance-available', { counts: 'recovery' });

    const password = newPassword(logger);
    await api.modifyClusterOwned(id, runId, { MasterUserPassword: password });
    const cluster = await clusterWait(`password reset on ${id}`);
    timeline.mark('credentials-reset', { counts: 'recovery' });

    const copy: CopyInfo = {
      storageEncrypted: cluster.StorageEncrypted,
      kmsKeyId: cluster.KmsKeyId,
      iamDatabaseAuthentication: cluster.IAMDatabaseAuthenticationEnabled,
      vpcSecurityGroupIds: securityGroups(cluster),
      publiclyAccessible: instance.PubliclyAccessible,
      clusterParameterGroup: cluster.DBClusterParameterGroup,
      deletionProtection: cluster.DeletionProtection,
      forceSsl: await api.forceSsl(cluster.DBClusterParameterGroup),
    };
    return {
      provider: 'aurora',
      restoredCluster: id,
      restoredInstance: instanceId,
      restoreType: plan.restoreType,
      targetTime,
      snapshotId: resolved.snapshotId,
      ...(api.region !== this.options.region
        ? { region: api.region, copiedSnapshotId: placement.snapshotId }
        : {}),
      source,
      copy,
      connection: {
        host: plan.restoredHost ?? cluster.Endpoint ?? instance.Endpoint?.Address ?? '',
        port: plan.restoredPort ?? cluster.Port ?? instance.Endpoint?.Port ?? 5432,
        database: databaseFor(plan, source),
        user: cluster.MasterUsername ?? source.masterUsername ?? 'postgres',
        password,
        sslMode: plan.sslMode,
      },
    };
  }

  /** Same region: the source's own network, parameter group and key, unless the inputs say otherwise. */
  private inPlace(plan: Plan, resolved: ResolvedSource): Placement {
    const source = resolved.source;
    return {
      api: this.api(),
      snapshotId: plan.restoreType === 'snapshot' ? resolved.snapshotId : undefined,
      settings: {
        DBSubnetGroupName: plan.dbSubnetGroup ?? source.dbSubnetGroup,
        VpcSecurityGroupIds: plan.vpcSecurityGroupIds ?? source.vpcSecurityGroupIds,
        DBClusterParameterGroupName: source.clusterParameterGroup,
        KmsKeyId: plan.kmsKeyId ?? source.kmsKeyId,
      },
    };
  }

  /**
   * Cross-region: copies the resolved snapshot (by ARN) into the target region, tagged and named as the
   * drill's own, records it, and waits until it is available. Network settings come from the inputs or the
   * target region's defaults; the cluster parameter group is the engine default there.
   */
  private async copySnapshot(request: RestoreRequest, wait: Wait, tags: Tag[]): Promise<Placement> {
    const { plan, resolved, runId, timeline, logger } = request;
    const api = this.api(plan.targetRegion!);
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
        DBSubnetGroupName: plan.dbSubnetGroup,
        VpcSecurityGroupIds: plan.vpcSecurityGroupIds,
        KmsKeyId: plan.targetKmsKeyId,
      },
    };
  }

  private where(api: RdsRegion): string {
    return api.region === this.options.region ? '' : ` in ${api.region}`;
  }
}
