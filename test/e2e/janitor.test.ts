/** command: janitor against moto, through the built action: only expired, properly named and tagged resources go. */
import {
  CreateDBClusterCommand,
  CreateDBClusterSnapshotCommand,
  CreateDBInstanceCommand,
  DescribeDBClustersCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBInstancesCommand,
  type RDSClient,
} from '@aws-sdk/client-rds';
import { createSourceCluster, motoClient, REGION } from '../support/aurora-fixture.js';
import { startMoto, type Moto } from '../support/moto.js';
import { runStep } from '../support/runner.js';

let moto: Moto;
let rds: RDSClient;
const PAST = '2026-01-01T00:00:00.000Z';
const FUTURE = '2999-01-01T00:00:00.000Z';
const tags = (run: string, expires: string) => [
  { Key: 'restore-proof:run', Value: run },
  { Key: 'restore-proof:expires-at', Value: expires },
];

async function cluster(id: string, t: { Key: string; Value: string }[], protect = false): Promise<void> {
  await rds.send(
    new CreateDBClusterCommand({
      DBClusterIdentifier: id,
      Engine: 'aurora-postgresql',
      MasterUsername: 'postgres',
      MasterUserPassword: 'password-123',
      DeletionProtection: protect,
      Tags: t,
    }),
  );
}

beforeAll(async () => {
  moto = await startMoto();
  rds = motoClient(moto.endpoint);
});
afterAll(async () => moto?.stop());

beforeEach(async () => {
  await moto.reset();
  await createSourceCluster(rds);
  await cluster('restore-proof-2611010000-aaaaaa', []); // looks like ours, carries no tags
  await cluster('restore-proof-2611010000-bbbbbb', tags('2611010000-bbbbbb', PAST), true); // expired
  await rds.send(
    new CreateDBInstanceCommand({
      DBInstanceIdentifier: 'restore-proof-2611010000-bbbbbb-1',
      DBClusterIdentifier: 'restore-proof-2611010000-bbbbbb',
      Engine: 'aurora-postgresql',
      DBInstanceClass: 'db.r6g.large',
      Tags: tags('2611010000-bbbbbb', PAST),
    }),
  );
  await cluster('restore-proof-2611010000-cccccc', tags('2611010000-cccccc', FUTURE)); // not yet expired
  await cluster('analytics-db', tags('2611010000-dddddd', PAST)); // mislabelled: tags say ours, name does not
  await rds.send(
    new CreateDBClusterSnapshotCommand({
      DBClusterSnapshotIdentifier: 'restore-proof-2611010000-eeeeee',
      DBClusterIdentifier: 'restore-proof-2611010000-cccccc',
      Tags: tags('2611010000-eeeeee', PAST),
    }),
  );
});

const env = () => ({
  AWS_ENDPOINT_URL: moto.endpoint,
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
});

async function inventory(): Promise<string[]> {
  const clusters = (await rds.send(new DescribeDBClustersCommand({}))).DBClusters ?? [];
  const instances = (await rds.send(new DescribeDBInstancesCommand({}))).DBInstances ?? [];
  const snapshots =
    (await rds.send(new DescribeDBClusterSnapshotsCommand({ SnapshotType: 'manual' }))).DBClusterSnapshots ??
    [];
  return [
    ...clusters.map((c) => `cluster ${c.DBClusterIdentifier}`),
    ...instances.map((i) => `instance ${i.DBInstanceIdentifier}`),
    ...snapshots.map((s) => `snapshot ${s.DBClusterSnapshotIdentifier}`),
  ].sort();
}

test('dry run lists the expired resources and deletes nothing', async () => {
  const before = await inventory();
  const r = await runStep('main', {
    inputs: { command: 'janitor', 'aws-region': REGION, 'dry-run': 'true' },
    env: env(),
  });
  expect(r.code).toBe(0);
  expect(await inventory()).toEqual(before);
  expect(r.summary).toContain('(dry run)');
  expect(r.summary).toMatch(/\| instance \| `restore-proof-2611010000-bbbbbb-1` \| .* \| would-delete \|/);
  expect(r.summary).toMatch(/\| cluster \| `restore-proof-2611010000-bbbbbb` \| .* \| would-delete \|/);
  expect(r.summary).toMatch(/\| snapshot \| `restore-proof-2611010000-eeeeee` \| .* \| would-delete \|/);
  expect(r.summary).toMatch(/\| cluster \| `analytics-db` \| .* \| refused \|/);
});

test('a sweep deletes only expired, named and tagged resources, instances first', async () => {
  const r = await runStep('main', { inputs: { command: 'janitor', 'aws-region': REGION }, env: env() });
  expect(r.code).toBe(0);
  expect(await inventory()).toEqual(
    [
      'cluster analytics-db',
      'cluster prod-db',
      'cluster restore-proof-2611010000-aaaaaa',
      'cluster restore-proof-2611010000-cccccc',
      'instance prod-db-writer',
    ].sort(),
  );
  const deletions = r.stdout.split('\n').filter((l) => l.startsWith('janitor: deleted'));
  expect(deletions[0]).toContain('instance restore-proof-2611010000-bbbbbb-1');
  expect(r.stdout).toMatch(
    /refusing to touch cluster 'analytics-db': its name lacks the restore-proof-<run> pattern/,
  );
  expect(r.stdout).toContain('janitor: 3 deleted, 1 refused, 0 failed');
});
