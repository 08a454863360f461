import { createPrivateKey } from 'node:crypto';
import {
  buildPlan,
  clusterIdentifier,
  INPUT_DEFAULTS,
  InputError,
  regionFromArn,
  type RawInputs,
} from '../../../src/inputs/plan.js';
import { BAD, checksFile, dir, ed25519 } from '../../fixtures/bad-inputs.js';

const base: RawInputs = { 'source-cluster': 'prod-db', 'aws-region': 'us-east-1' };
const plan = (extra: RawInputs = {}, env: NodeJS.ProcessEnv = {}) => buildPlan({ ...base, ...extra }, env);

describe('defaults', () => {
  test('the production load bounds and the parameter groups are parsed into the plan', () => {
    const p = buildPlan({
      ...base,
      'statement-timeout-seconds': '0',
      'tables-at-once': '1',
      'parallel-workers': '0',
      'restore-parameter-group': 'drill-aurora-pg15',
    });
    if (p.command !== 'restore-test') throw new Error('restore-test plan expected');
    expect(p.productionLoad).toEqual({ statementTimeoutSeconds: 0, tablesAtOnce: 1, parallelWorkers: 0 });
    expect(p.copy.parameterGroup).toBe('drill-aurora-pg15');
    const preflight = buildPlan({
      ...base,
      command: 'preflight',
      'restore-parameter-group': 'drill-aurora-pg15',
    });
    expect(preflight).toMatchObject({ command: 'preflight', restoreParameterGroup: 'drill-aurora-pg15' });
  });

  test('a minimal aurora plan resolves every default, legacy fields and parsed ones', () => {
    const p = plan();
    expect(p).toMatchObject({
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
    expect(p.command).toBe('restore-test');
    if (p.command !== 'restore-test') return;
    expect(p.source).toEqual({
      kind: 'aurora-cluster',
      id: 'prod-db',
      region: 'us-east-1',
      partition: 'aws',
    });
    expect(p.restorePoint).toEqual({ type: 'latest' });
    expect(p.copy).toEqual({ sslMode: 'verify-full' });
    expect(p.checks).toEqual({ checks: [] });
    expect(p.evidence).toEqual({ reportDir: 'docs/tests', cadence: 'adhoc', commitReport: false });
    expect(p.limits).toEqual({ maxRestoreMinutes: 30, maxDataLossMinutes: 5, timeoutMinutes: 120 });
    expect(p.productionLoad).toEqual({ statementTimeoutSeconds: 3600, tablesAtOnce: 4, parallelWorkers: 2 });
    expect(p.secrets).toEqual([]);
    for (const absent of ['crossRegion', 'production', 'databaseName', 'restoreTime', 'signingKey'] as const)
      expect(p).not.toHaveProperty(absent);
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
    if (p.command !== 'restore-test') throw new Error('a restore-test plan');
    expect(p.restorePoint).toEqual({ type: 'point-in-time', time: new Date('2026-01-31T03:15:00Z') });
    expect(p.copy).toEqual({
      instanceClass: 'db.r6g.large',
      dbSubnetGroup: 'restore subnets',
      vpcSecurityGroupIds: ['sg-0123456789abcdef0', 'sg-12345678'],
      kmsKeyId: 'alias/restore-proof',
      restoredHost: 'localhost',
      restoredPort: 15432,
      sslMode: 'require',
    });
    expect(p.production?.settings).toEqual({
      host: 'db.internal',
      port: 5432,
      database: 'app',
      user: 'reader',
      password: 'secret',
      sslMode: 'require',
    });
    expect(p.databaseName).toBe('app');
    expect(p.evidence.signingKey?.asymmetricKeyType).toBe('ed25519');
    expect(p.evidence.signingKey?.equals(createPrivateKey(ed25519))).toBe(true);
    expect(p.signingKey).toBe(ed25519.trim());
    expect(p.productionUrl).toBe('postgres://reader:secret@db.internal:5432/app');
    expect(p.checksFile).toBe(checksFile);
    expect(plan({ 'restore-type': 'point-in-time', 'restore-time': 'random' }).restoreTime).toBe('random');
    expect(
      plan({ 'restore-type': 'snapshot', 'snapshot-id': 'rds:prod-db-2026-01-31-03-10' }).snapshotId,
    ).toBe('rds:prod-db-2026-01-31-03-10');
  });

  test('local-pitr needs no AWS inputs', () => {
    const p = buildPlan({ provider: 'local-pitr', 'backup-dir': dir, 'wal-archive-dir': dir }, {});
    expect(p.provider).toBe('local-pitr');
    expect(p.awsRegion).toBeUndefined();
    if (p.command !== 'restore-test') throw new Error('a restore-test plan');
    expect(p.source).toMatchObject({ kind: 'local-pitr', backupDir: dir, walArchiveDir: dir });
  });

  test('a Terraform-only preflight needs no AWS inputs', () => {
    const p = buildPlan({ command: 'preflight', 'terraform-dir': dir }, {});
    expect(p.terraformDir).toBe(dir);
    expect(p.sourceCluster).toBeUndefined();
    if (p.command !== 'preflight') throw new Error('a preflight plan');
    expect(p.source).toBeUndefined();
    expect(p.posture).toEqual({
      minRetentionDays: 35,
      maxPitrGapMinutes: 10,
      maxSnapshotAgeHours: 25,
      terraformDir: dir,
    });
  });

  test('a preflight against AWS carries its source', () => {
    const p = buildPlan(
      { command: 'preflight', 'source-instance': 'prod-pg', 'aws-region': 'eu-west-1' },
      {},
    );
    if (p.command !== 'preflight') throw new Error('a preflight plan');
    expect(p.source).toEqual({ kind: 'rds-instance', id: 'prod-pg', region: 'eu-west-1', partition: 'aws' });
  });

  test('janitor carries the region it sweeps', () => {
    const p = buildPlan({ command: 'janitor' }, { AWS_REGION: 'cn-north-1' });
    expect(p).toMatchObject({ command: 'janitor', region: 'cn-north-1', dryRun: false });
  });

  test('verify-reports needs no source', () => {
    const p = buildPlan({ command: 'verify-reports', 'public-key': 'keys.pem' }, {});
    expect(p).toMatchObject({ command: 'verify-reports', reportDir: 'docs/tests', publicKey: 'keys.pem' });
  });
});

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

describe('legacy helpers, re-exported for the callers that import them from here', () => {
  test('regionFromArn and clusterIdentifier read cluster ARNs', () => {
    const arn = 'arn:aws-us-gov:rds:us-gov-west-1:123456789012:cluster:prod-db';
    expect(regionFromArn(arn)).toBe('us-gov-west-1');
    expect(clusterIdentifier(arn)).toBe('prod-db');
    expect(regionFromArn('arn:aws-cn:rds:cn-north-1:123456789012:db:prod-pg')).toBe('cn-north-1');
    expect(regionFromArn('prod-db')).toBeUndefined();
    expect(clusterIdentifier('prod-db')).toBe('prod-db');
  });
});
