/**
 * An in-memory RDS behind aws-sdk-client-mock, for unit tests of listing and deleting: instances, clusters
 * and cluster snapshots that describe (by id, or listed a few per page with a Marker), modify deletion
 * protection, and delete the way RDS refuses to (a protected resource, a cluster that still has instances).
 */
import {
  DeleteDBClusterCommand,
  DeleteDBClusterSnapshotCommand,
  DeleteDBInstanceCommand,
  DescribeDBClustersCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBInstancesCommand,
  ModifyDBClusterCommand,
  ModifyDBInstanceCommand,
  RDSClient,
  type DBCluster,
  type DBClusterSnapshot,
  type DBInstance,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';

export const RUN_TAG = 'restore-proof:run';
export const EXPIRES_TAG = 'restore-proof:expires-at';

const fault = (name: string, message = name): Error => Object.assign(new Error(message), { name });

/** One page of `items` after `marker` (an index), and the marker of the next page. */
function page<T>(items: T[], marker: string | undefined, size: number): { items: T[]; next?: string } {
  const from = marker ? Number(marker) : 0;
  const next = from + size < items.length ? String(from + size) : undefined;
  return { items: items.slice(from, from + size), next };
}

export interface FakeRds {
  client: RDSClient;
  mock: ReturnType<typeof mockClient>;
  instances: Map<string, DBInstance>;
  clusters: Map<string, DBCluster>;
  snapshots: Map<string, DBClusterSnapshot>;
  /** Mutating calls in order, e.g. 'DeleteDBInstance restore-proof-...-1'. */
  mutations(): string[];
  /** How many listing pages were read after the first one (calls that carried a Marker). */
  laterPages(): number;
}

export function fakeRds(region = 'us-east-1', pageSize = 1): FakeRds {
  const client = new RDSClient({ region });
  const mock = mockClient(client);
  const instances = new Map<string, DBInstance>();
  const clusters = new Map<string, DBCluster>();
  const snapshots = new Map<string, DBClusterSnapshot>();
  const mutations: string[] = [];
  let laterPages = 0;
  const listed = (marker: string | undefined): void => {
    if (marker) laterPages++;
  };

  mock
    .on(DescribeDBInstancesCommand)
    .callsFake((input: { DBInstanceIdentifier?: string; Marker?: string }) => {
      if (input.DBInstanceIdentifier) {
        const found = instances.get(input.DBInstanceIdentifier);
        if (!found) throw fault('DBInstanceNotFoundFault');
        return { DBInstances: [found] };
      }
      listed(input.Marker);
      const p = page([...instances.values()], input.Marker, pageSize);
      return { DBInstances: p.items, Marker: p.next };
    });
  mock.on(DescribeDBClustersCommand).callsFake((input: { DBClusterIdentifier?: string; Marker?: string }) => {
    if (input.DBClusterIdentifier) {
      const found = clusters.get(input.DBClusterIdentifier);
      if (!found) throw fault('DBClusterNotFoundFault');
      return { DBClusters: [found] };
    }
    listed(input.Marker);
    const p = page([...clusters.values()], input.Marker, pageSize);
    return { DBClusters: p.items, Marker: p.next };
  });
  mock
    .on(DescribeDBClusterSnapshotsCommand)
    .callsFake(
      (input: {
        DBClusterSnapshotIdentifier?: string;
        DBClusterIdentifier?: string;
        SnapshotType?: string;
        Marker?: string;
      }) => {
        if (input.DBClusterSnapshotIdentifier) {
          const found = snapshots.get(input.DBClusterSnapshotIdentifier);
          if (!found) throw fault('DBClusterSnapshotNotFoundFault');
          return { DBClusterSnapshots: [found] };
        }
        listed(input.Marker);
        const matching = [...snapshots.values()].filter(
          (s) =>
            (!input.SnapshotType || s.SnapshotType === input.SnapshotType) &&
            (!input.DBClusterIdentifier || s.DBClusterIdentifier === input.DBClusterIdentifier),
        );
        const p = page(matching, input.Marker, pageSize);
        return { DBClusterSnapshots: p.items, Marker: p.next };
      },
    );
  mock
    .on(ModifyDBInstanceCommand)
    .callsFake((input: { DBInstanceIdentifier: string; DeletionProtection?: boolean }) => {
      mutations.push(`ModifyDBInstance ${input.DBInstanceIdentifier}`);
      const found = instances.get(input.DBInstanceIdentifier);
      if (!found) throw fault('DBInstanceNotFoundFault');
      if (input.DeletionProtection !== undefined) found.DeletionProtection = input.DeletionProtection;
      return { DBInstance: found };
    });
  mock
    .on(ModifyDBClusterCommand)
    .callsFake((input: { DBClusterIdentifier: string; DeletionProtection?: boolean }) => {
      mutations.push(`ModifyDBCluster ${input.DBClusterIdentifier}`);
      const found = clusters.get(input.DBClusterIdentifier);
      if (!found) throw fault('DBClusterNotFoundFault');
      if (input.DeletionProtection !== undefined) found.DeletionProtection = input.DeletionProtection;
      return { DBCluster: found };
    });
  mock.on(DeleteDBInstanceCommand).callsFake((input: { DBInstanceIdentifier: string }) => {
    mutations.push(`DeleteDBInstance ${input.DBInstanceIdentifier}`);
    const found = instances.get(input.DBInstanceIdentifier);
    if (!found) throw fault('DBInstanceNotFoundFault');
    if (found.DeletionProtection) throw fault('InvalidParameterCombination', 'deletion protection is on');
    instances.delete(input.DBInstanceIdentifier);
    return { DBInstance: found };
  });
  mock.on(DeleteDBClusterCommand).callsFake((input: { DBClusterIdentifier: string }) => {
    mutations.push(`DeleteDBCluster ${input.DBClusterIdentifier}`);
    const found = clusters.get(input.DBClusterIdentifier);
    if (!found) throw fault('DBClusterNotFoundFault');
    if (found.DeletionProtection) throw fault('InvalidParameterCombination', 'deletion protection is on');
    if ([...instances.values()].some((i) => i.DBClusterIdentifier === input.DBClusterIdentifier)) {
      throw fault('InvalidDBClusterStateFault', 'the cluster still has instances');
    }
    clusters.delete(input.DBClusterIdentifier);
    return { DBCluster: found };
  });
  mock.on(DeleteDBClusterSnapshotCommand).callsFake((input: { DBClusterSnapshotIdentifier: string }) => {
    mutations.push(`DeleteDBClusterSnapshot ${input.DBClusterSnapshotIdentifier}`);
    const found = snapshots.get(input.DBClusterSnapshotIdentifier);
    if (!found) throw fault('DBClusterSnapshotNotFoundFault');
    snapshots.delete(input.DBClusterSnapshotIdentifier);
    return { DBClusterSnapshot: found };
  });

  return {
    client,
    mock,
    instances,
    clusters,
    snapshots,
    mutations: () => [...mutations],
    laterPages: () => laterPages,
  };
}

/** The restore-proof tags of a run, expiring at `expires` (omit the expiry with null). */
export function runTags(runId: string, expires: string | null = '2026-01-01T00:00:00.000Z') {
  return [{ Key: RUN_TAG, Value: runId }, ...(expires ? [{ Key: EXPIRES_TAG, Value: expires }] : [])];
}
