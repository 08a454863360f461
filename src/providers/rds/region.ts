/**
 * The RDS API in one region, as the drill uses it: describe freely; modify and delete only what carries the
 * restore-proof name and this run's tag (assertOwned right before every such call). Cleanup picks the region
 * of each resource, so a cross-region drill's copied snapshot and cluster are deleted where they live.
 */
import {
  DeleteDBClusterCommand,
  DeleteDBClusterSnapshotCommand,
  DeleteDBInstanceCommand,
  DescribeDBClusterParametersCommand,
  DescribeDBClustersCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBInstancesCommand,
  DescribeDBParametersCommand,
  ModifyDBClusterCommand,
  ModifyDBInstanceCommand,
  RDSClient,
  type DBCluster,
  type DBClusterSnapshot,
  type DBInstance,
  type Parameter,
} from '@aws-sdk/client-rds';
import type { Logger } from '../../log/logger.js';
import { DEFAULT_BACKOFF, sleep as realSleep, type Backoff, type Sleep } from '../../time/poll.js';
import type { CleanupOutcome } from '../../model/types.js';
import { assertOwned, type Tag } from '../ownership.js';
import type { CreatedResource } from '../provider.js';

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

export type DeleteResult = 'deleted' | 'not-found';

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

  /** rds.force_ssl in a cluster (or, for an RDS instance, a DB) parameter group; undefined when unreadable. */
  async forceSsl(
    group: string | undefined,
    kind: 'cluster' | 'instance' = 'cluster',
  ): Promise<string | undefined> {
    if (!group) return undefined;
    try {
      let marker: string | undefined;
      do {
        const out: { Parameters?: Parameter[]; Marker?: string } =
          kind === 'cluster'
            ? await this.client.send(
                new DescribeDBClusterParametersCommand({
                  DBClusterParameterGroupName: group,
                  Marker: marker,
                }),
              )
            : await this.client.send(
                new DescribeDBParametersCommand({ DBParameterGroupName: group, Marker: marker }),
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

  async modifyClusterOwned(
    id: string,
    runId: string,
    change: { MasterUserPassword?: string; DeletionProtection?: boolean },
  ): Promise<void> {
    const cluster = await this.describeCluster(id);
    assertOwned('cluster', id, cluster?.TagList as Tag[] | undefined, runId);
    await this.client.send(
      new ModifyDBClusterCommand({ DBClusterIdentifier: id, ...change, ApplyImmediately: true }),
    );
  }

  async modifyInstanceOwned(
    id: string,
    runId: string,
    change: { MasterUserPassword?: string; DeletionProtection?: boolean },
  ): Promise<void> {
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

const DELETE_ORDER: CreatedResource['kind'][] = ['instance', 'cluster', 'snapshot'];

/**
 * Deletes what a drill created: instances, then clusters, then snapshots, each in its own region (the
 * resource's `region`, else `defaultRegion`). Idempotent: NotFound counts as deleted.
 */
export async function cleanupRds(
  resources: CreatedResource[],
  runId: string,
  logger: Logger,
  regionApi: (region: string) => RdsRegion,
  defaultRegion: string,
): Promise<CleanupOutcome> {
  const outcome: CleanupOutcome = { status: 'deleted', resources: [] };
  const ordered = DELETE_ORDER.flatMap((kind) => resources.filter((r) => r.kind === kind));
  for (const resource of ordered) {
    const api = regionApi(resource.region || defaultRegion);
    const where = api.region === defaultRegion ? '' : ` in ${api.region}`;
    try {
      const result =
        resource.kind === 'instance'
          ? await api.deleteInstance(resource.id, runId, logger)
          : resource.kind === 'cluster'
            ? await api.deleteCluster(resource.id, runId, logger)
            : await api.deleteClusterSnapshot(resource.id, runId, logger);
      outcome.resources.push({ kind: resource.kind, id: resource.id, outcome: result });
      logger.info(`cleanup: ${resource.kind} ${resource.id}${where} ${result}`);
    } catch (error) {
      outcome.status = 'failed';
      const message = (error as Error).message;
      outcome.resources.push({ kind: resource.kind, id: resource.id, outcome: 'failed', error: message });
      logger.error(`cleanup: ${resource.kind} ${resource.id}${where} could not be deleted: ${message}`);
    }
  }
  if (ordered.length === 0) outcome.status = 'none';
  return outcome;
}
