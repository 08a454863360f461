/**
 * Gathers what the posture checks judge: one DescribeDBClusters, the automated snapshots, and who manages
 * the storage key. Describe calls only; nothing is created, modified or deleted.
 */
import {
  DescribeDBClustersCommand,
  DescribeDBClusterSnapshotsCommand,
  type DBClusterSnapshot,
  type RDSClient,
} from '@aws-sdk/client-rds';
import { InputError, clusterIdentifier } from '../inputs/plan.js';
import type { KeyManagerResolver } from './key-manager.js';
import type { PostureFacts } from './posture.js';

const errorName = (error: unknown): string =>
  (error as { name?: string }).name || (error instanceof Error ? error.message : String(error));

export async function collectPostureFacts(
  rds: RDSClient,
  keyManager: KeyManagerResolver,
  source: string,
  region: string,
): Promise<PostureFacts> {
  let started = Date.now();
  let cluster;
  try {
    const out = await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: source }));
    cluster = out.DBClusters?.[0];
  } catch (error) {
    if (!/NotFound/.test(errorName(error))) throw error;
  }
  if (!cluster) throw new InputError('source-cluster', `names no DB cluster in ${region}`, source);
  const describeMs = Date.now() - started;

  started = Date.now();
  let snapshots: PostureFacts['snapshots'];
  try {
    const found: DBClusterSnapshot[] = [];
    let marker: string | undefined;
    do {
      const out = await rds.send(
        new DescribeDBClusterSnapshotsCommand({
          DBClusterIdentifier: cluster.DBClusterIdentifier ?? clusterIdentifier(source),
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
