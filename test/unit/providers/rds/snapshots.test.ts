/** The snapshot both RDS providers restore from: snapshot-id, else the newest available automated one, all pages read. */
import { DescribeDBSnapshotsCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { RdsRegion } from '../../../../src/providers/rds/region.js';
import { CLUSTER_SNAPSHOTS, DB_SNAPSHOTS, resolveSnapshot } from '../../../../src/providers/rds/snapshots.js';
import { fakeRds } from '../../../support/fake-rds.js';

const at = (day: number) => new Date(`2026-11-${String(day).padStart(2, '0')}T03:10:00Z`);

function clusterSnapshots() {
  const rds = fakeRds('us-east-1', 2);
  const add = (id: string, day: number, status = 'available', cluster = 'prod-db', type = 'automated') =>
    rds.snapshots.set(id, {
      DBClusterSnapshotIdentifier: id,
      DBClusterIdentifier: cluster,
      SnapshotType: type,
      Status: status,
      SnapshotCreateTime: at(day),
    });
  add('rds:prod-db-24', 24);
  add('rds:prod-db-26', 26);
  add('rds:prod-db-25', 25);
  add('rds:prod-db-27', 27); // newest available: on the second page
  add('rds:prod-db-28', 28, 'creating'); // newer, not available yet
  add('rds:other-db-29', 29, 'available', 'other-db'); // another cluster's
  add('before-upgrade', 30, 'available', 'prod-db', 'manual'); // manual, not automated
  return { rds, api: new RdsRegion('us-east-1', rds.client) };
}

test('latest: the newest available automated snapshot of the source, across pages', async () => {
  const { rds, api } = clusterSnapshots();
  const snapshot = await resolveSnapshot({}, api, 'prod-db', CLUSTER_SNAPSHOTS);
  expect(snapshot.DBClusterSnapshotIdentifier).toBe('rds:prod-db-27');
  expect(rds.laterPages()).toBeGreaterThan(0);
  expect(rds.mutations()).toEqual([]);
});

test('snapshot-id names one that must exist and be available', async () => {
  const { api } = clusterSnapshots();
  const named = await resolveSnapshot({ snapshotId: 'before-upgrade' }, api, 'prod-db', CLUSTER_SNAPSHOTS);
  expect(named.SnapshotCreateTime).toEqual(at(30));
  await expect(resolveSnapshot({ snapshotId: 'nope' }, api, 'prod-db', CLUSTER_SNAPSHOTS)).rejects.toThrow(
    "input 'snapshot-id' names no DB cluster snapshot in us-east-1; got 'nope'",
  );
  await expect(
    resolveSnapshot({ snapshotId: 'rds:prod-db-28' }, api, 'prod-db', CLUSTER_SNAPSHOTS),
  ).rejects.toThrow(/names a snapshot that is not available \(status creating\)/);
});

test('a source without an available automated snapshot needs snapshot-id', async () => {
  const { api } = clusterSnapshots();
  await expect(resolveSnapshot({}, api, 'empty-db', CLUSTER_SNAPSHOTS)).rejects.toThrow(
    "input 'snapshot-id' is required: source cluster empty-db has no available automated snapshot",
  );
});

test('an RDS instance: DB snapshots, chosen the same way', async () => {
  const client = new RDSClient({ region: 'us-east-1' });
  const rds = mockClient(client);
  const snapshots = [
    { DBSnapshotIdentifier: 'rds:prod-pg-25', Status: 'available', SnapshotCreateTime: at(25) },
    { DBSnapshotIdentifier: 'rds:prod-pg-27', Status: 'available', SnapshotCreateTime: at(27) },
    { DBSnapshotIdentifier: 'rds:prod-pg-26', Status: 'available', SnapshotCreateTime: at(26) },
  ];
  rds
    .on(DescribeDBSnapshotsCommand)
    .callsFake((input: { DBSnapshotIdentifier?: string; Marker?: string }) => {
      if (input.DBSnapshotIdentifier) {
        const found = snapshots.find((s) => s.DBSnapshotIdentifier === input.DBSnapshotIdentifier);
        if (!found) throw Object.assign(new Error('gone'), { name: 'DBSnapshotNotFoundFault' });
        return { DBSnapshots: [found] };
      }
      const from = Number(input.Marker ?? 0);
      return { DBSnapshots: [snapshots[from]], Marker: from < 2 ? String(from + 1) : undefined };
    });
  const api = new RdsRegion('us-east-1', client);
  expect((await resolveSnapshot({}, api, 'prod-pg', DB_SNAPSHOTS)).DBSnapshotIdentifier).toBe(
    'rds:prod-pg-27',
  );
  expect(rds.commandCalls(DescribeDBSnapshotsCommand)[0]!.args[0].input).toMatchObject({
    DBInstanceIdentifier: 'prod-pg',
    SnapshotType: 'automated',
  });
  await expect(resolveSnapshot({ snapshotId: 'nope' }, api, 'prod-pg', DB_SNAPSHOTS)).rejects.toThrow(
    "input 'snapshot-id' names no DB snapshot in us-east-1",
  );
});
