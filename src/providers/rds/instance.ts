/**
 * Restores a standalone RDS for PostgreSQL DB instance (not Aurora): RestoreDBInstanceToPointInTime for
 * latest and point-in-time, RestoreDBInstanceFromDBSnapshot for snapshot (snapshot-id, or the newest
 * automated DB snapshot), into one instance named restore-proof-<run> with the drill's tags, not publicly
 * accessible, single-AZ, deletion protection off, with the source's subnet group, security groups, DB
 * parameter group (restore-parameter-group overrides it) and IAM-auth setting (or the inputs). The restore keeps the source's KMS key: RDS offers
 * no other key for an instance restore. The copy is one instance, so Target.restoredCluster and
 * Target.restoredInstance both name it. Cleanup is the shared RDS cleanup (the instance with its automated
 * backups, no final snapshot); the drill creates no snapshot of its own.
 */
import {
  RestoreDBInstanceFromDBSnapshotCommand,
  RestoreDBInstanceToPointInTimeCommand,
  type DBInstance,
} from '@aws-sdk/client-rds';
import { InputError } from '../../inputs/input-error.js';
import type { CopyInfo, SourceInfo, Target } from '../../model/types.js';
import type { RestoreTestPlan as Plan } from '../../inputs/plan-types.js';
import { clusterName, drillTags } from '../ownership.js';
import type { Provider, ResolvedSource, RestoreRequest } from '../provider.js';
import { copyConnection, RdsProviderBase, securityGroups, untilAvailable } from './base.js';
import { snapshotEngine } from './engine-version.js';
import { checkRestoreGroups, preloadOf } from './parameter-groups.js';
import { DB_SNAPSHOTS, resolveSnapshot } from './snapshots.js';

const INSTANCE_ARN = /^arn:aws[a-z-]*:rds:[a-z0-9-]+:\d{12}:db:(.+)$/;

export class RdsInstanceProvider extends RdsProviderBase implements Provider {
  // Its own name (priced at RDS for PostgreSQL rates); the provider input still says aurora for both sources.
  readonly name = 'rds-instance' as const;

  async resolve(plan: Plan): Promise<ResolvedSource> {
    const api = this.api();
    const sourceId = plan.source.arn ?? plan.source.id;
    const instance = await api.describeInstance(sourceId);
    if (!instance) throw new InputError('source-instance', `names no DB instance in ${api.region}`, sourceId);
    if (instance.Engine !== 'postgres') {
      throw new InputError(
        'source-instance',
        `accepts an RDS for PostgreSQL instance (engine postgres); this one runs ${instance.Engine}${instance.DBClusterIdentifier ? ` in cluster ${instance.DBClusterIdentifier} (use source-cluster)` : ''}`,
        sourceId,
      );
    }
    const parameterGroup = instance.DBParameterGroups?.[0]?.DBParameterGroupName;
    const source: SourceInfo = {
      identifier: instance.DBInstanceIdentifier ?? INSTANCE_ARN.exec(sourceId)?.[1] ?? sourceId,
      kind: 'rds-instance',
      arn: instance.DBInstanceArn,
      engine: instance.Engine,
      engineVersion: instance.EngineVersion,
      storageEncrypted: instance.StorageEncrypted,
      kmsKeyId: instance.KmsKeyId,
      iamDatabaseAuthentication: instance.IAMDatabaseAuthenticationEnabled,
      vpcSecurityGroupIds: securityGroups(instance),
      dbSubnetGroup: instance.DBSubnetGroup?.DBSubnetGroupName,
      clusterParameterGroup: parameterGroup,
      writerInstanceClass: instance.DBInstanceClass,
      latestRestorableTime: instance.LatestRestorableTime,
      masterUsername: instance.MasterUsername,
      port: instance.Endpoint?.Port ?? instance.DbInstancePort,
      databaseName: instance.DBName,
      forceSsl: await api.forceSsl(parameterGroup, 'instance'),
      preloadLibraries: await preloadOf(api, [[parameterGroup, 'instance']]),
    };
    const resolved: ResolvedSource = { source };
    // The engine version the copy restores as: the source's, or an older snapshot's (engine-version.ts).
    let restoresAs = source.engineVersion;
    if (plan.restoreType === 'point-in-time') {
      source.earliestRestorableTime = await this.earliestRestorableTime(instance);
      resolved.restoreTime = this.pickRestoreTime(
        plan,
        source.identifier,
        source.earliestRestorableTime,
        source.latestRestorableTime,
      );
    }
    if (plan.restoreType === 'snapshot') {
      const snapshot = await resolveSnapshot(plan, api, source.identifier, DB_SNAPSHOTS);
      resolved.snapshotId = snapshot.DBSnapshotIdentifier;
      resolved.restoreTime = snapshot.SnapshotCreateTime;
      restoresAs = snapshot.EngineVersion ?? restoresAs;
    }
    await checkRestoreGroups(plan, api, {
      engine: source.engine,
      engineVersion: restoresAs,
      clusterGroups: false,
    });
    return resolved;
  }

  /**
   * RDS reports an instance's restorable window on its automated backups (RestoreWindow.EarliestTime); when
   * that is not readable, the oldest automated snapshot bounds it, and at worst the instance's creation.
   */
  private async earliestRestorableTime(instance: DBInstance): Promise<Date | undefined> {
    const id = instance.DBInstanceIdentifier!;
    const backups = await this.api()
      .listInstanceAutomatedBackups(id)
      .catch(() => []);
    const window = backups.find(
      (b) => b.Status === 'active' && (!b.DBInstanceArn || b.DBInstanceArn === instance.DBInstanceArn),
    )?.RestoreWindow?.EarliestTime;
    if (window) return window;
    const oldest = (await this.api().listDBSnapshots('automated', id))
      .map((s) => s.SnapshotCreateTime)
      .filter((t): t is Date => t !== undefined)
      .sort((a, b) => a.getTime() - b.getTime())[0];
    return oldest ?? instance.InstanceCreateTime;
  }

  async restore(request: RestoreRequest): Promise<Target> {
    const { plan, resolved, runId, timeline, logger } = request;
    const source = resolved.source;
    const api = this.api();
    const wait = this.waiter(request);

    const restoreTime = await this.restorePoint(
      request,
      wait,
      plan.restoreType === 'snapshot',
      async () => (await api.describeInstance(source.identifier))?.LatestRestorableTime,
    );

    const id = clusterName(runId);
    const common = {
      DBInstanceClass: plan.instanceClass ?? source.writerInstanceClass,
      DBSubnetGroupName: plan.dbSubnetGroup ?? source.dbSubnetGroup,
      VpcSecurityGroupIds: plan.vpcSecurityGroupIds ?? source.vpcSecurityGroupIds,
      DBParameterGroupName: plan.copy.parameterGroup ?? source.clusterParameterGroup,
      EnableIAMDatabaseAuthentication: source.iamDatabaseAuthentication ?? false,
      PubliclyAccessible: false,
      MultiAZ: false,
      DeletionProtection: false,
      AutoMinorVersionUpgrade: false,
      CopyTagsToSnapshot: false,
      Tags: drillTags(runId, source.identifier, request.expiresAt, plan.cadence),
    };
    let targetTime: string | undefined;
    if (plan.restoreType === 'snapshot') {
      logger.info(`restoring instance ${id} from snapshot ${resolved.snapshotId}`);
      const snapshot = await api.describeDBSnapshot(resolved.snapshotId!);
      const engine = snapshotEngine(
        snapshot?.EngineVersion,
        {
          engineVersion: source.engineVersion,
          // restore-parameter-group overrides the pick of a group that fits the snapshot's version.
          parameterGroup: plan.copy.parameterGroup ? undefined : source.clusterParameterGroup,
        },
        logger,
      );
      await api.client.send(
        new RestoreDBInstanceFromDBSnapshotCommand({
          ...common,
          DBParameterGroupName: plan.copy.parameterGroup ?? engine.parameterGroup,
          DBInstanceIdentifier: id,
          DBSnapshotIdentifier: resolved.snapshotId,
        }),
      );
      targetTime = resolved.restoreTime?.toISOString();
    } else {
      const useLatest = restoreTime === undefined;
      logger.info(
        `restoring instance ${id} from ${source.identifier} to ${useLatest ? 'the latest restorable time' : restoreTime!.toISOString()}`,
      );
      await api.client.send(
        new RestoreDBInstanceToPointInTimeCommand({
          ...common,
          SourceDBInstanceIdentifier: source.identifier,
          TargetDBInstanceIdentifier: id,
          ...(useLatest ? { UseLatestRestorableTime: true } : { RestoreTime: restoreTime }),
        }),
      );
      targetTime = useLatest
        ? (await api.describeInstance(source.identifier))?.LatestRestorableTime?.toISOString()
        : restoreTime!.toISOString();
    }
    await request.record({ kind: 'instance', id, region: api.region, runId });
    timeline.mark('restore-request', { counts: 'recovery', copyExists: true });

    const instanceWait = (what: string): Promise<DBInstance> =>
      untilAvailable(
        wait,
        what,
        () => api.describeInstance(id),
        (i) => i.DBInstanceStatus,
      );
    await instanceWait(`instance ${id}`);
    timeline.mark('instance-available', { counts: 'recovery' });

    const { password, described: instance } = await this.resetMasterPassword(request, wait, {
      id,
      modify: (MasterUserPassword) => api.modifyInstanceOwned(id, runId, { MasterUserPassword }),
      describe: () => api.describeInstance(id),
      statusOf: (i) => i.DBInstanceStatus,
    });

    const parameterGroup = instance.DBParameterGroups?.[0]?.DBParameterGroupName;
    const copy: CopyInfo = {
      storageEncrypted: instance.StorageEncrypted,
      kmsKeyId: instance.KmsKeyId,
      iamDatabaseAuthentication: instance.IAMDatabaseAuthenticationEnabled,
      vpcSecurityGroupIds: securityGroups(instance),
      publiclyAccessible: instance.PubliclyAccessible,
      clusterParameterGroup: parameterGroup,
      deletionProtection: instance.DeletionProtection,
      forceSsl: await api.forceSsl(parameterGroup, 'instance'),
      preloadLibraries: await preloadOf(api, [[parameterGroup, 'instance']]),
    };
    return {
      provider: this.name,
      restoredCluster: id,
      restoredInstance: id,
      restoreType: plan.restoreType,
      targetTime,
      snapshotId: resolved.snapshotId,
      source,
      copy,
      connection: copyConnection(plan, source, {
        endpoint: instance.Endpoint?.Address,
        port: instance.Endpoint?.Port,
        user: instance.MasterUsername,
        password,
      }),
    };
  }
}
