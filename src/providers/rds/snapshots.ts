/**
 * Which snapshot an RDS drill restores from, for either source: snapshot-id (it must exist and be available)
 * or else the newest available automated snapshot of the source. Aurora clusters have cluster snapshots,
 * RDS for PostgreSQL instances DB snapshots; the choice is the same. Describe calls only.
 */
import type { DBClusterSnapshot, DBSnapshot } from '@aws-sdk/client-rds';
import { InputError } from '../../inputs/input-error.js';
import type { RestoreTestPlan as Plan } from '../../inputs/plan-types.js';
import type { RdsRegion } from './region.js';

interface Snapshot {
  Status?: string;
  SnapshotCreateTime?: Date;
}

/** How to read one kind of snapshot in a region. */
export interface SnapshotKind<S extends Snapshot> {
  /** 'DB cluster snapshot' | 'DB snapshot', for the error naming snapshot-id. */
  noun: string;
  /** 'source cluster' | 'source instance'. */
  sourceNoun: string;
  describe(api: RdsRegion, id: string): Promise<S | undefined>;
  automated(api: RdsRegion, sourceId: string): Promise<S[]>;
  id(snapshot: S): string | undefined;
}

export const CLUSTER_SNAPSHOTS: SnapshotKind<DBClusterSnapshot> = {
  noun: 'DB cluster snapshot',
  sourceNoun: 'source cluster',
  describe: (api, id) => api.describeClusterSnapshot(id),
  automated: (api, sourceId) => api.listClusterSnapshots('automated', sourceId),
  id: (s) => s.DBClusterSnapshotIdentifier,
};

export const DB_SNAPSHOTS: SnapshotKind<DBSnapshot> = {
  noun: 'DB snapshot',
  sourceNoun: 'source instance',
  describe: (api, id) => api.describeDBSnapshot(id),
  automated: (api, sourceId) => api.listDBSnapshots('automated', sourceId),
  id: (s) => s.DBSnapshotIdentifier,
};

/** The newest item with status available, by SnapshotCreateTime; undefined when none. */
export function newestAvailable<S extends Snapshot>(items: S[]): S | undefined {
  return items
    .filter((s) => s.Status === 'available' && s.SnapshotCreateTime)
    .sort((a, b) => b.SnapshotCreateTime!.getTime() - a.SnapshotCreateTime!.getTime())[0];
}

/** The snapshot a drill of `sourceId` restores from; refuses a missing or unavailable one, naming snapshot-id. */
export async function resolveSnapshot<S extends Snapshot>(
  plan: Pick<Plan, 'snapshotId'>,
  api: RdsRegion,
  sourceId: string,
  kind: SnapshotKind<S>,
): Promise<S> {
  if (plan.snapshotId) {
    const snapshot = await kind.describe(api, plan.snapshotId);
    if (!snapshot) {
      throw new InputError('snapshot-id', `names no ${kind.noun} in ${api.region}`, plan.snapshotId);
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
  const newest = newestAvailable(await kind.automated(api, sourceId));
  if (!newest || !kind.id(newest)) {
    throw new InputError(
      'snapshot-id',
      `is required: ${kind.sourceNoun} ${sourceId} has no available automated snapshot`,
    );
  }
  return newest;
}
