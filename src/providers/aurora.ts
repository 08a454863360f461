/**
 * Restores an Aurora PostgreSQL cluster through the RDS API: resolve the source (describe only), restore a
 * uniquely named, tagged cluster, create its instance as early as the API allows, wait with backoff, reset
 * the copy's master password, and delete both afterwards. Every modify and delete checks ownership first.
 */
import { randomBytes } from 'node:crypto';
import {
  CreateDBInstanceCommand,
  DeleteDBClusterCommand,
  DeleteDBInstanceCommand,
  DescribeDBClusterParametersCommand,
  DescribeDBClustersCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBInstancesCommand,
  ModifyDBClusterCommand,
  RDSClient,
  RestoreDBClusterFromSnapshotCommand,
  RestoreDBClusterToPointInTimeCommand,
  type DBCluster,
  type DBInstance,
} from '@aws-sdk/client-rds';
import type { Logger } from '../logger.js';
import { InputError, clusterIdentifier } from '../plan.js';
import {
  abortError,
  DEFAULT_BACKOFF,
  pollUntil,
  sleep as realSleep,
  type Backoff,
  type Sleep,
} from '../poll.js';
import type { CleanupOutcome, CopyInfo, Plan, SourceInfo, Target } from '../types.js';
import { assertOwned, clusterName, drillTags, instanceName, type Tag } from './ownership.js';
import type { CreatedResource, Provider, ResolvedSource, RestoreRequest } from './provider.js';

const FAILED_STATES = new Set([
  'failed',
  'inaccessible-encryption-credentials',
  'inaccessible-encryption-credentials-recoverable',
  'incompatible-restore',
  'incompatible-parameters',
  'incompatible-network',
  'storage-full',
]);

export interface AuroraOptions {
  region: string;
  /** Inject a client (tests); by default one is built for the region, honouring AWS_ENDPOINT_URL. */
  client?: RDSClient;
  sleep?: Sleep;
  backoff?: Backoff;
  random?: () => number;
}

export function rdsClient(region: string): RDSClient {
  return new RDSClient({ region, maxAttempts: 8, retryMode: 'adaptive' });
}

const errorName = (error: unknown): string => (error as { name?: string }).name ?? '';
const isNotFound = (error: unknown): boolean => /NotFound/.test(errorName(error));

export class AuroraProvider implements Provider {
  readonly name = 'aurora' as const;
  readonly client: RDSClient;
  private readonly sleep: Sleep;
  private readonly backoff: Backoff;
  private readonly random: () => number;

  constructor(readonly options: AuroraOptions) {
    this.client = options.client ?? rdsClient(options.region);
    this.sleep = options.sleep ?? realSleep;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.random = options.random ?? Math.random;
  }

  async describeCluster(id: string): Promise<DBCluster | undefined> {
    try {
      const out = await this.client.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }));
      return out.DBClusters?.[0];
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async describeInstance(id: string): Promise<DBInstance | undefined> {
    try {
      const out = await this.client.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }));
      return out.DBInstances?.[0];
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** rds.force_ssl in a cluster parameter group, or undefined when it cannot be read. */
  private async forceSsl(group: string | undefined): Promise<string | undefined> {
    if (!group) return undefined;
    try {
      let marker: string | undefined;
      do {
        const out = await this.client.send(
          new DescribeDBClusterParametersCommand({ DBClusterParameterGroupName: group, Marker: marker }),
        );
        const p = out.Parameters?.find((x) => x.ParameterName === 'rds.force_ssl');
        if (p) return p.ParameterValue ?? undefined;
        marker = out.Marker;
      } while (marker);
    } catch {
      return undefined;
    }
    return undefined;
  }

  async resolve(plan: Plan): Promise<ResolvedSource> {
    const sourceId = plan.sourceCluster!;
    const cluster = await this.describeCluster(sourceId);
    if (!cluster) {
      throw new InputError('source-cluster', `names no DB cluster in ${this.options.region}`, sourceId);
    }
    if (!cluster.Engine?.startsWith('aurora-postgresql')) {
      throw new InputError(
        'source-cluster',
        `accepts an Aurora PostgreSQL cluster; this one runs ${cluster.Engine}`,
        sourceId,
      );
    }
    const writer = cluster.DBClusterMembers?.find((m) => m.IsClusterWriter)?.DBInstanceIdentifier;
    const writerInstance = writer ? await this.describeInstance(writer) : undefined;
    const source: SourceInfo = {
      identifier: cluster.DBClusterIdentifier ?? clusterIdentifier(sourceId),
      arn: cluster.DBClusterArn,
      engine: cluster.Engine,
      engineVersion: cluster.EngineVersion,
      storageEncrypted: cluster.StorageEncrypted,
      kmsKeyId: cluster.KmsKeyId,
      iamDatabaseAuthentication: cluster.IAMDatabaseAuthenticationEnabled,
      vpcSecurityGroupIds: cluster.VpcSecurityGroups?.map((g) => g.VpcSecurityGroupId!).filter(Boolean),
      dbSubnetGroup: cluster.DBSubnetGroup,
      clusterParameterGroup: cluster.DBClusterParameterGroup,
      writerInstanceClass: writerInstance?.DBInstanceClass,
      earliestRestorableTime: cluster.EarliestRestorableTime,
      latestRestorableTime: cluster.LatestRestorableTime,
      masterUsername: cluster.MasterUsername,
      port: cluster.Port,
      databaseName: cluster.DatabaseName,
      forceSsl: await this.forceSsl(cluster.DBClusterParameterGroup),
    };
    if (!plan.instanceClass && !source.writerInstanceClass) {
      throw new InputError(
        'instance-class',
        'is required: the source cluster has no writer instance to copy the class from',
      );
    }
    const resolved: ResolvedSource = { source };

    if (plan.restoreType === 'point-in-time') {
      const earliest = cluster.EarliestRestorableTime;
      const latest = cluster.LatestRestorableTime;
      if (!earliest || !latest) {
        throw new InputError(
          'restore-time',
          `cannot be used: source cluster ${source.identifier} reports no restorable window (are automated backups on?)`,
        );
      }
      if (plan.restoreTime === 'random') {
        const span = latest.getTime() - earliest.getTime();
        resolved.restoreTime = new Date(
          Math.floor((earliest.getTime() + this.random() * span) / 1000) * 1000,
        );
        if (resolved.restoreTime < earliest) resolved.restoreTime = new Date(earliest.getTime());
      } else {
        const time = plan.restoreTime as Date;
        if (time < earliest || time > latest) {
          throw new InputError(
            'restore-time',
            `must lie inside the restorable window of ${source.identifier}: ${earliest.toISOString()} .. ${latest.toISOString()}`,
            time.toISOString(),
          );
        }
        resolved.restoreTime = time;
      }
    }

    if (plan.restoreType === 'snapshot') {
      const snapshot = await this.resolveSnapshot(plan, source.identifier);
      resolved.snapshotId = snapshot.id;
      // A snapshot holds the data as of its creation: that is the restore point data loss is measured from.
      resolved.restoreTime = snapshot.createdAt;
    }
    return resolved;
  }

  private async resolveSnapshot(plan: Plan, sourceId: string): Promise<{ id: string; createdAt?: Date }> {
    if (plan.snapshotId) {
      try {
        const out = await this.client.send(
          new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: plan.snapshotId }),
        );
        const snap = out.DBClusterSnapshots?.[0];
        if (snap?.Status !== 'available') {
          throw new InputError(
            'snapshot-id',
            `names a snapshot that is not available (status ${snap?.Status})`,
            plan.snapshotId,
          );
        }
        return { id: plan.snapshotId, createdAt: snap.SnapshotCreateTime };
      } catch (error) {
        if (isNotFound(error))
          throw new InputError(
            'snapshot-id',
            `names no DB cluster snapshot in ${this.options.region}`,
            plan.snapshotId,
          );
        throw error;
      }
    }
    const snapshots = [];
    let marker: string | undefined;
    do {
      const out = await this.client.send(
        new DescribeDBClusterSnapshotsCommand({
          DBClusterIdentifier: sourceId,
          SnapshotType: 'automated',
          Marker: marker,
        }),
      );
      snapshots.push(...(out.DBClusterSnapshots ?? []));
      marker = out.Marker;
    } while (marker);
    const newest = snapshots
      .filter((s) => s.Status === 'available' && s.SnapshotCreateTime)
      .sort((a, b) => b.SnapshotCreateTime!.getTime() - a.SnapshotCreateTime!.getTime())[0];
    if (!newest?.DBClusterSnapshotIdentifier) {
      throw new InputError(
        'snapshot-id',
        `is required: source cluster ${sourceId} has no available automated snapshot`,
      );
    }
    return { id: newest.DBClusterSnapshotIdentifier, createdAt: newest.SnapshotCreateTime };
  }

  async restore(request: RestoreRequest): Promise<Target> {
    const { plan, resolved, runId, timeline, signal, logger } = request;
    const source = resolved.source;
    const wait = <T>(
      what: string,
      check: () => Promise<{ done: T | undefined; status: string }>,
    ): Promise<T> =>
      pollUntil(check, {
        what,
        deadline: this.drillDeadline(request),
        signal,
        sleep: this.sleep,
        backoff: this.backoff,
        now: () => request.clock.now(),
        onProgress: (line) => logger.info(line),
      });

    let restoreTime = resolved.restoreTime;
    if (request.pinnedTime) {
      const pinned = request.pinnedTime;
      await wait(`source ${source.identifier} restorable past ${pinned.toISOString()}`, async () => {
        const c = await this.describeCluster(source.identifier);
        const latest = c?.LatestRestorableTime;
        return {
          done: latest && latest >= pinned ? true : undefined,
          status: `latest restorable ${latest?.toISOString() ?? 'unknown'}`,
        };
      });
      timeline.mark('restorable-wait');
      restoreTime = pinned;
    }

    const id = clusterName(runId);
    const tags = drillTags(runId, source.identifier, request.expiresAt, plan.cadence);
    const common = {
      DBClusterIdentifier: id,
      DBSubnetGroupName: plan.dbSubnetGroup ?? source.dbSubnetGroup,
      VpcSecurityGroupIds: plan.vpcSecurityGroupIds ?? source.vpcSecurityGroupIds,
      DBClusterParameterGroupName: source.clusterParameterGroup,
      KmsKeyId: plan.kmsKeyId ?? source.kmsKeyId,
      EnableIAMDatabaseAuthentication: source.iamDatabaseAuthentication ?? false,
      DeletionProtection: false,
      CopyTagsToSnapshot: false,
      Tags: tags,
    };
    let created: DBCluster | undefined;
    let targetTime: string | undefined;
    if (plan.restoreType === 'snapshot') {
      logger.info(`restoring ${id} from snapshot ${resolved.snapshotId}`);
      const out = await this.client.send(
        new RestoreDBClusterFromSnapshotCommand({
          ...common,
          SnapshotIdentifier: resolved.snapshotId,
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
      const out = await this.client.send(
        new RestoreDBClusterToPointInTimeCommand({
          ...common,
          SourceDBClusterIdentifier: source.arn ?? source.identifier,
          RestoreType: 'full-copy',
          ...(useLatest ? { UseLatestRestorableTime: true } : { RestoreToTime: restoreTime }),
        }),
      );
      created = out.DBCluster;
      targetTime = useLatest
        ? (await this.describeCluster(source.identifier))?.LatestRestorableTime?.toISOString()
        : restoreTime!.toISOString();
    }
    await request.record({ kind: 'cluster', id, region: this.options.region, runId });
    timeline.mark('restore-request');
    logger.info(`cluster ${id} requested (status ${created?.Status ?? 'unknown'})`);

    const instanceId = instanceName(runId);
    const instanceClass = plan.instanceClass ?? source.writerInstanceClass!;
    const createInstance = async (): Promise<boolean> => {
      if (signal.aborted) throw abortError(signal);
      try {
        await this.client.send(
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
        await request.record({ kind: 'instance', id: instanceId, region: this.options.region, runId });
        return true;
      } catch (error) {
        if (errorName(error) === 'InvalidDBClusterStateFault') return false; // cluster not ready yet: try again once available
        throw error;
      }
    };
    let instanceRequested = await createInstance();

    const clusterWait = async (what: string) =>
      wait(what, async () => {
        const c = await this.describeCluster(id);
        const status = c?.Status ?? 'missing';
        if (FAILED_STATES.has(status)) throw new Error(`restored cluster ${id} entered state ${status}`);
        return { done: status === 'available' ? c : undefined, status };
      });
    await clusterWait(`cluster ${id}`);
    timeline.mark('cluster-available');

    if (!instanceRequested) instanceRequested = await createInstance();
    if (!instanceRequested)
      throw new Error(`cluster ${id} is available but refused its instance (InvalidDBClusterStateFault)`);
    const instance = await wait(`instance ${instanceId}`, async () => {
      const i = await this.describeInstance(instanceId);
      const status = i?.DBInstanceStatus ?? 'missing';
      if (FAILED_STATES.has(status)) throw new Error(`instance ${instanceId} entered state ${status}`);
      return { done: status === 'available' ? i : undefined, status };
    });
    timeline.mark('instance-available');

    const password = randomBytes(24).toString('base64url');
    logger.setSecret(password);
    await this.modifyOwned(id, runId, { MasterUserPassword: password, ApplyImmediately: true });
    const cluster = await clusterWait(`password reset on ${id}`);
    timeline.mark('credentials-reset');

    const copy: CopyInfo = {
      storageEncrypted: cluster.StorageEncrypted,
      kmsKeyId: cluster.KmsKeyId,
      iamDatabaseAuthentication: cluster.IAMDatabaseAuthenticationEnabled,
      vpcSecurityGroupIds: cluster.VpcSecurityGroups?.map((g) => g.VpcSecurityGroupId!).filter(Boolean),
      publiclyAccessible: instance.PubliclyAccessible,
      clusterParameterGroup: cluster.DBClusterParameterGroup,
      deletionProtection: cluster.DeletionProtection,
      forceSsl: await this.forceSsl(cluster.DBClusterParameterGroup),
    };
    return {
      provider: 'aurora',
      restoredCluster: id,
      restoredInstance: instanceId,
      restoreType: plan.restoreType,
      targetTime,
      snapshotId: resolved.snapshotId,
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

  private drillDeadline(request: RestoreRequest): Date {
    return new Date(request.timeline.startedAt.getTime() + request.plan.timeoutMinutes * 60_000);
  }

  private async modifyOwned(
    id: string,
    runId: string,
    change: { MasterUserPassword?: string; DeletionProtection?: boolean; ApplyImmediately: boolean },
  ): Promise<void> {
    const cluster = await this.describeCluster(id);
    assertOwned('cluster', id, cluster?.TagList as Tag[] | undefined, runId);
    await this.client.send(new ModifyDBClusterCommand({ DBClusterIdentifier: id, ...change }));
  }

  async cleanup(resources: CreatedResource[], runId: string, logger: Logger): Promise<CleanupOutcome> {
    const outcome: CleanupOutcome = { status: 'deleted', resources: [] };
    const ordered = [
      ...resources.filter((r) => r.kind === 'instance'),
      ...resources.filter((r) => r.kind === 'cluster'),
    ];
    for (const resource of ordered) {
      try {
        const result =
          resource.kind === 'instance'
            ? await this.deleteInstance(resource.id, runId)
            : await this.deleteCluster(resource.id, runId, logger);
        outcome.resources.push({ kind: resource.kind, id: resource.id, outcome: result });
        logger.info(`cleanup: ${resource.kind} ${resource.id} ${result}`);
      } catch (error) {
        outcome.status = 'failed';
        const message = (error as Error).message;
        outcome.resources.push({ kind: resource.kind, id: resource.id, outcome: 'failed', error: message });
        logger.error(`cleanup: ${resource.kind} ${resource.id} could not be deleted: ${message}`);
      }
    }
    if (ordered.length === 0) outcome.status = 'none';
    return outcome;
  }

  private async deleteInstance(id: string, runId: string): Promise<'deleted' | 'not-found'> {
    const instance = await this.describeInstance(id);
    if (!instance) return 'not-found';
    assertOwned('instance', id, instance.TagList as Tag[] | undefined, runId);
    if (instance.DBInstanceStatus === 'deleting') return 'deleted';
    try {
      await this.client.send(
        new DeleteDBInstanceCommand({
          DBInstanceIdentifier: id,
          SkipFinalSnapshot: true,
          DeleteAutomatedBackups: true,
        }),
      );
      return 'deleted';
    } catch (error) {
      if (isNotFound(error)) return 'not-found';
      throw error;
    }
  }

  private async deleteCluster(id: string, runId: string, logger: Logger): Promise<'deleted' | 'not-found'> {
    for (let attempt = 0; ; attempt++) {
      const cluster = await this.describeCluster(id);
      if (!cluster) return 'not-found';
      assertOwned('cluster', id, cluster.TagList as Tag[] | undefined, runId);
      if (cluster.Status === 'deleting') return 'deleted';
      try {
        if (cluster.DeletionProtection) {
          // A restore can inherit protection from its snapshot; lift it on our own copy only.
          logger.info(`cleanup: lifting deletion protection on ${id}`);
          await this.modifyOwned(id, runId, { DeletionProtection: false, ApplyImmediately: true });
        }
        await this.client.send(
          new DeleteDBClusterCommand({ DBClusterIdentifier: id, SkipFinalSnapshot: true }),
        );
        return 'deleted';
      } catch (error) {
        if (isNotFound(error)) return 'not-found';
        // The instance is still being deleted, or the cluster is mid-change: the delete is accepted once it settles.
        if (errorName(error) !== 'InvalidDBClusterStateFault' || attempt >= 20) throw error;
        logger.info(`cleanup: cluster ${id} not deletable yet (${errorName(error)}), retrying`);
        await this.sleep(Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** attempt));
      }
    }
  }
}

/** The database to validate: the input, then production-url's, then the source's, then postgres. */
export function databaseFor(plan: Plan, source: SourceInfo): string {
  if (plan.database) return plan.database;
  if (plan.productionUrl) {
    const name = decodeURIComponent(new URL(plan.productionUrl).pathname.replace(/^\//, ''));
    if (name) return name;
  }
  return source.databaseName ?? 'postgres';
}
