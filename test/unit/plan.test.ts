import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildPlan,
  clusterIdentifier,
  INPUT_DEFAULTS,
  InputError,
  parseRestoreTime,
  regionFromArn,
  type RawInputs,
} from '../../src/plan.js';

const dir = mkdtempSync(join(tmpdir(), 'restore-proof-plan-'));
const checksFile = join(dir, 'checks.yml');
writeFileSync(checksFile, 'checks: []\n');
const ed25519 = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();

const base: RawInputs = { 'source-cluster': 'prod-db', 'aws-region': 'us-east-1' };
const plan = (extra: RawInputs = {}, env: NodeJS.ProcessEnv = {}) => buildPlan({ ...base, ...extra }, env);

describe('defaults', () => {
  test('a minimal aurora plan resolves every default', () => {
    expect(plan()).toEqual({
      command: 'restore-test',
      provider: 'aurora',
      sourceCluster: 'prod-db',
      awsRegion: 'us-east-1',
      restoreType: 'latest',
      sslMode: 'verify-full',
      maxRestoreMinutes: 30,
      maxDataLossMinutes: 5,
      timeoutMinutes: 120,
      cleanup: 'always',
      reportDir: 'docs/tests',
      cadence: 'adhoc',
      commitReport: false,
      dryRun: false,
      minRetentionDays: 35,
      maxPitrGapMinutes: 10,
      maxSnapshotAgeHours: 25,
    });
  });

  test('empty strings count as absent, as the runner passes them', () => {
    const raw = Object.fromEntries(Object.keys(INPUT_DEFAULTS).map((k) => [k, ''])) as RawInputs;
    expect(buildPlan({ ...raw, ...base }, {}).restoreType).toBe('latest');
  });

  test('the region comes from the ARN, then AWS_REGION, then AWS_DEFAULT_REGION', () => {
    const arn = 'arn:aws:rds:eu-west-1:123456789012:cluster:prod-db';
    expect(buildPlan({ 'source-cluster': arn }, {}).awsRegion).toBe('eu-west-1');
    expect(buildPlan({ 'source-cluster': 'prod-db' }, { AWS_REGION: 'us-west-2' }).awsRegion).toBe(
      'us-west-2',
    );
    expect(buildPlan({ 'source-cluster': 'prod-db' }, { AWS_DEFAULT_REGION: 'ap-south-1' }).awsRegion).toBe(
      'ap-south-1',
    );
  });

  test('valid values of every kind are accepted and typed', () => {
    const p = plan({
      'restore-type': 'point-in-time',
      'restore-time': '2026-01-31T03:15:00Z',
      'instance-class': 'db.r6g.large',
      'db-subnet-group': 'restore subnets',
      'vpc-security-group-ids': 'sg-0123456789abcdef0, sg-12345678',
      'kms-key-id': 'alias/restore-proof',
      database: 'app',
      'production-url': 'postgres://reader:secret@db.internal:5432/app',
      'restored-host': 'localhost',
      'restored-port': '15432',
      'ssl-mode': 'require',
      'checks-file': checksFile,
      'max-restore-minutes': '120',
      'max-data-loss-minutes': '0.5',
      'timeout-minutes': '90',
      cleanup: 'on-success',
      'signing-key': ed25519,
      cadence: 'monthly',
      'commit-report': 'true',
      'github-token': 'ghs_x',
    });
    expect(p.restoreTime).toEqual(new Date('2026-01-31T03:15:00Z'));
    expect(p.vpcSecurityGroupIds).toEqual(['sg-0123456789abcdef0', 'sg-12345678']);
    expect(p.restoredPort).toBe(15432);
    expect(p.maxDataLossMinutes).toBe(0.5);
    expect(p.commitReport).toBe(true);
    expect(plan({ 'restore-type': 'point-in-time', 'restore-time': 'random' }).restoreTime).toBe('random');
    expect(
      plan({ 'restore-type': 'snapshot', 'snapshot-id': 'rds:prod-db-2026-01-31-03-10' }).snapshotId,
    ).toBe('rds:prod-db-2026-01-31-03-10');
  });

  test('local-pitr needs no AWS inputs', () => {
    const p = buildPlan({ provider: 'local-pitr', 'backup-dir': dir, 'wal-archive-dir': dir }, {});
    expect(p.provider).toBe('local-pitr');
    expect(p.awsRegion).toBeUndefined();
  });

  test('a Terraform-only preflight needs no AWS inputs', () => {
    const p = buildPlan({ command: 'preflight', 'terraform-dir': dir }, {});
    expect(p.terraformDir).toBe(dir);
    expect(p.sourceCluster).toBeUndefined();
  });

  test('verify-reports needs no source', () => {
    expect(buildPlan({ command: 'verify-reports' }, {}).command).toBe('verify-reports');
  });
});

/** [what, inputs, the input the error must name, a fragment of what it accepts] */
const BAD: [string, RawInputs, string, RegExp][] = [
  [
    'unknown command',
    { command: 'restore' },
    'command',
    /restore-test \| preflight \| janitor \| verify-reports/,
  ],
  ['unknown provider', { provider: 'rds' }, 'provider', /aurora \| local-pitr/],
  ['unknown input', { 'restore-typo': 'x' } as RawInputs, 'restore-typo', /is not an input/],
  ['missing source cluster', { 'source-cluster': '' }, 'source-cluster', /is required/],
  ['source with underscore', { 'source-cluster': 'prod_db' }, 'source-cluster', /identifier/],
  ['source starting with digit', { 'source-cluster': '1prod' }, 'source-cluster', /identifier/],
  ['source with double hyphen', { 'source-cluster': 'prod--db' }, 'source-cluster', /identifier/],
  ['source ending in hyphen', { 'source-cluster': 'prod-' }, 'source-cluster', /identifier/],
  ['source too long', { 'source-cluster': `a${'b'.repeat(63)}` }, 'source-cluster', /identifier/],
  [
    'instance ARN as source',
    { 'source-cluster': 'arn:aws:rds:us-east-1:123456789012:db:prod-db' },
    'source-cluster',
    /ARN/,
  ],
  ['bad region', { 'aws-region': 'useast1' }, 'aws-region', /region name/],
  [
    'region conflicting with ARN',
    { 'source-cluster': 'arn:aws:rds:eu-west-1:123456789012:cluster:prod-db', 'aws-region': 'us-east-1' },
    'aws-region',
    /must match/,
  ],
  ['no region at all', { 'aws-region': '' }, 'aws-region', /is required/],
  ['unknown restore type', { 'restore-type': 'pitr' }, 'restore-type', /latest \| point-in-time \| snapshot/],
  ['point-in-time without time', { 'restore-type': 'point-in-time' }, 'restore-time', /is required/],
  [
    'restore-time with latest',
    { 'restore-time': '2026-01-31T03:15:00Z' },
    'restore-time',
    /goes only with restore-type point-in-time/,
  ],
  [
    'restore-time not ISO',
    { 'restore-type': 'point-in-time', 'restore-time': 'yesterday' },
    'restore-time',
    /ISO-8601 UTC/,
  ],
  [
    'restore-time with offset',
    { 'restore-type': 'point-in-time', 'restore-time': '2026-01-31T03:15:00+02:00' },
    'restore-time',
    /ISO-8601 UTC/,
  ],
  [
    'restore-time without zone',
    { 'restore-type': 'point-in-time', 'restore-time': '2026-01-31T03:15:00' },
    'restore-time',
    /ISO-8601 UTC/,
  ],
  [
    'impossible date',
    { 'restore-type': 'point-in-time', 'restore-time': '2026-02-31T25:15:00Z' },
    'restore-time',
    /ISO-8601 UTC/,
  ],
  [
    'snapshot-id without snapshot type',
    { 'snapshot-id': 'rds:prod-db-1' },
    'snapshot-id',
    /goes only with restore-type snapshot/,
  ],
  [
    'bad snapshot id',
    { 'restore-type': 'snapshot', 'snapshot-id': 'snap shot' },
    'snapshot-id',
    /DB snapshot\) identifier or ARN/,
  ],
  ['bad instance class', { 'instance-class': 'r6g.large' }, 'instance-class', /db\.r6g\.large/],
  ['bad subnet group', { 'db-subnet-group': 'a/b' }, 'db-subnet-group', /subnet group name/],
  [
    'bad security group',
    { 'vpc-security-group-ids': 'sg-xyz' },
    'vpc-security-group-ids',
    /security group ids/,
  ],
  [
    'one bad security group among good',
    { 'vpc-security-group-ids': 'sg-12345678,default' },
    'vpc-security-group-ids',
    /security group ids/,
  ],
  ['bad kms key', { 'kms-key-id': 'my key' }, 'kms-key-id', /KMS key/],
  ['bad database', { database: 'app; drop' }, 'database', /database name/],
  ['production-url not a URL', { 'production-url': 'db.internal:5432' }, 'production-url', /postgres:\/\//],
  [
    'production-url wrong scheme',
    { 'production-url': 'mysql://u:p@h/db' },
    'production-url',
    /scheme postgres/,
  ],
  ['bad restored host', { 'restored-host': 'bad host' }, 'restored-host', /host name/],
  [
    'restored port zero',
    { 'restored-host': 'localhost', 'restored-port': '0' },
    'restored-port',
    /1 to 65535/,
  ],
  [
    'restored port too big',
    { 'restored-host': 'localhost', 'restored-port': '70000' },
    'restored-port',
    /1 to 65535/,
  ],
  [
    'restored port not a number',
    { 'restored-host': 'localhost', 'restored-port': '5432a' },
    'restored-port',
    /1 to 65535/,
  ],
  [
    'restored port without host',
    { 'restored-port': '5432' },
    'restored-port',
    /goes only with restored-host/,
  ],
  ['unknown ssl mode', { 'ssl-mode': 'prefer' }, 'ssl-mode', /verify-full \| require \| disable/],
  ['missing checks file', { 'checks-file': join(dir, 'nope.yml') }, 'checks-file', /existing file/],
  ['checks file is a directory', { 'checks-file': dir }, 'checks-file', /existing file/],
  ['zero restore minutes', { 'max-restore-minutes': '0' }, 'max-restore-minutes', /greater than 0/],
  [
    'negative data loss minutes',
    { 'max-data-loss-minutes': '-5' },
    'max-data-loss-minutes',
    /greater than 0/,
  ],
  ['minutes with unit', { 'timeout-minutes': '2h' }, 'timeout-minutes', /number of minutes/],
  ['timeout beyond two days', { 'timeout-minutes': '3000' }, 'timeout-minutes', /at most 2880/],
  ['unknown cleanup', { cleanup: 'sometimes' }, 'cleanup', /always \| on-success \| never/],
  ['signing key not PEM', { 'signing-key': 'not a key' }, 'signing-key', /Ed25519 private key/],
  ['signing key of the wrong type', { 'signing-key': rsa }, 'signing-key', /Ed25519 private key/],
  ['cadence with spaces', { cadence: 'every week' }, 'cadence', /short lower-case name/],
  ['commit-report not boolean', { 'commit-report': 'yes' }, 'commit-report', /true \| false/],
  [
    'commit-report without token',
    { 'commit-report': 'true' },
    'github-token',
    /is required with commit-report true/,
  ],
  [
    'local-pitr without backup dir',
    { provider: 'local-pitr', 'source-cluster': '' },
    'backup-dir',
    /is required with provider local-pitr/,
  ],
  [
    'local-pitr with missing wal dir',
    { provider: 'local-pitr', 'source-cluster': '', 'backup-dir': dir, 'wal-archive-dir': join(dir, 'x') },
    'wal-archive-dir',
    /existing directory/,
  ],
  [
    'local-pitr with a source cluster',
    { provider: 'local-pitr', 'backup-dir': dir, 'wal-archive-dir': dir },
    'source-cluster',
    /goes only with provider aurora/,
  ],
  ['retention days above the RDS maximum', { 'min-retention-days': '36' }, 'min-retention-days', /1 to 35/],
  [
    'fractional snapshot age',
    { 'max-snapshot-age-hours': '1.5' },
    'max-snapshot-age-hours',
    /whole number of hours/,
  ],
  ['zero PITR gap', { 'max-pitr-gap-minutes': '0' }, 'max-pitr-gap-minutes', /greater than 0/],
  [
    'missing terraform plan file',
    { command: 'preflight', 'terraform-plan': join(dir, 'plan.json') },
    'terraform-plan',
    /existing file/,
  ],
  ['dry-run not boolean', { command: 'janitor', 'dry-run': 'maybe' }, 'dry-run', /true \| false/],
  [
    'target-region equal to the source region',
    { 'target-region': 'us-east-1' },
    'target-region',
    /must differ/,
  ],
  [
    'target kms key without target region',
    { 'target-kms-key-id': 'alias/dr' },
    'target-kms-key-id',
    /goes only with target-region/,
  ],
  [
    'point-in-time across regions',
    { 'target-region': 'us-west-2', 'restore-type': 'point-in-time', 'restore-time': 'random' },
    'restore-type',
    /latest or snapshot with target-region/,
  ],
  [
    'kms-key-id with target-region',
    { 'target-region': 'us-west-2', 'kms-key-id': 'alias/prod' },
    'kms-key-id',
    /use target-kms-key-id/,
  ],
  [
    'target-region with an instance source',
    { 'source-cluster': '', 'source-instance': 'prod-pg', 'target-region': 'us-west-2' },
    'target-region',
    /goes only with source-cluster/,
  ],
  [
    'source-cluster and source-instance together',
    { 'source-instance': 'prod-pg' },
    'source-instance',
    /not with it/,
  ],
  [
    'source-instance as a cluster ARN',
    { 'source-cluster': '', 'source-instance': 'arn:aws:rds:us-east-1:123456789012:cluster:prod' },
    'source-instance',
    /DB instance ARN/,
  ],
  [
    'metrics namespace in the AWS space',
    { 'metrics-namespace': 'AWS/RDS' },
    'metrics-namespace',
    /not starting with 'AWS\/'/,
  ],
  [
    'tunnel without a local port placeholder',
    { 'tunnel-command': 'aws ssm start-session' },
    'tunnel-command',
    /\{localPort\}/,
  ],
  [
    'tunnel with restored-host',
    { 'tunnel-command': 'x {localPort}', 'restored-host': 'localhost' },
    'tunnel-command',
    /instead of restored-host/,
  ],
  ['source-url not postgres', { 'source-url': 'http://x' }, 'source-url', /postgres:\/\//],
];

describe('bad input: one line naming the input and what it accepts', () => {
  test.each(BAD)('%s', (_what, raw, input, accepts) => {
    let error: unknown;
    try {
      plan(raw);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    const message = (error as Error).message;
    expect(message).toMatch(new RegExp(`^input '${input}' `));
    expect(message).toMatch(accepts);
    expect(message).not.toContain('\n');
  });

  test('there are at least 40 cases', () => {
    expect(BAD.length).toBeGreaterThanOrEqual(40);
  });

  test('secret inputs are never echoed in the error', () => {
    const secret = 'mysql://admin:hunter2hunter2@db/app';
    expect(() => plan({ 'production-url': secret })).toThrow(InputError);
    try {
      plan({ 'production-url': secret });
    } catch (e) {
      expect((e as Error).message).not.toContain('hunter2');
    }
    try {
      plan({
        'signing-key': '-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWtleS1tYXRlcmlhbA==\n-----END PRIVATE KEY-----',
      });
    } catch (e) {
      expect((e as Error).message).not.toContain('c2VjcmV0');
    }
  });
});

describe('helpers', () => {
  test('regionFromArn and clusterIdentifier read cluster ARNs', () => {
    const arn = 'arn:aws-us-gov:rds:us-gov-west-1:123456789012:cluster:prod-db';
    expect(regionFromArn(arn)).toBe('us-gov-west-1');
    expect(clusterIdentifier(arn)).toBe('prod-db');
    expect(regionFromArn('prod-db')).toBeUndefined();
    expect(clusterIdentifier('prod-db')).toBe('prod-db');
  });

  test('parseRestoreTime accepts Z and +00:00 and fractional seconds', () => {
    expect(parseRestoreTime('2026-01-31T03:15:00.250Z').toString()).toBe(
      new Date('2026-01-31T03:15:00.250Z').toString(),
    );
    expect(parseRestoreTime('2026-01-31T03:15:00+00:00')).toEqual(new Date('2026-01-31T03:15:00Z'));
    expect(parseRestoreTime('random')).toBe('random');
  });
});
