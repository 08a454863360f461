/**
 * command preflight's posture checks against moto_server (RDS and KMS), through the fault proxy. moto cannot
 * age a snapshot or hold LatestRestorableTime back (it always reports now), so those two figures come from
 * the proxy's rewrite rule; every other violation is a real cluster setting in moto.
 */
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  CreateDBClusterCommand,
  type CreateDBClusterCommandInput,
  type RDSClient,
} from '@aws-sdk/client-rds';
import { buildPlan } from '../../src/inputs/plan.js';
import { preflightExitCode, runPreflight } from '../../src/preflight/preflight.js';
import type { CheckResult } from '../../src/model/types.js';
import { motoClient, preloadGroup, REGION } from '../support/aurora-fixture.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { startMoto, type Moto } from '../support/moto.js';

let moto: Moto;
let proxy: FaultProxy;
let rds: RDSClient;
let kms: KMSClient;
let keyArn: string;

const MUTATING = /^(Restore|Create|Modify|Delete|Copy|Add|Remove|Start|Stop|Reboot|Failover)/;

beforeAll(async () => {
  moto = await startMoto();
  proxy = await startFaultProxy(moto.endpoint);
  rds = motoClient(proxy.endpoint);
  kms = new KMSClient({
    region: REGION,
    endpoint: moto.endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
});

afterAll(async () => {
  await proxy?.close();
  await moto?.stop();
});

beforeEach(async () => {
  await moto.reset();
  proxy.rules.length = 0;
  const key = await kms.send(new CreateKeyCommand({ Description: 'aurora storage' }));
  keyArn = key.KeyMetadata!.Arn!;
});

/** A production cluster as the customer's plan describes it, with `overrides`. */
async function sourceCluster(overrides: Partial<CreateDBClusterCommandInput> = {}): Promise<void> {
  await preloadGroup(rds, 'cluster', 'prod-aurora-pg15', 'pg_stat_statements');
  await rds.send(
    new CreateDBClusterCommand({
      DBClusterIdentifier: 'prod-db',
      Engine: 'aurora-postgresql',
      EngineVersion: '15.4',
      MasterUsername: 'postgres',
      MasterUserPassword: 'production-password-1',
      StorageEncrypted: true,
      KmsKeyId: keyArn,
      DeletionProtection: true,
      BackupRetentionPeriod: 35,
      PreferredBackupWindow: '03:00-04:00',
      CopyTagsToSnapshot: true,
      DBClusterParameterGroupName: 'prod-aurora-pg15',
      ...overrides,
    }),
  );
  proxy.calls.length = 0;
}

async function preflight(extra: Record<string, string> = {}): Promise<CheckResult[]> {
  const plan = buildPlan(
    { command: 'preflight', 'source-cluster': 'prod-db', 'aws-region': REGION, ...extra },
    {},
  );
  const checks = await runPreflight(plan, { rds, kms });
  expect(proxy.calls.filter((c) => MUTATING.test(c))).toEqual([]);
  return checks;
}

const notPassing = (checks: CheckResult[]): string[] =>
  checks.filter((c) => c.status !== 'pass').map((c) => `${c.id} ${c.status}`);
const summary = (checks: CheckResult[], id: string): string => checks.find((c) => c.id === id)!.summary;

test('a compliant cluster passes every posture check, with describe calls only', async () => {
  await sourceCluster();
  const checks = await preflight();
  expect(notPassing(checks)).toEqual([]);
  expect(checks).toHaveLength(9);
  expect(preflightExitCode(checks)).toBe(0);
  expect(new Set(proxy.calls)).toEqual(
    new Set(['DescribeDBClusters', 'DescribeDBClusterSnapshots', 'DescribeDBClusterParameters']),
  );
  expect(summary(checks, 'posture:copy-scheduler')).toBe(
    "the source's parameter group prod-aurora-pg15 preloads no scheduler: production's scheduled jobs do not run on the drill's copy",
  );
  expect(summary(checks, 'posture:encryption')).toBe(
    'prod-db storage is encrypted with a customer-managed KMS key',
  );
});

test('short retention fails posture:retention', async () => {
  await sourceCluster({ BackupRetentionPeriod: 7 });
  const checks = await preflight();
  expect(notPassing(checks)).toEqual(['posture:retention fail']);
  expect(summary(checks, 'posture:retention')).toMatch(/7 days; the plan requires at least 35/);
  expect(preflightExitCode(checks)).toBe(1);
});

test('min-retention-days is the threshold the retention check uses', async () => {
  await sourceCluster({ BackupRetentionPeriod: 7 });
  const plan = {
    ...buildPlan({ command: 'preflight', 'source-cluster': 'prod-db', 'aws-region': REGION }, {}),
    minRetentionDays: 7,
  };
  expect(notPassing(await runPreflight(plan, { rds, kms }))).toEqual([]);
});

test('unencrypted storage fails posture:encryption', async () => {
  await sourceCluster({ StorageEncrypted: false, KmsKeyId: undefined });
  const checks = await preflight();
  expect(notPassing(checks)).toEqual(['posture:encryption fail']);
  expect(summary(checks, 'posture:encryption')).toMatch(/not encrypted at rest/);
});

test('deletion protection off fails posture:deletion-protection', async () => {
  await sourceCluster({ DeletionProtection: false });
  expect(notPassing(await preflight())).toEqual(['posture:deletion-protection fail']);
});

test('copy-tags-to-snapshot off fails posture:copy-tags-to-snapshot', async () => {
  await sourceCluster({ CopyTagsToSnapshot: false });
  expect(notPassing(await preflight())).toEqual(['posture:copy-tags-to-snapshot fail']);
});

test('a stale automated snapshot fails posture:snapshot-age', async () => {
  await sourceCluster();
  const stale = new Date(Date.now() - 26 * 3_600_000).toISOString();
  proxy.rules.push({
    kind: 'rewrite',
    action: 'DescribeDBClusterSnapshots',
    element: 'SnapshotCreateTime',
    value: stale,
  });
  const checks = await preflight();
  expect(notPassing(checks)).toEqual(['posture:snapshot-age fail']);
  expect(summary(checks, 'posture:snapshot-age')).toMatch(
    /is 26(\.\d)? hours old; the alarm threshold is 25/,
  );
});

test('a lagging point-in-time window fails posture:pitr-gap', async () => {
  await sourceCluster();
  const lagging = new Date(Date.now() - 15 * 60_000).toISOString();
  // moto's cluster was created a moment ago; age it by an hour so the window stays a consistent one
  const created = new Date(Date.now() - 60 * 60_000).toISOString();
  proxy.rules.push(
    { kind: 'rewrite', action: 'DescribeDBClusters', element: 'LatestRestorableTime', value: lagging },
    { kind: 'rewrite', action: 'DescribeDBClusters', element: 'EarliestRestorableTime', value: created },
    { kind: 'rewrite', action: 'DescribeDBClusters', element: 'ClusterCreateTime', value: created },
  );
  const checks = await preflight();
  expect(notPassing(checks)).toEqual(['posture:pitr-gap fail']);
  expect(summary(checks, 'posture:pitr-gap')).toMatch(/only to 15(\.\d)? minutes ago/);
  // the threshold is an input: a 20-minute allowance passes the same cluster
  expect(notPassing(await preflight())).toEqual(['posture:pitr-gap fail']);
  const plan = {
    ...buildPlan({ command: 'preflight', 'source-cluster': 'prod-db', 'aws-region': REGION }, {}),
    maxPitrGapMinutes: 20,
  };
  expect(notPassing(await runPreflight(plan, { rds, kms }))).toEqual([]);
});

test('a denied snapshot listing is an error on that check alone', async () => {
  await sourceCluster();
  proxy.rules.push({ kind: 'fail', action: 'DescribeDBClusterSnapshots', code: 'AccessDenied', status: 403 });
  const checks = await preflight();
  expect(notPassing(checks)).toEqual(['posture:snapshot-age error']);
  expect(summary(checks, 'posture:snapshot-age')).toMatch(
    /DescribeDBClusterSnapshots failed \(AccessDenied\)/,
  );
});

test('a missing source cluster is an input error, with nothing created', async () => {
  await expect(preflight({ 'source-cluster': 'no-such-db' })).rejects.toThrow(
    "input 'source-cluster' names no DB cluster in us-east-1; got 'no-such-db'",
  );
});

describe('posture:copy-scheduler', () => {
  test('a source group preloading pg_cron warns: what happens on the copy, and the fix', async () => {
    await preloadGroup(rds, 'cluster', 'prod-cron-pg15', 'pg_stat_statements,pg_cron');
    await sourceCluster({ DBClusterParameterGroupName: 'prod-cron-pg15' });
    const checks = await preflight();
    expect(notPassing(checks)).toEqual(['posture:copy-scheduler warn']);
    expect(summary(checks, 'posture:copy-scheduler')).toBe(
      "the source's parameter group prod-cron-pg15 (the drill's copy gets it without restore-parameter-group) preloads the scheduler pg_cron (shared_preload_libraries): production's scheduled jobs run on the copy, and jobs that write elsewhere (dblink, postgres_fdw) write twice; set restore-parameter-group to a parameter group without pg_cron in shared_preload_libraries",
    );
    expect(preflightExitCode(checks)).toBe(0);
  });

  test('restore-parameter-group without pg_cron passes; one that does not exist fails', async () => {
    await preloadGroup(rds, 'cluster', 'prod-cron-pg15', 'pg_cron');
    await preloadGroup(rds, 'cluster', 'drill-pg15', 'pg_stat_statements');
    await sourceCluster({ DBClusterParameterGroupName: 'prod-cron-pg15' });
    const ok = await preflight({ 'restore-parameter-group': 'drill-pg15' });
    expect(notPassing(ok)).toEqual([]);
    expect(summary(ok, 'posture:copy-scheduler')).toMatch(
      /^restore-parameter-group drill-pg15 preloads no scheduler/,
    );
    const missing = await preflight({ 'restore-parameter-group': 'no-such-group' });
    expect(notPassing(missing)).toEqual(['posture:copy-scheduler fail']);
    expect(summary(missing, 'posture:copy-scheduler')).toBe(
      'restore-parameter-group no-such-group names no DB cluster parameter group in us-east-1',
    );
  });
});
