/** The RDS for PostgreSQL instance provider with a mocked client: window, refusals, what a restore sends. */
import {
  DescribeDBInstanceAutomatedBackupsCommand,
  DescribeDBInstancesCommand,
  DescribeDBParametersCommand,
  DescribeDBSnapshotsCommand,
  ModifyDBInstanceCommand,
  RDSClient,
  RestoreDBInstanceToPointInTimeCommand,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { memoryLogger } from '../../../../src/log/logger.js';
import { buildRestoreTestPlan } from '../../../../src/inputs/plan.js';
import { createProvider, providerForPlan } from '../../../../src/providers/registry.js';
import { RdsInstanceProvider } from '../../../../src/providers/rds/instance.js';
import { Timeline } from '../../../../src/time/timeline.js';

const RUN = '2611271234-abcdef';
const SOURCE = {
  DBInstanceIdentifier: 'prod-pg',
  DBInstanceArn: 'arn:aws:rds:us-east-1:123456789012:db:prod-pg',
  Engine: 'postgres',
  EngineVersion: '16.3',
  DBInstanceClass: 'db.m6g.large',
  StorageEncrypted: true,
  KmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/east',
  DBSubnetGroup: { DBSubnetGroupName: 'prod-subnets' },
  VpcSecurityGroups: [{ VpcSecurityGroupId: 'sg-0123456789abcdef0' }],
  DBParameterGroups: [{ DBParameterGroupName: 'prod-pg16' }],
  MasterUsername: 'postgres',
  LatestRestorableTime: new Date('2026-11-27T12:00:00Z'),
  InstanceCreateTime: new Date('2026-01-01T00:00:00Z'),
};

function setup(source: Record<string, unknown> = SOURCE) {
  const client = new RDSClient({ region: 'us-east-1' });
  const rds = mockClient(client);
  rds.on(DescribeDBInstancesCommand, { DBInstanceIdentifier: 'prod-pg' }).resolves({ DBInstances: [source] });
  rds.on(DescribeDBParametersCommand).resolves({
    Parameters: [{ ParameterName: 'rds.force_ssl', ParameterValue: '1' }],
  });
  rds.on(DescribeDBInstanceAutomatedBackupsCommand).resolves({
    DBInstanceAutomatedBackups: [
      {
        DBInstanceArn: SOURCE.DBInstanceArn,
        Status: 'active',
        RestoreWindow: { EarliestTime: new Date('2026-10-23T12:00:00Z') },
      },
    ],
  });
  const provider = new RdsInstanceProvider({
    region: 'us-east-1',
    client,
    sleep: async () => undefined,
    backoff: { initialMs: 1, maxMs: 1, factor: 1, jitter: 0 },
    random: () => 0,
  });
  return { rds, provider };
}

const plan = (extra: Record<string, string> = {}) =>
  buildRestoreTestPlan({ 'source-instance': 'prod-pg', 'aws-region': 'us-east-1', ...extra }, {});

test('source-instance routes to the instance provider, which has its own name', () => {
  const provider = providerForPlan(plan());
  expect(provider).toBeInstanceOf(RdsInstanceProvider);
  expect(provider.name).toBe('rds-instance');
});

test('the post step builds it again from the name it saved', () => {
  expect(createProvider('rds-instance', 'us-east-1')).toBeInstanceOf(RdsInstanceProvider);
  expect(() => createProvider('rds-instance', undefined)).toThrow(/aws-region is required/);
});

test("the restorable window starts at the automated backups' RestoreWindow", async () => {
  const { provider } = setup();
  const resolved = await provider.resolve(
    plan({ 'restore-type': 'point-in-time', 'restore-time': 'random' }),
  );
  expect(resolved.restoreTime).toEqual(new Date('2026-10-23T12:00:00Z'));
  expect(resolved.source).toMatchObject({
    kind: 'rds-instance',
    forceSsl: '1',
    dbSubnetGroup: 'prod-subnets',
  });
  await expect(
    provider.resolve(plan({ 'restore-type': 'point-in-time', 'restore-time': '2026-10-01T00:00:00Z' })),
  ).rejects.toThrow(/must lie inside the restorable window of prod-pg: 2026-10-23T12:00:00.000Z/);
});

test('without a readable RestoreWindow the oldest automated snapshot bounds the window', async () => {
  const { rds, provider } = setup();
  rds
    .on(DescribeDBInstanceAutomatedBackupsCommand)
    .rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
  rds.on(DescribeDBSnapshotsCommand).resolves({
    DBSnapshots: [
      { SnapshotCreateTime: new Date('2026-11-01T03:00:00Z'), Status: 'available' },
      { SnapshotCreateTime: new Date('2026-10-25T03:00:00Z'), Status: 'available' },
    ],
  });
  const resolved = await provider.resolve(
    plan({ 'restore-type': 'point-in-time', 'restore-time': 'random' }),
  );
  expect(resolved.restoreTime).toEqual(new Date('2026-10-25T03:00:00Z'));
});

test.each([
  [
    { ...SOURCE, Engine: 'mysql' },
    {},
    /input 'source-instance' accepts an RDS for PostgreSQL instance .* runs mysql/,
  ],
  [
    { ...SOURCE, Engine: 'aurora-postgresql', DBClusterIdentifier: 'prod-db' },
    {},
    /runs aurora-postgresql in cluster prod-db \(use source-cluster\)/,
  ],
  // target-region with source-instance is refused by the plan itself (test/unit/plan.test.ts).
])('refused before anything is created (%#)', async (source, extra, message) => {
  const { rds, provider } = setup(source);
  await expect(provider.resolve(plan(extra))).rejects.toThrow(message);
  expect(rds.calls().filter((c) => /^(Restore|Modify|Delete)/.test(c.args[0].constructor.name))).toHaveLength(
    0,
  );
});

test('restore: one private, single-AZ instance with the source settings; password reset on our own copy', async () => {
  const { rds, provider } = setup();
  const copy = {
    ...SOURCE,
    DBInstanceIdentifier: `restore-proof-${RUN}`,
    DBInstanceStatus: 'available',
    PubliclyAccessible: false,
    DeletionProtection: false,
    Endpoint: { Address: 'copy.rds', Port: 5432 },
    TagList: [{ Key: 'restore-proof:run', Value: RUN }],
  };
  rds
    .on(DescribeDBInstancesCommand, { DBInstanceIdentifier: `restore-proof-${RUN}` })
    .resolves({ DBInstances: [copy] });
  rds.on(RestoreDBInstanceToPointInTimeCommand).resolves({});
  rds.on(ModifyDBInstanceCommand).resolves({});
  const p = plan({ 'restore-type': 'point-in-time', 'restore-time': '2026-11-20T00:00:00Z' });
  const resolved = await provider.resolve(p);
  const recorded: string[] = [];
  const logger = memoryLogger();
  const target = await provider.restore({
    plan: p,
    resolved,
    runId: RUN,
    expiresAt: new Date('2026-11-27T15:00:00Z'),
    timeline: new Timeline(),
    signal: new AbortController().signal,
    logger,
    clock: { now: () => new Date() },
    record: async (r) => {
      recorded.push(`${r.kind} ${r.id} ${r.region}`);
    },
  });
  const input = rds.commandCalls(RestoreDBInstanceToPointInTimeCommand)[0]!.args[0].input;
  expect(input).toMatchObject({
    SourceDBInstanceIdentifier: 'prod-pg',
    TargetDBInstanceIdentifier: `restore-proof-${RUN}`,
    RestoreTime: new Date('2026-11-20T00:00:00Z'),
    DBInstanceClass: 'db.m6g.large',
    DBSubnetGroupName: 'prod-subnets',
    VpcSecurityGroupIds: ['sg-0123456789abcdef0'],
    DBParameterGroupName: 'prod-pg16',
    PubliclyAccessible: false,
    MultiAZ: false,
    DeletionProtection: false,
  });
  expect(input.Tags).toEqual(expect.arrayContaining([{ Key: 'restore-proof:run', Value: RUN }]));
  expect(recorded).toEqual([`instance restore-proof-${RUN} us-east-1`]);
  const modify = rds.commandCalls(ModifyDBInstanceCommand)[0]!.args[0].input;
  expect(modify.DBInstanceIdentifier).toBe(`restore-proof-${RUN}`);
  expect(logger.lines.join('\n')).not.toContain(modify.MasterUserPassword!);
  expect(target).toMatchObject({
    provider: 'rds-instance',
    restoredCluster: `restore-proof-${RUN}`,
    restoredInstance: `restore-proof-${RUN}`,
    targetTime: '2026-11-20T00:00:00.000Z',
    copy: { publiclyAccessible: false, forceSsl: '1', storageEncrypted: true },
    connection: { host: 'copy.rds', port: 5432, user: 'postgres' },
  });
});
