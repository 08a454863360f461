/**
 * Restores an Aurora PostgreSQL cluster through the RDS API: resolve the source (describe only), restore a
 * uniquely named, tagged cluster, create its instance as early as the API allows, wait with backoff, reset
 * the copy's master password, and delete both afterwards. Every modify and delete checks ownership first.
 * A cross-region drill restores in target-region from a copied snapshot (src/providers/rds/cross-region.ts).
 */
import {
  CreateDBInstanceCommand,
  RestoreDBClusterFromSnapshotCommand,
  RestoreDBClusterToPointInTimeCommand,
  type DBCluster,
} from '@aws-sdk/client-rds';
import { InputError } from '../../inputs/input-error.js';
import { abortError } from '../../time/poll.js';
import type { CopyInfo, SourceInfo, Target } from '../../model/types.js';
import type { RestoreTestPlan as Plan } from '../../inputs/plan-types.js';
import { clusterName, drillTags, instanceName } from '../ownership.js';
import type { Provider, ResolvedSource, RestoreRequest } from '../provider.js';
import {
  copyConnection,
  RdsProviderBase,
  securityGroups,
  untilAvailable,
  type RdsProviderOptions,
} from './base.js';
import { copySnapshot, resolveCrossRegion, type Placement } from './cross-region.js';
import { snapshotEngine } from './engine-version.js';
import { checkRestoreGroups, preloadOf } from './parameter-groups.js';
import { errorName, type RdsRegion } from './region.js';
import { CLUSTER_SNAPSHOTS, resolveSnapshot } from './snapshots.js';

export { rdsClient } from './region.js';
export type AuroraOptions = RdsProviderOptions;

export class AuroraProvider extends RdsProviderBase implements Provider {
  readonly name = 'aurora' as const;

  async resolve(plan: Plan): Promise<ResolvedSource> {
    const api = this.api();
    const sourceId = plan.source.arn ?? plan.source.id;
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
      identifier: cluster.DBClusterIdentifier ?? plan.source.id,
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
      preloadLibraries: await preloadOf(api, [
        [cluster.DBClusterParameterGroup, 'cluster'],
        [writerInstance?.DBParameterGroups?.[0]?.DBParameterGroupName, 'instance'],
      ]),
    };
    if (!plan.instanceClass && !source.writerInstanceClass) {
      throw new InputError(
        'instance-class',
        'is required: the source cluster has no writer instance to copy the class from',
      );
    }
    if (plan.targetRegion) {
      const crossRegion = await resolveCrossRegion(plan, source, api);
      // Groups are regional: restore-parameter-group names one in the target region.
      await checkRestoreGroups(plan, this.api(plan.targetRegion), {
        engine: source.engine,
        clusterGroups: true,
      });
      return crossRegion;
    }

    const resolved: ResolvedSource = { source };
    // The engine version the copy restores as: the source's, or an older snapshot's (engine-version.ts).
    let restoresAs = source.engineVersion;
    if (plan.restoreType === 'point-in-time') {
      resolved.restoreTime = this.pickRestoreTime(
        plan,
        source.identifier,
        cluster.EarliestRestorableTime,
        cluster.LatestRestorableTime,
      );
    }
    if (plan.restoreType === 'snapshot') {
      const snapshot = await resolveSnapshot(plan, api, source.identifier, CLUSTER_SNAPSHOTS);
      resolved.snapshotId = plan.snapshotId ?? snapshot.DBClusterSnapshotIdentifier;
      // A snapshot holds the data as of its creation: that is the restore point data loss is measured from.
      resolved.restoreTime = snapshot.SnapshotCreateTime;
      restoresAs = snapshot.EngineVersion ?? restoresAs;
    }
    await checkRestoreGroups(plan, api, {
      engine: source.engine,
      engineVersion: restoresAs,
      clusterGroups: true,
    });
    return resolved;
  }

  async restore(request: RestoreRequest): Promise<Target> {
    const { plan, resolved, runId, timeline, signal, logger } = request;
    const source = resolved.source;
    const wait = this.waiter(request);
    const tags = drillTags(runId, source.identifier, request.expiresAt, plan.cadence);
    const placement = plan.targetRegion
      ? await copySnapshot(request, this.api(plan.targetRegion), wait, tags)
      : this.inPlace(plan, resolved);
    const api = placement.api;

    const restoreTime = await this.restorePoint(
      request,
      wait,
      placement.snapshotId !== undefined,
      async () => (await this.api().describeCluster(source.identifier))?.LatestRestorableTime,
    );

    // A Serverless v2 source's capacity range: a restore does not carry it over, and without it the cluster
    // refuses a db.serverless instance.
    const scaling = (await this.api().describeCluster(source.identifier))?.ServerlessV2ScalingConfiguration;
    const id = clusterName(runId);
    const common = {
      DBClusterIdentifier: id,
      ...placement.settings,
      ...(scaling?.MinCapacity !== undefined ? { ServerlessV2ScalingConfiguration: scaling } : {}),
      EnableIAMDatabaseAuthentication: source.iamDatabaseAuthentication ?? false,
      DeletionProtection: false,
      CopyTagsToSnapshot: false,
      Tags: tags,
    };
    let created: DBCluster | undefined;
    let targetTime: string | undefined;
    if (placement.snapshotId) {
      logger.info(`restoring ${id}${this.where(api)} from snapshot ${placement.snapshotId}`);
      const snapshot = await api.describeClusterSnapshot(placement.snapshotId);
      const engine = snapshotEngine(
        snapshot?.EngineVersion,
        {
          engineVersion: source.engineVersion,
          // restore-parameter-group overrides the pick of a group that fits the snapshot's version.
          parameterGroup: plan.copy.parameterGroup
            ? undefined
            : placement.settings.DBClusterParameterGroupName,
        },
        logger,
      );
      const out = await api.client.send(
        new RestoreDBClusterFromSnapshotCommand({
          ...common,
          // restore-parameter-group was checked against the snapshot's family at resolve.
          DBClusterParameterGroupName: plan.copy.parameterGroup ?? engine.parameterGroup,
          SnapshotIdentifier: placement.snapshotId,
          Engine: source.engine,
          EngineVersion: engine.engineVersion,
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
    // RDS refuses an instance while the cluster is still being created (InvalidDBClusterStateFault): that
    // first refusal means try again once it is available. A refusal of an available cluster is final, and
    // AWS's own message (e.g. a db.serverless instance in a cluster with no Serverless v2 capacity range)
    // is what the user sees.
    const createInstance = async (final: boolean): Promise<boolean> => {
      if (signal.aborted) throw abortError(signal);
      try {
        await api.client.send(
          new CreateDBInstanceCommand({
            DBInstanceIdentifier: instanceId,
            DBClusterIdentifier: id,
            Engine: source.engine,
            DBInstanceClass: instanceClass,
            ...(plan.copy.instanceParameterGroup
              ? { DBParameterGroupName: plan.copy.instanceParameterGroup }
              : {}),
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
        const name = errorName(error);
        if (name === 'InvalidDBClusterStateFault' && !final) return false;
        throw new Error(`CreateDBInstance ${instanceId} refused: ${name}: ${(error as Error).message}`);
      }
    };
    const instanceRequested = await createInstance(false);

    const clusterWait = (what: string): Promise<DBCluster> =>
      untilAvailable(
        wait,
        what,
        () => api.describeCluster(id),
        (c) => c.Status,
      );
    await clusterWait(`cluster ${id}`);
    timeline.mark('cluster-available', { counts: 'recovery' });

    if (!instanceRequested) await createInstance(true);
    const instance = await untilAvailable(
      wait,
      `instance ${instanceId}`,
      () => api.describeInstance(instanceId),
      (i) => i.DBInstanceStatus,
    );
    timeline.mark('instance-available', { counts: 'recovery' });

    const { password, described: cluster } = await this.resetMasterPassword(request, wait, {
      id,
      modify: (MasterUserPassword) => api.modifyClusterOwned(id, runId, { MasterUserPassword }),
      describe: () => api.describeCluster(id),
      statusOf: (c) => c.Status,
    });

    const copyInstanceGroup = instance.DBParameterGroups?.[0]?.DBParameterGroupName;
    const copy: CopyInfo = {
      storageEncrypted: cluster.StorageEncrypted,
      kmsKeyId: cluster.KmsKeyId,
      iamDatabaseAuthentication: cluster.IAMDatabaseAuthenticationEnabled,
      vpcSecurityGroupIds: securityGroups(cluster),
      publiclyAccessible: instance.PubliclyAccessible,
      clusterParameterGroup: cluster.DBClusterParameterGroup,
      deletionProtection: cluster.DeletionProtection,
      forceSsl: await api.forceSsl(cluster.DBClusterParameterGroup),
      instanceParameterGroup: copyInstanceGroup,
      preloadLibraries: await preloadOf(api, [
        [cluster.DBClusterParameterGroup, 'cluster'],
        [copyInstanceGroup, 'instance'],
      ]),
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
      connection: copyConnection(plan, source, {
        endpoint: cluster.Endpoint ?? instance.Endpoint?.Address,
        port: cluster.Port ?? instance.Endpoint?.Port,
        user: cluster.MasterUsername,
        password,
      }),
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
        DBClusterParameterGroupName: plan.copy.parameterGroup ?? source.clusterParameterGroup,
        KmsKeyId: plan.kmsKeyId ?? source.kmsKeyId,
      },
    };
  }

  private where(api: RdsRegion): string {
    return api.region === this.options.region ? '' : ` in ${api.region}`;
  }
}
