import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  DescribeDBClustersCommand,
  DescribeDBClusterSnapshotsCommand,
  RDSClient,
  type DBCluster,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { memoryLogger } from '../../../src/log/logger.js';
import { buildPlan, InputError } from '../../../src/inputs/plan.js';
import { describeKeyManager } from '../../../src/preflight/key-manager.js';
import {
  PREFLIGHT_DEFAULTS,
  preflightExitCode,
  preflightThresholds,
  runPreflight,
  type Annotation,
} from '../../../src/preflight/preflight.js';
import { postureChecks, type PostureFacts, type PostureThresholds } from '../../../src/preflight/posture.js';
import type { CheckResult } from '../../../src/model/types.js';

const NOW = new Date('2026-03-02T12:00:00Z');
const minutesAgo = (m: number): Date => new Date(NOW.getTime() - m * 60_000);
const KEY = 'arn:aws:kms:us-east-1:123456789012:key/0b5e2e1c-1111-4a4a-9f9f-123456789abc';

function cluster(overrides: Partial<DBCluster> = {}): DBCluster {
  return {
    DBClusterIdentifier: 'prod-db',
    Engine: 'aurora-postgresql',
    BackupRetentionPeriod: 35,
    PreferredBackupWindow: '03:00-04:00',
    StorageEncrypted: true,
    KmsKeyId: KEY,
    DeletionProtection: true,
    CopyTagsToSnapshot: true,
    ClusterCreateTime: minutesAgo(400 * 24 * 60),
    EarliestRestorableTime: minutesAgo(35 * 24 * 60 - 30),
    LatestRestorableTime: minutesAgo(3),
    ...overrides,
  };
}

function facts(overrides: Partial<PostureFacts> = {}, c: Partial<DBCluster> = {}): PostureFacts {
  return {
    cluster: cluster(c),
    describeMs: 40,
    snapshots: [
      {
        DBClusterSnapshotIdentifier: 'rds:prod-db-2026-03-02-03-10',
        Status: 'available',
        SnapshotCreateTime: minutesAgo(530),
      },
      {
        DBClusterSnapshotIdentifier: 'rds:prod-db-2026-03-01-03-10',
        Status: 'available',
        SnapshotCreateTime: minutesAgo(1970),
      },
      {
        DBClusterSnapshotIdentifier: 'rds:prod-db-creating',
        Status: 'creating',
        SnapshotCreateTime: minutesAgo(1),
      },
    ],
    snapshotsMs: 30,
    keyManager: 'CUSTOMER',
    keyMs: 20,
    ...overrides,
  };
}

const statuses = (checks: CheckResult[]): Record<string, string> =>
  Object.fromEntries(checks.map((c) => [c.id, c.status]));
const check = (checks: CheckResult[], id: string): CheckResult => checks.find((c) => c.id === id)!;
const judge = (f: PostureFacts, t: PostureThresholds = PREFLIGHT_DEFAULTS) => postureChecks(f, t, NOW);

describe('posture checks', () => {
  test('a compliant cluster passes all eight, each with its figure and threshold', () => {
    const checks = judge(facts());
    expect(statuses(checks)).toEqual({
      'posture:retention': 'pass',
      'posture:backup-window': 'pass',
      'posture:encryption': 'pass',
      'posture:deletion-protection': 'pass',
      'posture:copy-tags-to-snapshot': 'pass',
      'posture:pitr-gap': 'pass',
      'posture:snapshot-age': 'pass',
      'posture:restorable-window': 'pass',
    });
    expect(checks.every((c) => c.category === 'posture')).toBe(true);
    expect(check(checks, 'posture:pitr-gap')).toMatchObject({ measured: 3, expected: 10 });
    // the newest *available* snapshot counts, not one still being created
    expect(check(checks, 'posture:snapshot-age')).toMatchObject({ measured: 8.8, expected: 25 });
    expect(check(checks, 'posture:snapshot-age').summary).toContain('rds:prod-db-2026-03-02-03-10');
    expect(check(checks, 'posture:retention')).toMatchObject({ measured: 35, expected: 35 });
  });

  test.each([
    ['posture:retention', {}, { BackupRetentionPeriod: 7 }, /7 days; the plan requires at least 35/],
    ['posture:backup-window', {}, { PreferredBackupWindow: undefined }, /no preferred backup window/],
    ['posture:encryption', {}, { StorageEncrypted: false, KmsKeyId: undefined }, /not encrypted at rest/],
    ['posture:encryption', { keyManager: 'AWS' as const }, {}, /AWS-managed aws\/rds key/],
    ['posture:deletion-protection', {}, { DeletionProtection: false }, /deletion protection off/],
    ['posture:copy-tags-to-snapshot', {}, { CopyTagsToSnapshot: false }, /does not copy its tags/],
    ['posture:pitr-gap', {}, { LatestRestorableTime: minutesAgo(10) }, /only to 10 minutes ago/],
    ['posture:pitr-gap', {}, { LatestRestorableTime: undefined }, /no LatestRestorableTime/],
    [
      'posture:restorable-window',
      {},
      { EarliestRestorableTime: minutesAgo(3 * 24 * 60) },
      /back only 3 days/,
    ],
    ['posture:restorable-window', {}, { EarliestRestorableTime: undefined }, /no EarliestRestorableTime/],
  ])('%s fails: %j %j', (id, f, c, says) => {
    const checks = judge(facts(f as Partial<PostureFacts>, c as Partial<DBCluster>));
    expect(check(checks, id).status).toBe('fail');
    expect(check(checks, id).summary).toMatch(says);
    expect(checks.filter((x) => x.status !== 'pass').map((x) => x.id)).toEqual([id]);
  });

  test('the snapshot age threshold is exclusive at 25 hours; no snapshot at all fails', () => {
    const at = (minutes: number) =>
      check(
        judge(facts({ snapshots: [{ Status: 'available', SnapshotCreateTime: minutesAgo(minutes) }] })),
        'posture:snapshot-age',
      ).status;
    expect(at(25 * 60 - 1)).toBe('pass');
    expect(at(25 * 60)).toBe('fail');
    expect(check(judge(facts({ snapshots: [] })), 'posture:snapshot-age').summary).toMatch(
      /no available automated snapshot/,
    );
  });

  test('a young cluster is judged by its creation, not by the full retention window', () => {
    const young = {
      ClusterCreateTime: minutesAgo(2 * 24 * 60),
      EarliestRestorableTime: minutesAgo(2 * 24 * 60 - 20),
    };
    expect(check(judge(facts({}, young)), 'posture:restorable-window')).toMatchObject({
      status: 'pass',
      expected: 2,
    });
  });

  test('figures it could not read are errors, not passes', () => {
    const checks = judge(
      facts({
        snapshots: { error: 'rds:DescribeDBClusterSnapshots failed (AccessDenied)' },
        keyManager: { error: 'kms:DescribeKey failed (AccessDeniedException)' },
      }),
    );
    expect(check(checks, 'posture:snapshot-age')).toMatchObject({ status: 'error' });
    expect(check(checks, 'posture:encryption').summary).toMatch(/unknown: kms:DescribeKey failed/);
  });

  test('thresholds are inputs', () => {
    const loose = { minRetentionDays: 7, maxPitrGapMinutes: 60, maxSnapshotAgeHours: 48 };
    const checks = judge(
      facts({}, { BackupRetentionPeriod: 7, LatestRestorableTime: minutesAgo(30) }),
      loose,
    );
    expect(checks.filter((c) => c.status !== 'pass')).toEqual([]);
  });
});

describe('key manager', () => {
  const kms = mockClient(KMSClient);
  afterEach(() => kms.reset());

  test('kms:DescribeKey tells a customer-managed key from the AWS-managed one', async () => {
    kms
      .on(DescribeKeyCommand, { KeyId: KEY })
      .resolves({ KeyMetadata: { KeyId: 'k', KeyManager: 'CUSTOMER' } });
    kms
      .on(DescribeKeyCommand, { KeyId: 'aws-key' })
      .resolves({ KeyMetadata: { KeyId: 'a', KeyManager: 'AWS' } });
    const resolve = describeKeyManager(new KMSClient({ region: 'us-east-1' }));
    await expect(resolve(KEY)).resolves.toBe('CUSTOMER');
    await expect(resolve('aws-key')).resolves.toBe('AWS');
    await expect(resolve('arn:aws:kms:us-east-1:123456789012:alias/aws/rds')).resolves.toBe('AWS');
    expect(kms.commandCalls(DescribeKeyCommand)).toHaveLength(2);
  });
});

describe('runPreflight', () => {
  const rds = mockClient(RDSClient);
  afterEach(() => rds.reset());
  const plan = (extra: Record<string, string> = {}) =>
    buildPlan({ command: 'preflight', 'source-cluster': 'prod-db', 'aws-region': 'us-east-1', ...extra }, {});

  function describing(c: DBCluster): void {
    rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [c] });
    rds
      .on(DescribeDBClusterSnapshotsCommand)
      .resolves({ DBClusterSnapshots: [{ Status: 'available', SnapshotCreateTime: minutesAgo(60) }] });
  }

  test('describes only, defaults the thresholds, and logs each check', async () => {
    describing(cluster());
    const logger = memoryLogger();
    const checks = await runPreflight(plan(), {
      rds: new RDSClient({ region: 'us-east-1' }),
      keyManager: async () => 'CUSTOMER',
      now: () => NOW,
      logger,
    });
    // The mocked cluster names no parameter group: whether a scheduler preloads is not known.
    expect(checks).toHaveLength(9);
    expect(check(checks, 'posture:copy-scheduler').status).toBe('skip');
    expect(preflightExitCode(checks)).toBe(0);
    expect(rds.calls().map((c) => c.args[0].constructor.name)).toEqual([
      'DescribeDBClustersCommand',
      'DescribeDBClusterSnapshotsCommand',
    ]);
    expect(preflightThresholds(plan())).toEqual(PREFLIGHT_DEFAULTS);
    expect(logger.lines.filter((l) => l.startsWith('preflight: pass'))).toHaveLength(8);
  });

  test('an AWS-managed key fails the encryption check and the exit code', async () => {
    describing(cluster());
    const checks = await runPreflight(plan(), {
      rds: new RDSClient({ region: 'us-east-1' }),
      keyManager: async () => 'AWS',
      now: () => NOW,
    });
    expect(check(checks, 'posture:encryption').status).toBe('fail');
    expect(preflightExitCode(checks)).toBe(1);
  });

  test('a missing cluster is an input error', async () => {
    rds
      .on(DescribeDBClustersCommand)
      .rejects(Object.assign(new Error('x'), { name: 'DBClusterNotFoundFault' }));
    await expect(
      runPreflight(plan(), {
        rds: new RDSClient({ region: 'us-east-1' }),
        keyManager: async () => 'CUSTOMER',
      }),
    ).rejects.toThrow("input 'source-cluster' names no DB cluster in us-east-1; got 'prod-db'");
  });

  test('Terraform alone needs no AWS client, and its violations reach annotate', async () => {
    const annotations: Annotation[] = [];
    const p = {
      ...buildPlan({ command: 'preflight', provider: 'local-pitr' }, {}),
      terraformDir: 'test/fixtures/terraform/violations',
    };
    const checks = await runPreflight(p, { annotate: (a) => annotations.push(a) });
    expect(rds.calls()).toHaveLength(0);
    expect(annotations.filter((a) => a.level === 'error')).toHaveLength(8);
    expect(annotations[0]!.file).toBe('test/fixtures/terraform/violations/main.tf');
    expect(preflightExitCode(checks)).toBe(1);
  });

  test('with nothing to check it says which inputs it needs', async () => {
    const p = buildPlan({ command: 'preflight', provider: 'local-pitr' }, {});
    await expect(runPreflight(p)).rejects.toThrow(InputError);
    await expect(runPreflight(p)).rejects.toThrow(/or terraform-plan or terraform-dir is required/);
    expect(preflightExitCode([])).toBe(1);
  });

  test('warnings do not fail the exit code', () => {
    const warn: CheckResult = {
      id: 'posture:x',
      category: 'posture',
      status: 'warn',
      summary: 's',
      durationMs: 0,
    };
    expect(preflightExitCode([warn])).toBe(0);
  });
});
