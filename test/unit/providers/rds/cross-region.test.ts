/**
 * The cross-region path of the Aurora provider with mocked per-region clients: what is resolved and refused
 * before anything is created, what the copy and the restore in the target region send, and region-aware
 * cleanup. Also: the SDK itself presigns a copy whose source ARN names another region.
 */
import {
  CopyDBClusterSnapshotCommand,
  CreateDBInstanceCommand,
  DeleteDBClusterCommand,
  DeleteDBClusterSnapshotCommand,
  DeleteDBInstanceCommand,
  DescribeDBClusterParametersCommand,
  DescribeDBClustersCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBInstancesCommand,
  ModifyDBClusterCommand,
  RDSClient,
  RestoreDBClusterFromSnapshotCommand,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { memoryLogger } from '../../../../src/log/logger.js';
import { buildRestoreTestPlan } from '../../../../src/inputs/plan.js';
import { AuroraProvider } from '../../../../src/providers/rds/aurora.js';
import type { CreatedResource } from '../../../../src/providers/provider.js';
import { Timeline } from '../../../../src/time/timeline.js';

const RUN = '2611271234-abcdef';
const OURS = [{ Key: 'restore-proof:run', Value: RUN }];
const SNAP_ARN = (id: string) => `arn:aws:rds:us-east-1:123456789012:cluster-snapshot:${id}`;
const WEST_KEY = 'arn:aws:kms:us-west-2:123456789012:key/11111111-2222-3333-4444-555555555555';

function setup() {
  const eastClient = new RDSClient({ region: 'us-east-1' });
  const westClient = new RDSClient({ region: 'us-west-2' });
  const east = mockClient(eastClient);
  const west = mockClient(westClient);
  east.on(DescribeDBClustersCommand).resolves({
    DBClusters: [
      {
        DBClusterIdentifier: 'prod-db',
        DBClusterArn: 'arn:aws:rds:us-east-1:123456789012:cluster:prod-db',
        Engine: 'aurora-postgresql',
        EngineVersion: '15.4',
        StorageEncrypted: true,
        KmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/east',
        DBSubnetGroup: 'prod-subnets',
        DBClusterParameterGroup: 'prod-params',
        VpcSecurityGroups: [{ VpcSecurityGroupId: 'sg-0123456789abcdef0' }],
        DBClusterMembers: [{ DBInstanceIdentifier: 'prod-db-writer', IsClusterWriter: true }],
        MasterUsername: 'postgres',
      },
    ],
  });
  east.on(DescribeDBInstancesCommand).resolves({ DBInstances: [{ DBInstanceClass: 'db.r6g.large' }] });
  east.on(DescribeDBClusterParametersCommand).resolves({ Parameters: [] });
  east.on(DescribeDBClusterSnapshotsCommand).resolves({
    DBClusterSnapshots: [
      {
        DBClusterSnapshotIdentifier: 'rds:prod-db-2026-11-26-03-10',
        DBClusterSnapshotArn: SNAP_ARN('rds:prod-db-2026-11-26-03-10'),
        Status: 'available',
        StorageEncrypted: true,
        SnapshotCreateTime: new Date('2026-11-26T03:10:00Z'),
      },
      {
        DBClusterSnapshotIdentifier: 'rds:prod-db-2026-11-27-03-10',
        DBClusterSnapshotArn: SNAP_ARN('rds:prod-db-2026-11-27-03-10'),
        Status: 'available',
        StorageEncrypted: true,
        SnapshotCreateTime: new Date('2026-11-27T03:10:00Z'),
      },
    ],
  });
  const provider = new AuroraProvider({
    region: 'us-east-1',
    client: eastClient,
    clientFor: (region) => {
      if (region !== 'us-west-2') throw new Error(`unexpected region ${region}`);
      return westClient;
    },
    sleep: async () => undefined,
    backoff: { initialMs: 1, maxMs: 1, factor: 1, jitter: 0 },
  });
  return { east, west, provider };
}

const plan = (extra: Record<string, string> = {}) =>
  buildRestoreTestPlan(
    {
      'source-cluster': 'prod-db',
      'aws-region': 'us-east-1',
      'target-region': 'us-west-2',
      'target-kms-key-id': WEST_KEY,
      ...extra,
    },
    {},
  );

const mutating = (mock: ReturnType<typeof mockClient>) =>
  mock.calls().filter((c) => /^(Restore|Create|Modify|Delete|Copy)/.test(c.args[0].constructor.name));

test('latest across regions resolves to the newest automated snapshot, by ARN, with its time', async () => {
  const { provider, west, east } = setup();
  const resolved = await provider.resolve(plan());
  expect(resolved.snapshotId).toBe(SNAP_ARN('rds:prod-db-2026-11-27-03-10'));
  expect(resolved.restoreTime).toEqual(new Date('2026-11-27T03:10:00Z'));
  expect(west.calls()).toHaveLength(0);
  expect(mutating(east)).toHaveLength(0);
});

test.each([
  [
    { 'target-kms-key-id': '' },
    /input 'target-kms-key-id' is required: snapshot rds:prod-db-2026-11-27-03-10/,
  ],
  // point-in-time and kms-key-id with target-region are refused by the plan itself (test/unit/plan.test.ts).
])('refused before anything is created: %j', async (extra, message) => {
  const { provider, west, east } = setup();
  await expect(provider.resolve(plan(extra))).rejects.toThrow(message);
  expect(west.calls()).toHaveLength(0);
  expect(mutating(east)).toHaveLength(0);
});

test('restore: copies into the target region, records it there, restores from it with target settings', async () => {
  const { provider, west, east } = setup();
  west.on(CopyDBClusterSnapshotCommand).resolves({ DBClusterSnapshot: { Status: 'copying' } });
  west
    .on(DescribeDBClusterSnapshotsCommand)
    .resolvesOnce({ DBClusterSnapshots: [{ Status: 'copying', PercentProgress: 40 }] })
    .resolves({ DBClusterSnapshots: [{ Status: 'available' }] });
  west.on(RestoreDBClusterFromSnapshotCommand).resolves({ DBCluster: { Status: 'creating' } });
  west.on(CreateDBInstanceCommand).resolves({});
  west.on(DescribeDBClustersCommand).resolves({
    DBClusters: [{ Status: 'available', TagList: OURS, KmsKeyId: WEST_KEY, Endpoint: 'copy.us-west-2' }],
  });
  west.on(DescribeDBInstancesCommand).resolves({ DBInstances: [{ DBInstanceStatus: 'available' }] });
  west.on(ModifyDBClusterCommand).resolves({});
  west.on(DescribeDBClusterParametersCommand).resolves({ Parameters: [] });

  const p = plan({
    'target-db-subnet-group': 'dr-subnets',
    'target-vpc-security-group-ids': 'sg-0aaaaaaaaaaaaaaaa',
  });
  const resolved = await provider.resolve(p);
  const recorded: CreatedResource[] = [];
  const logger = memoryLogger();
  const timeline = new Timeline();
  const target = await provider.restore({
    plan: p,
    resolved,
    runId: RUN,
    expiresAt: new Date('2026-11-27T15:00:00Z'),
    timeline,
    signal: new AbortController().signal,
    logger,
    clock: { now: () => new Date() },
    record: async (r) => {
      recorded.push(r);
    },
  });

  const copy = west.commandCalls(CopyDBClusterSnapshotCommand)[0]!.args[0].input;
  expect(copy).toMatchObject({
    SourceDBClusterSnapshotIdentifier: SNAP_ARN('rds:prod-db-2026-11-27-03-10'),
    TargetDBClusterSnapshotIdentifier: `restore-proof-${RUN}-snap`,
    KmsKeyId: WEST_KEY,
    CopyTags: false,
  });
  expect(copy.Tags).toEqual(expect.arrayContaining([{ Key: 'restore-proof:run', Value: RUN }]));
  const restore = west.commandCalls(RestoreDBClusterFromSnapshotCommand)[0]!.args[0].input;
  expect(restore).toMatchObject({
    DBClusterIdentifier: `restore-proof-${RUN}`,
    SnapshotIdentifier: `restore-proof-${RUN}-snap`,
    DBSubnetGroupName: 'dr-subnets',
    VpcSecurityGroupIds: ['sg-0aaaaaaaaaaaaaaaa'],
    KmsKeyId: WEST_KEY,
    DeletionProtection: false,
  });
  // The copy's instance is private, said explicitly (issue 13).
  expect(west.commandCalls(CreateDBInstanceCommand)[0]!.args[0].input).toMatchObject({
    DBInstanceIdentifier: `restore-proof-${RUN}-1`,
    PubliclyAccessible: false,
  });
  // The source's security groups and parameter group are regional: the target's own groups, or none.
  expect(restore.VpcSecurityGroupIds).toEqual(['sg-0aaaaaaaaaaaaaaaa']);
  expect(restore.DBClusterParameterGroupName).toBeUndefined();
  expect(mutating(east)).toHaveLength(0);

  expect(recorded.map((r) => [r.kind, r.id, r.region])).toEqual([
    ['snapshot', `restore-proof-${RUN}-snap`, 'us-west-2'],
    ['cluster', `restore-proof-${RUN}`, 'us-west-2'],
    ['instance', `restore-proof-${RUN}-1`, 'us-west-2'],
  ]);
  expect(timeline.phases.map((x) => x.name)).toEqual([
    'snapshot-copy',
    'restore-request',
    'cluster-available',
    'instance-available',
    'credentials-reset',
  ]);
  expect(timeline.phases.every((x) => x.counts === 'recovery')).toBe(true);
  expect(logger.lines.join('\n')).toMatch(/snapshot copy restore-proof-\S+-snap in us-west-2: copying 40%/);
  expect(target).toMatchObject({
    region: 'us-west-2',
    copiedSnapshotId: `restore-proof-${RUN}-snap`,
    snapshotId: SNAP_ARN('rds:prod-db-2026-11-27-03-10'),
  });
});

test('cleanup deletes each resource in its own region: instances, clusters, then snapshots', async () => {
  const { provider, west, east } = setup();
  west
    .on(DescribeDBInstancesCommand)
    .resolves({ DBInstances: [{ TagList: OURS, DBInstanceStatus: 'available' }] });
  west.on(DescribeDBClustersCommand).resolves({ DBClusters: [{ TagList: OURS, Status: 'available' }] });
  west
    .on(DescribeDBClusterSnapshotsCommand)
    .resolves({ DBClusterSnapshots: [{ TagList: OURS, Status: 'available' }] });
  west.on(DeleteDBInstanceCommand).resolves({});
  west.on(DeleteDBClusterCommand).resolves({});
  west.on(DeleteDBClusterSnapshotCommand).resolves({});
  const resources: CreatedResource[] = [
    { kind: 'snapshot', id: `restore-proof-${RUN}-snap`, region: 'us-west-2', runId: RUN },
    { kind: 'cluster', id: `restore-proof-${RUN}`, region: 'us-west-2', runId: RUN },
    { kind: 'instance', id: `restore-proof-${RUN}-1`, region: 'us-west-2', runId: RUN },
  ];
  const outcome = await provider.cleanup(resources, RUN, memoryLogger());
  expect(outcome.status).toBe('deleted');
  const deletes = west
    .calls()
    .map((c) => c.args[0].constructor.name)
    .filter((n) => n.startsWith('Delete'));
  expect(deletes).toEqual([
    'DeleteDBInstanceCommand',
    'DeleteDBClusterCommand',
    'DeleteDBClusterSnapshotCommand',
  ]);
  expect(east.calls()).toHaveLength(0);
});

test("cleanup refuses a snapshot that lacks this run's tag", async () => {
  const { provider, west } = setup();
  west.on(DescribeDBClusterSnapshotsCommand).resolves({
    DBClusterSnapshots: [{ TagList: [{ Key: 'restore-proof:run', Value: '2611270000-999999' }] }],
  });
  const outcome = await provider.cleanup(
    [{ kind: 'snapshot', id: `restore-proof-${RUN}-snap`, region: 'us-west-2', runId: RUN }],
    RUN,
    memoryLogger(),
  );
  expect(outcome.status).toBe('failed');
  expect(outcome.resources[0]!.error).toMatch(
    /refusing to touch snapshot .* belongs to run 2611270000-999999/,
  );
  expect(west.commandCalls(DeleteDBClusterSnapshotCommand)).toHaveLength(0);
});

test('the SDK presigns a copy whose source ARN is in another region (no SourceRegion parameter needed)', async () => {
  let body = '';
  const client = new RDSClient({
    region: 'us-west-2',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    requestHandler: {
      handle: async (request: { body?: string }) => {
        body = String(request.body);
        throw new Error('captured');
      },
    },
  });
  await expect(
    client.send(
      new CopyDBClusterSnapshotCommand({
        SourceDBClusterSnapshotIdentifier: SNAP_ARN('prod-db-before-drill'),
        TargetDBClusterSnapshotIdentifier: `restore-proof-${RUN}-snap`,
        KmsKeyId: WEST_KEY,
      }),
    ),
  ).rejects.toThrow('captured');
  const presigned = new URL(new URLSearchParams(body).get('PreSignedUrl')!);
  expect(presigned.hostname).toBe('rds.us-east-1.amazonaws.com');
  expect(presigned.searchParams.get('Action')).toBe('CopyDBClusterSnapshot');
  expect(presigned.searchParams.get('DestinationRegion')).toBe('us-west-2');
  expect(presigned.searchParams.get('KmsKeyId')).toBe(WEST_KEY);
  expect(presigned.searchParams.get('X-Amz-Credential')).toMatch(/\/us-east-1\/rds\/aws4_request$/);
});
