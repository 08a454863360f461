/**
 * Gathers what the posture checks judge: one DescribeDBClusters, the automated snapshots, and who manages
 * the storage key. Describe calls only; nothing is created, modified or deleted.
 */
import {
  DescribeDBClustersCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBInstancesCommand,
  paginateDescribeDBClusterSnapshots,
  paginateDescribeDBSnapshots,
  type DBClusterSnapshot,
  type RDSClient,
} from '@aws-sdk/client-rds';
import { InputError } from '../inputs/input-error.js';
import { preloadOf } from '../providers/rds/parameter-groups.js';
import { RdsRegion } from '../providers/rds/region.js';
import type { KeyManagerResolver } from './key-manager.js';
import type { PostureFacts, SchedulerFacts } from './posture.js';

const errorName = (error: unknown): string =>
  (error as { name?: string }).name || (error instanceof Error ? error.message : String(error));

export async function collectPostureFacts(
  rds: RDSClient,
  keyManager: KeyManagerResolver,
  source: { id: string; arn?: string },
  region: string,
): Promise<PostureFacts> {
  const named = source.arn ?? source.id;
  let started = Date.now();
  let cluster;
  try {
    const out = await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: named }));
    cluster = out.DBClusters?.[0];
  } catch (error) {
    if (!/NotFound/.test(errorName(error))) throw error;
  }
  if (!cluster) throw new InputError('source-cluster', `names no DB cluster in ${region}`, named);
  const describeMs = Date.now() - started;

  started = Date.now();
  let snapshots: PostureFacts['snapshots'];
  try {
    const found: DBClusterSnapshot[] = [];
    let marker: string | undefined;
    do {
      const out = await rds.send(
        new DescribeDBClusterSnapshotsCommand({
          DBClusterIdentifier: cluster.DBClusterIdentifier ?? source.id,
          SnapshotType: 'automated',
          Marker: marker,
        }),
      );
      found.push(...(out.DBClusterSnapshots ?? []));
      marker = out.Marker;
    } while (marker);
    snapshots = found;
  } catch (error) {
    snapshots = { error: `rds:DescribeDBClusterSnapshots failed (${errorName(error)})` };
  }
  const snapshotsMs = Date.now() - started;

  started = Date.now();
  let manager: PostureFacts['keyManager'];
  if (cluster.StorageEncrypted && cluster.KmsKeyId) {
    try {
      manager = await keyManager(cluster.KmsKeyId);
    } catch (error) {
      manager = { error: `kms:DescribeKey failed (${errorName(error)})` };
    }
  }
  return { cluster, describeMs, snapshots, snapshotsMs, keyManager: manager, keyMs: Date.now() - started };
}

/** When a source can last be restored to, and when its newest available automated snapshot was taken. */
export interface BackupRecency {
  latestRestorableTime?: Date;
  newestSnapshotTime?: Date;
  /** Why the snapshots could not be listed (the restorable time still stands). */
  snapshotsError?: string;
}

/**
 * The two posture figures a drill's metrics carry (PITR gap, snapshot age), for a cluster or an RDS
 * instance: one describe of the source and every page of its automated snapshots. Describe calls only.
 */
export async function collectBackupRecency(
  rds: RDSClient,
  source: { cluster: string } | { instance: string },
): Promise<BackupRecency> {
  const recency: BackupRecency = {};
  const times: (Date | undefined)[] = [];
  try {
    if ('cluster' in source) {
      const out = await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: source.cluster }));
      recency.latestRestorableTime = out.DBClusters?.[0]?.LatestRestorableTime;
      const pages = paginateDescribeDBClusterSnapshots(
        { client: rds },
        { DBClusterIdentifier: source.cluster, SnapshotType: 'automated' },
      );
      for await (const page of pages)
        for (const s of page.DBClusterSnapshots ?? [])
          if (s.Status === 'available') times.push(s.SnapshotCreateTime);
    } else {
      const out = await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: source.instance }));
      recency.latestRestorableTime = out.DBInstances?.[0]?.LatestRestorableTime;
      const pages = paginateDescribeDBSnapshots(
        { client: rds },
        { DBInstanceIdentifier: source.instance, SnapshotType: 'automated' },
      );
      for await (const page of pages)
        for (const s of page.DBSnapshots ?? [])
          if (s.Status === 'available') times.push(s.SnapshotCreateTime);
    }
  } catch (error) {
    // A failed describe of the source itself is the caller's to report; a failed listing keeps the rest.
    if (recency.latestRestorableTime === undefined) throw error;
    recency.snapshotsError = errorName(error);
  }
  if (recency.snapshotsError) return recency;
  recency.newestSnapshotTime = times
    .filter((t): t is Date => t instanceof Date)
    .sort((a, b) => b.getTime() - a.getTime())[0];
  return recency;
}

/**
 * What the drill's copy would preload: the parameter group it is restored with (restore-parameter-group,
 * else the source cluster's) and whether that group exists. Describe calls only.
 */
export async function collectSchedulerFacts(
  rds: RDSClient,
  region: string,
  sourceGroup: string | undefined,
  restoreParameterGroup: string | undefined,
): Promise<SchedulerFacts> {
  const api = new RdsRegion(region, rds);
  const started = Date.now();
  const group = restoreParameterGroup ?? sourceGroup;
  const missing =
    restoreParameterGroup !== undefined &&
    (await api.parameterGroupFamily(restoreParameterGroup, 'cluster').catch(() => undefined)) === null;
  const libraries = missing ? undefined : await preloadOf(api, [[group, 'cluster']]);
  return {
    group,
    fromInput: restoreParameterGroup !== undefined,
    missing,
    libraries,
    region,
    ms: Date.now() - started,
  };
}
