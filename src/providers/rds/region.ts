/**
 * The RDS API in one region, as the drill and the janitor use it: describe and list freely (the SDK's
 * paginators); modify and delete only what carries the restore-proof name and the run's tag (assertOwned
 * right before every such call). NotFound reads as undefined, a delete of something gone as 'not-found'.
 */
import {
  DeleteDBClusterCommand,
  DeleteDBClusterSnapshotCommand,
  DeleteDBInstanceCommand,
  DescribeDBClustersCommand,
  DescribeDBClusterParameterGroupsCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBInstancesCommand,
  DescribeDBParameterGroupsCommand,
  DescribeDBSnapshotsCommand,
  ModifyDBClusterCommand,
  ModifyDBInstanceCommand,
  paginateDescribeDBClusterParameters,
  paginateDescribeDBClusters,
  paginateDescribeDBClusterSnapshots,
  paginateDescribeDBInstanceAutomatedBackups,
  paginateDescribeDBInstances,
  paginateDescribeDBParameters,
  paginateDescribeDBSnapshots,
  RDSClient,
  type DBCluster,
  type DBClusterSnapshot,
  type DBInstance,
  type DBInstanceAutomatedBackup,
  type DBSnapshot,
  type Parameter,
} from '@aws-sdk/client-rds';
import type { Logger } from '../../log/logger.js';
import { DEFAULT_BACKOFF, sleep as realSleep, type Backoff, type Sleep } from '../../time/poll.js';
import { assertOwned, type Tag } from '../ownership.js';

/** Statuses of a restored cluster, instance or copied snapshot that will never become available. */
export const FAILED_STATES = new Set([
  'failed',
  'inaccessible-encryption-credentials',
  'inaccessible-encryption-credentials-recoverable',
  'incompatible-restore',
  'incompatible-parameters',
  'incompatible-network',
  'storage-full',
  'error',
]);

export function rdsClient(region: string): RDSClient {
  return new RDSClient({ region, maxAttempts: 8, retryMode: 'adaptive' });
}

export const errorName = (error: unknown): string => (error as { name?: string }).name ?? '';
export const isNotFound = (error: unknown): boolean => /NotFound/.test(errorName(error));

/** Undefined for NotFound, else the call's result. */
async function orMissing<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Every item of every page a paginator yields. */
async function allItems<P, T>(pages: AsyncIterable<P>, items: (page: P) => T[] | undefined): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...(items(page) ?? []));
  return all;
}

/** A DB cluster parameter group ('cluster') or a DB parameter group ('instance'). */
export type GroupKind = 'cluster' | 'instance';

export type DeleteResult = 'deleted' | 'not-found';
type Change = { MasterUserPassword?: string; DeletionProtection?: boolean };

export class RdsRegion {
  constructor(
    readonly region: string,
    readonly client: RDSClient,
    private readonly nap: Sleep = realSleep,
    private readonly backoff: Backoff = DEFAULT_BACKOFF,
  ) {}

  async describeCluster(id: string): Promise<DBCluster | undefined> {
    const out = await orMissing(this.client.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id })));
    return out?.DBClusters?.[0];
  }

  async describeInstance(id: string): Promise<DBInstance | undefined> {
    const out = await orMissing(
      this.client.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id })),
    );
    return out?.DBInstances?.[0];
  }

  async describeClusterSnapshot(id: string): Promise<DBClusterSnapshot | undefined> {
    const out = await orMissing(
      this.client.send(new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: id })),
    );
    return out?.DBClusterSnapshots?.[0];
  }

  async describeDBSnapshot(id: string): Promise<DBSnapshot | undefined> {
    const out = await orMissing(
      this.client.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: id })),
    );
    return out?.DBSnapshots?.[0];
  }

  listClusters(): Promise<DBCluster[]> {
    return allItems(paginateDescribeDBClusters({ client: this.client }, {}), (p) => p.DBClusters);
  }

  listInstances(): Promise<DBInstance[]> {
    return allItems(paginateDescribeDBInstances({ client: this.client }, {}), (p) => p.DBInstances);
  }

  /** Cluster snapshots of one type ('manual', 'automated'), of one cluster when `clusterId` is given. */
  listClusterSnapshots(type: string, clusterId?: string): Promise<DBClusterSnapshot[]> {
    return allItems(
      paginateDescribeDBClusterSnapshots(
        { client: this.client },
        { SnapshotType: type, ...(clusterId ? { DBClusterIdentifier: clusterId } : {}) },
      ),
      (p) => p.DBClusterSnapshots,
    );
  }

  /** DB (instance) snapshots of one type, of one instance. */
  listDBSnapshots(type: string, instanceId: string): Promise<DBSnapshot[]> {
    return allItems(
      paginateDescribeDBSnapshots(
        { client: this.client },
        { DBInstanceIdentifier: instanceId, SnapshotType: type },
      ),
      (p) => p.DBSnapshots,
    );
  }

  /** The automated backups RDS keeps for an instance (they carry its restorable window). */
  listInstanceAutomatedBackups(instanceId: string): Promise<DBInstanceAutomatedBackup[]> {
    return allItems(
      paginateDescribeDBInstanceAutomatedBackups(
        { client: this.client },
        { DBInstanceIdentifier: instanceId },
      ),
      (p) => p.DBInstanceAutomatedBackups,
    );
  }

  /** rds.force_ssl in a cluster (or, for an RDS instance, a DB) parameter group; undefined when unreadable. */
  async forceSsl(group: string | undefined, kind: GroupKind = 'cluster'): Promise<string | undefined> {
    return (await this.parameters(group, kind, ['rds.force_ssl']))?.get('rds.force_ssl');
  }

  /**
   * The libraries a parameter group preloads (shared_preload_libraries, split on commas): [] when it names
   * none, undefined when the group cannot be read.
   */
  async preloadLibraries(group: string | undefined, kind: GroupKind): Promise<string[] | undefined> {
    const values = await this.parameters(group, kind, ['shared_preload_libraries']);
    if (!values) return undefined;
    return (values.get('shared_preload_libraries') ?? '')
      .split(',')
      .map((l) => l.trim())
      .filter(Boolean);
  }

  /**
   * The family of a DB cluster ('cluster') or DB ('instance') parameter group (aurora-postgresql15,
   * postgres16): null when no group of that name exists in the region, undefined when it reports none.
   */
  async parameterGroupFamily(group: string, kind: GroupKind): Promise<string | null | undefined> {
    try {
      if (kind === 'cluster') {
        const out = await this.client.send(
          new DescribeDBClusterParameterGroupsCommand({ DBClusterParameterGroupName: group }),
        );
        const found = out.DBClusterParameterGroups?.[0];
        return found ? found.DBParameterGroupFamily : null;
      }
      const out = await this.client.send(
        new DescribeDBParameterGroupsCommand({ DBParameterGroupName: group }),
      );
      const found = out.DBParameterGroups?.[0];
      return found ? found.DBParameterGroupFamily : null;
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  /** The values of `names` in a parameter group (absent: not set); undefined when the group is unreadable. */
  private async parameters(
    group: string | undefined,
    kind: GroupKind,
    names: string[],
  ): Promise<Map<string, string | undefined> | undefined> {
    if (!group) return undefined;
    const pages: AsyncIterable<{ Parameters?: Parameter[] }> =
      kind === 'cluster'
        ? paginateDescribeDBClusterParameters({ client: this.client }, { DBClusterParameterGroupName: group })
        : paginateDescribeDBParameters({ client: this.client }, { DBParameterGroupName: group });
    const found = new Map<string, string | undefined>();
    try {
      for await (const page of pages) {
        for (const p of page.Parameters ?? []) {
          if (p.ParameterName && names.includes(p.ParameterName)) {
            found.set(p.ParameterName, p.ParameterValue ?? undefined);
          }
        }
      }
    } catch {
      return undefined;
    }
    return found;
  }

  async modifyClusterOwned(id: string, runId: string, change: Change): Promise<void> {
    const cluster = await this.describeCluster(id);
    assertOwned('cluster', id, cluster?.TagList as Tag[] | undefined, runId);
    await this.client.send(
      new ModifyDBClusterCommand({ DBClusterIdentifier: id, ...change, ApplyImmediately: true }),
    );
  }

  async modifyInstanceOwned(id: string, runId: string, change: Change): Promise<void> {
    const instance = await this.describeInstance(id);
    assertOwned('instance', id, instance?.TagList as Tag[] | undefined, runId);
    await this.client.send(
      new ModifyDBInstanceCommand({ DBInstanceIdentifier: id, ...change, ApplyImmediately: true }),
    );
  }

  async deleteInstance(id: string, runId: string, logger: Logger): Promise<DeleteResult> {
    const instance = await this.describeInstance(id);
    if (!instance) return 'not-found';
    assertOwned('instance', id, instance.TagList as Tag[] | undefined, runId);
    if (instance.DBInstanceStatus === 'deleting') return 'deleted';
    if (instance.DeletionProtection) {
      // A standalone instance restore can inherit protection; lift it on our own copy only.
      logger.info(`cleanup: lifting deletion protection on ${id}`);
      await this.modifyInstanceOwned(id, runId, { DeletionProtection: false });
    }
    const out = await orMissing(
      this.client.send(
        new DeleteDBInstanceCommand({
          DBInstanceIdentifier: id,
          SkipFinalSnapshot: true,
          DeleteAutomatedBackups: true,
        }),
      ),
    );
    return out ? 'deleted' : 'not-found';
  }

  async deleteCluster(id: string, runId: string, logger: Logger): Promise<DeleteResult> {
    return this.retryWhileBusy('cluster', id, logger, async () => {
      const cluster = await this.describeCluster(id);
      if (!cluster) return 'not-found';
      assertOwned('cluster', id, cluster.TagList as Tag[] | undefined, runId);
      if (cluster.Status === 'deleting') return 'deleted';
      if (cluster.DeletionProtection) {
        // A restore can inherit protection from its snapshot; lift it on our own copy only.
        logger.info(`cleanup: lifting deletion protection on ${id}`);
        await this.modifyClusterOwned(id, runId, { DeletionProtection: false });
      }
      const out = await orMissing(
        this.client.send(new DeleteDBClusterCommand({ DBClusterIdentifier: id, SkipFinalSnapshot: true })),
      );
      return out ? 'deleted' : 'not-found';
    });
  }

  /** Deletes a copied cluster snapshot; deleting one that is still copying cancels the copy. */
  async deleteClusterSnapshot(id: string, runId: string, logger: Logger): Promise<DeleteResult> {
    return this.retryWhileBusy('snapshot', id, logger, async () => {
      const snapshot = await this.describeClusterSnapshot(id);
      if (!snapshot) return 'not-found';
      assertOwned('snapshot', id, snapshot.TagList as Tag[] | undefined, runId);
      if (snapshot.Status === 'deleting') return 'deleted';
      const out = await orMissing(
        this.client.send(new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: id })),
      );
      return out ? 'deleted' : 'not-found';
    });
  }

  /** Retries while RDS says the resource is mid-change (an instance still deleting, a restore still reading). */
  private async retryWhileBusy(
    kind: string,
    id: string,
    logger: Logger,
    attempt: () => Promise<DeleteResult>,
  ): Promise<DeleteResult> {
    for (let n = 0; ; n++) {
      try {
        return await attempt();
      } catch (error) {
        const name = errorName(error);
        if (!/^Invalid.*StateFault$/.test(name) || n >= 20) throw error;
        logger.info(`cleanup: ${kind} ${id} not deletable yet (${name}), retrying`);
        await this.nap(Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** n));
      }
    }
  }
}
