/**
 * restore-parameter-group and restore-instance-parameter-group against moto_server: the restore and create
 * calls carry them (read back from the copy moto made), a group that does not exist or is of another
 * family is refused at resolve with nothing created, and a source group that preloads pg_cron is reported
 * on the copy as a scheduler warning unless the drill replaced it.
 */
import {
  CreateDBClusterCommand,
  CreateDBInstanceCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  type RDSClient,
} from '@aws-sdk/client-rds';
import { accessChecks } from '../../../../src/checks/access.js';
import { buildRestoreTestPlan } from '../../../../src/inputs/plan.js';
import type { RawInputs } from '../../../../src/inputs/names.js';
import { memoryLogger } from '../../../../src/log/logger.js';
import type { Target } from '../../../../src/model/types.js';
import { expiresAt, newRunId } from '../../../../src/providers/ownership.js';
import type { CreatedResource, Provider } from '../../../../src/providers/provider.js';
import { AuroraProvider } from '../../../../src/providers/rds/aurora.js';
import { RdsInstanceProvider } from '../../../../src/providers/rds/instance.js';
import { systemClock, Timeline } from '../../../../src/time/timeline.js';
import { KMS_KEY, leftovers, motoClient, preloadGroup, REGION } from '../../../support/aurora-fixture.js';
import { startMoto, type Moto } from '../../../support/moto.js';

let moto: Moto;
let rds: RDSClient;

beforeAll(async () => {
  moto = await startMoto();
  rds = motoClient(moto.endpoint);
});

afterAll(async () => moto?.stop());

beforeEach(async () => {
  await moto.reset();
  await preloadGroup(rds, 'cluster', 'prod-aurora-pg15', 'pg_stat_statements,pg_cron', 'aurora-postgresql15');
  await preloadGroup(rds, 'cluster', 'drill-aurora-pg15', 'pg_stat_statements', 'aurora-postgresql15');
  await preloadGroup(rds, 'cluster', 'old-aurora-pg14', 'pg_stat_statements', 'aurora-postgresql14');
  await preloadGroup(
    rds,
    'instance',
    'drill-aurora-instance-pg15',
    'pg_stat_statements',
    'aurora-postgresql15',
  );
  await rds.send(
    new CreateDBClusterCommand({
      DBClusterIdentifier: 'prod-db',
      Engine: 'aurora-postgresql',
      EngineVersion: '15.4',
      MasterUsername: 'postgres',
      MasterUserPassword: 'production-password-1',
      DatabaseName: 'app',
      StorageEncrypted: true,
      KmsKeyId: KMS_KEY,
      BackupRetentionPeriod: 35,
      DBClusterParameterGroupName: 'prod-aurora-pg15',
      VpcSecurityGroupIds: ['sg-0123456789abcdef0'],
    }),
  );
  await rds.send(
    new CreateDBInstanceCommand({
      DBInstanceIdentifier: 'prod-db-writer',
      DBClusterIdentifier: 'prod-db',
      Engine: 'aurora-postgresql',
      DBInstanceClass: 'db.r6g.large',
    }),
  );
});

afterEach(async () => {
  expect(await leftovers(rds)).toEqual([]);
});

const fast = { sleep: async () => undefined, backoff: { initialMs: 1, maxMs: 5, factor: 1, jitter: 0 } };

/** Resolves and restores through `provider`, hands the copy to `inspect` while it exists, then deletes it. */
async function drill(
  provider: Provider,
  raw: RawInputs,
  inspect: (target: Target, runId: string) => Promise<void>,
): Promise<void> {
  const plan = buildRestoreTestPlan({ 'aws-region': REGION, ...raw }, {});
  const logger = memoryLogger();
  const runId = newRunId(new Date());
  const created: CreatedResource[] = [];
  const timeline = new Timeline(systemClock);
  try {
    const resolved = await provider.resolve(plan, new AbortController().signal);
    const target = await provider.restore({
      plan,
      resolved,
      runId,
      expiresAt: expiresAt(timeline.startedAt, plan.timeoutMinutes),
      timeline,
      signal: new AbortController().signal,
      logger,
      clock: systemClock,
      record: async (r) => void created.push(r),
    });
    await inspect(target, runId);
  } finally {
    const outcome = await provider.cleanup(created, runId, logger);
    expect(outcome.resources.filter((r) => r.outcome === 'failed')).toEqual([]);
  }
}

const aurora = () => new AuroraProvider({ region: REGION, client: rds, ...fast });

async function copyOf(runId: string) {
  const id = `restore-proof-${runId}`;
  const cluster = (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id })))
    .DBClusters![0]!;
  const instance = (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: `${id}-1` })))
    .DBInstances?.[0];
  return { cluster, instance };
}

test('Aurora latest: the restore carries restore-parameter-group, the instance restore-instance-parameter-group', async () => {
  await drill(
    aurora(),
    {
      'source-cluster': 'prod-db',
      'restore-parameter-group': 'drill-aurora-pg15',
      'restore-instance-parameter-group': 'drill-aurora-instance-pg15',
    },
    async (target, runId) => {
      const { cluster, instance } = await copyOf(runId);
      expect(cluster.DBClusterParameterGroup).toBe('drill-aurora-pg15');
      expect(instance?.DBParameterGroups?.[0]?.DBParameterGroupName).toBe('drill-aurora-instance-pg15');
      expect(target.source.preloadLibraries).toEqual(['pg_stat_statements', 'pg_cron']);
      expect(target.copy.preloadLibraries).toEqual(['pg_stat_statements']);
      const scheduler = accessChecks(
        buildRestoreTestPlan(
          {
            'source-cluster': 'prod-db',
            'aws-region': REGION,
            'restore-parameter-group': 'drill-aurora-pg15',
          },
          {},
        ),
        target,
      ).find((c) => c.id === 'access:copy-scheduler')!;
      expect(scheduler.status).toBe('pass');
      expect(scheduler.summary).toContain('though production preloads pg_cron');
    },
  );
});

test("Aurora without restore-parameter-group: the copy gets the source's group, and pg_cron on it is a warning", async () => {
  await drill(aurora(), { 'source-cluster': 'prod-db' }, async (target, runId) => {
    const { cluster } = await copyOf(runId);
    expect(cluster.DBClusterParameterGroup).toBe('prod-aurora-pg15');
    const scheduler = accessChecks({}, target).find((c) => c.id === 'access:copy-scheduler')!;
    expect(scheduler.status).toBe('warn');
    expect(scheduler.summary).toMatch(
      /^the copy \(prod-aurora-pg15 and default\.aurora-postgresql15\) preloads the scheduler pg_cron/,
    );
    expect(scheduler.summary).toContain('set restore-parameter-group');
  });
});

test('Aurora snapshot restore: RestoreDBClusterFromSnapshot carries restore-parameter-group', async () => {
  await drill(
    aurora(),
    {
      'source-cluster': 'prod-db',
      'restore-type': 'snapshot',
      'restore-parameter-group': 'drill-aurora-pg15',
    },
    async (_target, runId) => {
      expect((await copyOf(runId)).cluster.DBClusterParameterGroup).toBe('drill-aurora-pg15');
    },
  );
});

test('a group that does not exist, or of another family, is refused at resolve: one line, nothing created', async () => {
  const resolve = (raw: RawInputs) =>
    aurora().resolve(buildRestoreTestPlan({ 'aws-region': REGION, 'source-cluster': 'prod-db', ...raw }, {}));
  await expect(resolve({ 'restore-parameter-group': 'no-such-group' })).rejects.toThrow(
    /^input 'restore-parameter-group' names no DB cluster parameter group in us-east-1; got 'no-such-group'$/,
  );
  await expect(resolve({ 'restore-parameter-group': 'old-aurora-pg14' })).rejects.toThrow(
    /^input 'restore-parameter-group' names a DB cluster parameter group of family aurora-postgresql14; the copy restores as engine version 15\.4, which takes a group of family aurora-postgresql15/,
  );
  await expect(resolve({ 'restore-instance-parameter-group': 'drill-aurora-pg15' })).rejects.toThrow(
    /^input 'restore-instance-parameter-group' names no DB parameter group in us-east-1/,
  );
});

test('RDS instance: RestoreDBInstanceToPointInTime carries restore-parameter-group', async () => {
  await preloadGroup(rds, 'instance', 'prod-pg16', 'pg_cron', 'postgres16');
  await preloadGroup(rds, 'instance', 'drill-pg16', '', 'postgres16');
  await rds.send(
    new CreateDBInstanceCommand({
      DBInstanceIdentifier: 'prod-pg',
      Engine: 'postgres',
      EngineVersion: '16.3',
      DBInstanceClass: 'db.m6g.large',
      MasterUsername: 'postgres',
      MasterUserPassword: 'production-password-1',
      DBName: 'app',
      AllocatedStorage: 100,
      BackupRetentionPeriod: 35,
      DBParameterGroupName: 'prod-pg16',
    }),
  );
  const provider = new RdsInstanceProvider({ region: REGION, client: rds, ...fast });
  await drill(
    provider,
    { 'source-instance': 'prod-pg', 'restore-parameter-group': 'drill-pg16' },
    async (target, runId) => {
      const copy = (
        await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: `restore-proof-${runId}` }))
      ).DBInstances![0]!;
      expect(copy.DBParameterGroups?.[0]?.DBParameterGroupName).toBe('drill-pg16');
      expect(target.source.preloadLibraries).toEqual(['pg_cron']);
      expect(target.copy.preloadLibraries).toEqual([]);
    },
  );
});
