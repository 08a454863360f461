/**
 * The built action against moto in realistic mode (test/support/realistic-rds.ts): statuses that take their
 * time, a master password the database takes only once RDS has applied it, a lagging latest restorable time,
 * Serverless v2 sources, older snapshots and GovCloud ARNs.
 */
import {
  CreateDBClusterCommand,
  CreateDBInstanceCommand,
  DescribeDBClusterSnapshotsCommand,
  type RDSClient,
} from '@aws-sdk/client-rds';
import { createSourceCluster, KMS_KEY, leftovers, motoClient } from '../support/aurora-fixture.js';
import { auroraDrillInputs, stepErrors as errors } from '../support/drill-servers.js';
import { startRealisticServers, type RealisticServers } from '../support/realistic-servers.js';
import { runStep, type StepResult } from '../support/runner.js';
import { tempDir } from '../support/temp-dir.js';

let servers: RealisticServers;
let rds: RDSClient;

beforeAll(async () => {
  servers = await startRealisticServers();
  rds = motoClient(servers.moto.endpoint);
});

afterAll(async () => servers?.stop());

beforeEach(async () => servers.reset());

afterEach(async () => {
  expect(await leftovers(rds)).toEqual([]);
});

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return auroraDrillInputs(servers.server, { 'report-dir': tempDir('reports'), ...extra });
}

function expectPass(r: StepResult): void {
  if (r.code !== 0) process.stdout.write(`main step output:\n${r.stdout}\n${r.stderr}\n`);
  expect(errors(r)).toEqual([]);
  expect(r.outputs.result).toBe('pass');
  expect(r.code).toBe(0);
}

/** An Aurora Serverless v2 source: a capacity range on the cluster, a db.serverless writer. */
async function createServerlessSource(client: RDSClient, scaling = true): Promise<void> {
  await client.send(
    new CreateDBClusterCommand({
      DBClusterIdentifier: 'prod-db',
      Engine: 'aurora-postgresql',
      EngineVersion: '15.4',
      MasterUsername: 'postgres',
      MasterUserPassword: 'production-password-1',
      DatabaseName: 'app',
      BackupRetentionPeriod: 7,
      StorageEncrypted: true,
      KmsKeyId: KMS_KEY,
      ...(scaling ? { ServerlessV2ScalingConfiguration: { MinCapacity: 0.5, MaxCapacity: 8 } } : {}),
    }),
  );
  await client.send(
    new CreateDBInstanceCommand({
      DBInstanceIdentifier: 'prod-db-writer',
      DBClusterIdentifier: 'prod-db',
      Engine: 'aurora-postgresql',
      DBInstanceClass: scaling ? 'db.serverless' : 'db.r6g.large',
    }),
  );
}

test('the drill waits until the password reset is applied, then logs in with it', async () => {
  await createSourceCluster(rds);
  const main = await runStep('main', { inputs: inputs(), env: servers.env() });
  expectPass(main);
  expect(servers.applied).toEqual([main.outputs['restored-cluster']]);
  // RDS reported the reset as pending first: the drill waited for it instead of logging in at once.
  expect(main.stdout).toMatch(/password reset on restore-proof-\S+: master-password-pending/);
});

test('a Serverless v2 source restores with its capacity range and a db.serverless instance', async () => {
  await createServerlessSource(rds);
  const main = await runStep('main', {
    inputs: inputs({ 'instance-class': 'db.serverless' }),
    env: servers.env(),
  });
  // realistic mode refuses a db.serverless instance in a cluster restored without a capacity range
  expectPass(main);
  expect(servers.proxy.calls).toContain('CreateDBInstance');
});

test("AWS's own refusal of a db.serverless instance reaches the user", async () => {
  await createServerlessSource(rds, false);
  const main = await runStep('main', {
    inputs: inputs({ 'instance-class': 'db.serverless' }),
    env: servers.env(),
  });
  expect(main.code).toBe(3);
  expect(errors(main).join('\n')).toMatch(
    /InvalidDBClusterStateFault: Set the Serverless v2 scaling configuration on the parent DB cluster/,
  );
});

test("a snapshot older than the source's engine restores with the snapshot's version", async () => {
  await createSourceCluster(rds);
  const snapshots =
    (await rds.send(new DescribeDBClusterSnapshotsCommand({ DBClusterIdentifier: 'prod-db' })))
      .DBClusterSnapshots ?? [];
  const id = snapshots[0]!.DBClusterSnapshotIdentifier!;
  servers.proxy.realistic!.options.snapshotEngineVersions = { [id]: '14.9' };
  try {
    const main = await runStep('main', {
      inputs: inputs({ 'restore-type': 'snapshot', 'snapshot-id': id }),
      env: servers.env(),
    });
    expectPass(main);
  } finally {
    servers.proxy.realistic!.options.snapshotEngineVersions = {};
  }
});

test('a GovCloud source restores with aws-us-gov ARNs only', async () => {
  const gov = motoClient(servers.moto.endpoint, 'us-gov-west-1');
  await createSourceCluster(gov);
  const main = await runStep('main', {
    inputs: inputs({ 'aws-region': 'us-gov-west-1' }),
    env: servers.env(),
  });
  expectPass(main);
  expect(await leftovers(gov)).toEqual([]);
});

// Once RDS reports the reset applied, the endpoint may refuse the new password for a few seconds more: the
// first query retries authentication failures for a bounded time (src/drill/first-query.ts AUTH_SETTLE_MS).
test('an authentication failure right after the reset is retried for a bounded time', async () => {
  await createSourceCluster(rds);
  servers.proxy.realistic!.options.applyLagMs = 3000;
  try {
    const main = await runStep('main', { inputs: inputs(), env: servers.env() });
    expectPass(main);
  } finally {
    servers.proxy.realistic!.options.applyLagMs = 0;
  }
});
