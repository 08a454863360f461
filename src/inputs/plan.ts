/**
 * Raw input strings -> Plan. The one place for defaults and input errors: every error is one line that
 * names the input and what it accepts, raised before any AWS call that creates, modifies or deletes.
 */
import { createPrivateKey } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import {
  CLEANUP_POLICIES,
  COMMANDS,
  PROVIDERS,
  RESTORE_TYPES,
  SSL_MODES,
  type Plan,
  type ProviderName,
} from '../model/types.js';

/** Every input the action and the CLI accept, with the default the runner applies (from action.yml). */
export const INPUT_DEFAULTS = {
  command: 'restore-test',
  provider: 'aurora',
  'source-cluster': '',
  'aws-region': '',
  'restore-type': 'latest',
  'restore-time': '',
  'snapshot-id': '',
  'instance-class': '',
  'db-subnet-group': '',
  'vpc-security-group-ids': '',
  'kms-key-id': '',
  database: '',
  'production-url': '',
  'restored-host': '',
  'restored-port': '',
  'ssl-mode': 'verify-full',
  'checks-file': '',
  'max-restore-minutes': '30',
  'max-data-loss-minutes': '5',
  'timeout-minutes': '120',
  cleanup: 'always',
  'report-dir': 'docs/tests',
  'signing-key': '',
  'public-key': '',
  cadence: 'adhoc',
  'smoke-command': '',
  'github-token': '',
  'commit-report': 'false',
  'source-url': '',
  'backup-dir': '',
  'wal-archive-dir': '',
  'dry-run': 'false',
  'min-retention-days': '35',
  'max-pitr-gap-minutes': '10',
  'max-snapshot-age-hours': '25',
  'terraform-plan': '',
  'terraform-dir': '',
  'source-instance': '',
  'target-region': '',
  'target-kms-key-id': '',
  'metrics-namespace': '',
  'tunnel-command': '',
} as const satisfies Record<string, string>;

export type InputName = keyof typeof INPUT_DEFAULTS;
export const INPUT_NAMES = Object.keys(INPUT_DEFAULTS) as InputName[];

/** Inputs whose values are secrets: never echoed in an error. */
export const SECRET_INPUTS: readonly InputName[] = [
  'production-url',
  'signing-key',
  'github-token',
  'source-url',
];

export class InputError extends Error {
  constructor(
    readonly input: string,
    accepts: string,
    got?: string,
  ) {
    const shown =
      got === undefined ? '' : SECRET_INPUTS.includes(input as InputName) ? '' : `; got '${oneLine(got)}'`;
    super(`input '${input}' ${accepts}${shown}`);
    this.name = 'InputError';
  }
}

const oneLine = (s: string): string => (s.length > 80 ? `${s.slice(0, 77)}...` : s).replace(/[\r\n]+/g, ' ');

export type RawInputs = Partial<Record<InputName, string | undefined>>;

const CLUSTER_ID = /^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,62}(?<!-)$/;
const CLUSTER_ARN =
  /^arn:aws[a-z-]*:rds:([a-z0-9-]+):(\d{12}):cluster:([A-Za-z](?!.*--)[A-Za-z0-9-]{0,62}(?<!-))$/;
const INSTANCE_ARN =
  /^arn:aws[a-z-]*:rds:([a-z0-9-]+):(\d{12}):db:([A-Za-z](?!.*--)[A-Za-z0-9-]{0,62}(?<!-))$/;
const NAMESPACE = /^(?!AWS\/)[A-Za-z0-9._/#:-]{1,255}$/;
const SNAPSHOT_ID = /^[A-Za-z][A-Za-z0-9:-]{0,254}$/;
const SNAPSHOT_ARN =
  /^arn:aws[a-z-]*:rds:[a-z0-9-]+:\d{12}:(cluster-snapshot|snapshot):[A-Za-z][A-Za-z0-9:-]{0,254}$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;
const INSTANCE_CLASS = /^db\.[a-z0-9]+\.[a-z0-9]+$/;
const SUBNET_GROUP = /^[A-Za-z0-9 ._-]{1,255}$/;
const SECURITY_GROUP = /^sg-[0-9a-f]{8}([0-9a-f]{9})?$/;
const KMS_KEY =
  /^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/[A-Za-z0-9/_-]+|alias\/[A-Za-z0-9/_-]+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;
const DATABASE = /^[A-Za-z_][A-Za-z0-9_$-]{0,62}$/;
const HOST =
  /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$|^\d{1,3}(\.\d{1,3}){3}$|^\[?[0-9a-fA-F:]+\]?$/;
const CADENCE = /^[a-z0-9][a-z0-9-]{0,31}$/;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|\+00:00|\+0000)$/;

function oneOf<T extends string>(name: InputName, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value))
    throw new InputError(name, `accepts ${allowed.join(' | ')}`, value);
  return value as T;
}

function positiveNumber(name: InputName, value: string, max: number): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(n > 0) || n > max) {
    throw new InputError(name, `accepts a number of minutes greater than 0 and at most ${max}`, value);
  }
  return n;
}

function wholeNumber(name: InputName, value: string, min: number, max: number, unit: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) {
    throw new InputError(name, `accepts a whole number of ${unit} from ${min} to ${max}`, value);
  }
  return n;
}

function bool(name: InputName, value: string): boolean {
  if (/^(true|True|TRUE)$/.test(value)) return true;
  if (/^(false|False|FALSE)$/.test(value)) return false;
  throw new InputError(name, 'accepts true | false', value);
}

function pattern(name: InputName, value: string, re: RegExp, accepts: string): string {
  if (!re.test(value)) throw new InputError(name, accepts, value);
  return value;
}

function existingDir(name: InputName, value: string): string {
  if (!existsSync(value) || !statSync(value).isDirectory()) {
    throw new InputError(name, 'accepts the path of an existing directory', value);
  }
  return value;
}

function existingFile(name: InputName, value: string): string {
  if (!existsSync(value) || !statSync(value).isFile()) {
    throw new InputError(name, 'accepts the path of an existing file', value);
  }
  return value;
}

function postgresUrl(name: InputName, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(name, 'accepts a postgres://user:password@host:port/database URL');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new InputError(
      name,
      'accepts a postgres://user:password@host:port/database URL (scheme postgres or postgresql)',
    );
  }
  if (!url.hostname) throw new InputError(name, 'accepts a postgres:// URL with a host');
  return value;
}

function ed25519PrivateKey(name: InputName, value: string): string {
  try {
    const key = createPrivateKey(value);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error('type');
  } catch {
    throw new InputError(
      name,
      'accepts an Ed25519 private key in PEM form (openssl genpkey -algorithm ed25519)',
    );
  }
  return value;
}

/** Parses an ISO-8601 UTC instant, or 'random'. */
export function parseRestoreTime(value: string): Date | 'random' {
  if (value === 'random') return 'random';
  const accepts = "accepts an ISO-8601 UTC instant such as 2026-01-31T03:15:00Z, or 'random'";
  if (!ISO_UTC.test(value)) throw new InputError('restore-time', accepts, value);
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new InputError('restore-time', accepts, value);
  return date;
}

/** Region from an ARN, if the identifier is one. */
export function regionFromArn(value: string): string | undefined {
  return (CLUSTER_ARN.exec(value) ?? INSTANCE_ARN.exec(value))?.[1];
}

/** The cluster identifier inside an ARN, or the identifier itself. */
export function clusterIdentifier(value: string): string {
  return CLUSTER_ARN.exec(value)?.[3] ?? value;
}

/**
 * Builds the Plan. `raw` holds what the runner or the CLI passed (empty strings count as absent);
 * defaults are applied here so the CLI and the action behave the same.
 */
export function buildPlan(raw: RawInputs, env: NodeJS.ProcessEnv = process.env): Plan {
  for (const key of Object.keys(raw)) {
    if (!(INPUT_NAMES as string[]).includes(key)) {
      throw new InputError(key, `is not an input; inputs are: ${INPUT_NAMES.join(', ')}`);
    }
  }
  const get = (name: InputName): string | undefined => {
    const value = (raw[name] ?? '').trim();
    if (value !== '') return value;
    const fallback = INPUT_DEFAULTS[name] as string;
    return fallback === '' ? undefined : fallback;
  };
  const given = (name: InputName): boolean => (raw[name] ?? '').trim() !== '';

  const command = oneOf('command', get('command')!, COMMANDS);
  const provider: ProviderName = oneOf('provider', get('provider')!, PROVIDERS);
  const restoreType = oneOf('restore-type', get('restore-type')!, RESTORE_TYPES);
  const terraformOnly = command === 'preflight' && (given('terraform-plan') || given('terraform-dir'));
  const needsAws =
    provider === 'aurora' && (command === 'restore-test' || (command === 'preflight' && !terraformOnly));

  const plan: Plan = {
    command,
    provider,
    restoreType,
    sslMode: oneOf('ssl-mode', get('ssl-mode')!, SSL_MODES),
    maxRestoreMinutes: positiveNumber('max-restore-minutes', get('max-restore-minutes')!, 10_080),
    maxDataLossMinutes: positiveNumber('max-data-loss-minutes', get('max-data-loss-minutes')!, 10_080),
    timeoutMinutes: positiveNumber('timeout-minutes', get('timeout-minutes')!, 2_880),
    cleanup: oneOf('cleanup', get('cleanup')!, CLEANUP_POLICIES),
    reportDir: get('report-dir')!,
    cadence: pattern(
      'cadence',
      get('cadence')!,
      CADENCE,
      'accepts a short lower-case name such as weekly, monthly, quarterly, annual, audit or adhoc',
    ),
    commitReport: bool('commit-report', get('commit-report')!),
    dryRun: bool('dry-run', get('dry-run')!),
    minRetentionDays: wholeNumber('min-retention-days', get('min-retention-days')!, 1, 35, 'days'),
    maxPitrGapMinutes: positiveNumber('max-pitr-gap-minutes', get('max-pitr-gap-minutes')!, 10_080),
    maxSnapshotAgeHours: wholeNumber(
      'max-snapshot-age-hours',
      get('max-snapshot-age-hours')!,
      1,
      8_760,
      'hours',
    ),
  };

  const source = get('source-cluster');
  const instance = get('source-instance');
  if (source !== undefined && instance !== undefined) {
    throw new InputError(
      'source-instance',
      'goes instead of source-cluster, not with it (one source per drill)',
    );
  }
  if (source !== undefined) {
    if (!CLUSTER_ID.test(source) && !CLUSTER_ARN.test(source)) {
      throw new InputError(
        'source-cluster',
        'accepts a DB cluster identifier (a letter, then letters, digits and single hyphens, at most 63) or a cluster ARN',
        source,
      );
    }
    plan.sourceCluster = source;
  } else if (instance !== undefined) {
    if (!CLUSTER_ID.test(instance) && !INSTANCE_ARN.test(instance)) {
      throw new InputError(
        'source-instance',
        'accepts a DB instance identifier (a letter, then letters, digits and single hyphens, at most 63) or a DB instance ARN',
        instance,
      );
    }
    plan.sourceInstance = instance;
  } else if (needsAws) {
    throw new InputError(
      'source-cluster',
      `is required for command ${command} with provider aurora: a DB cluster identifier or ARN (or source-instance for RDS for PostgreSQL)`,
    );
  }
  const sourceArn = source ?? instance;

  const region =
    get('aws-region') ??
    (sourceArn ? regionFromArn(sourceArn) : undefined) ??
    env.AWS_REGION ??
    env.AWS_DEFAULT_REGION;
  if (region !== undefined) {
    plan.awsRegion = pattern('aws-region', region, REGION, 'accepts an AWS region name such as us-east-1');
    const arnRegion = sourceArn ? regionFromArn(sourceArn) : undefined;
    if (arnRegion && given('aws-region') && arnRegion !== region) {
      throw new InputError(
        'aws-region',
        `must match the region in source-cluster's ARN (${arnRegion})`,
        region,
      );
    }
  } else if (needsAws || (command === 'janitor' && provider === 'aurora')) {
    throw new InputError(
      'aws-region',
      'is required: an AWS region name such as us-east-1 (or set AWS_REGION)',
    );
  }

  const restoreTime = get('restore-time');
  if (restoreType === 'point-in-time') {
    if (restoreTime === undefined) {
      throw new InputError(
        'restore-time',
        "is required with restore-type point-in-time: an ISO-8601 UTC instant or 'random'",
      );
    }
    plan.restoreTime = parseRestoreTime(restoreTime);
  } else if (restoreTime !== undefined) {
    throw new InputError(
      'restore-time',
      `goes only with restore-type point-in-time (restore-type is ${restoreType})`,
      restoreTime,
    );
  }

  const snapshotId = get('snapshot-id');
  if (snapshotId !== undefined) {
    if (restoreType !== 'snapshot') {
      throw new InputError(
        'snapshot-id',
        `goes only with restore-type snapshot (restore-type is ${restoreType})`,
        snapshotId,
      );
    }
    if (!SNAPSHOT_ID.test(snapshotId) && !SNAPSHOT_ARN.test(snapshotId)) {
      throw new InputError(
        'snapshot-id',
        'accepts a DB cluster snapshot (or, with source-instance, DB snapshot) identifier or ARN',
        snapshotId,
      );
    }
    plan.snapshotId = snapshotId;
  }

  const optional = <K extends keyof Plan>(key: K, name: InputName, parse: (v: string) => Plan[K]): void => {
    const value = get(name);
    if (value !== undefined) plan[key] = parse(value);
  };
  optional('instanceClass', 'instance-class', (v) =>
    pattern('instance-class', v, INSTANCE_CLASS, 'accepts a DB instance class such as db.r6g.large'),
  );
  optional('dbSubnetGroup', 'db-subnet-group', (v) =>
    pattern(
      'db-subnet-group',
      v,
      SUBNET_GROUP,
      'accepts a DB subnet group name (letters, digits, spaces, . _ -)',
    ),
  );
  optional('vpcSecurityGroupIds', 'vpc-security-group-ids', (v) => {
    const ids = v.split(',').map((s) => s.trim());
    for (const id of ids) {
      if (!SECURITY_GROUP.test(id)) {
        throw new InputError(
          'vpc-security-group-ids',
          'accepts comma-separated security group ids such as sg-0123456789abcdef0',
          v,
        );
      }
    }
    return ids;
  });
  optional('kmsKeyId', 'kms-key-id', (v) =>
    pattern('kms-key-id', v, KMS_KEY, 'accepts a KMS key id, key ARN, alias/name or alias ARN'),
  );
  optional('database', 'database', (v) =>
    pattern(
      'database',
      v,
      DATABASE,
      'accepts a PostgreSQL database name (a letter or _, then letters, digits, _ $ -; at most 63)',
    ),
  );
  optional('productionUrl', 'production-url', (v) => postgresUrl('production-url', v));
  optional('restoredHost', 'restored-host', (v) =>
    pattern('restored-host', v, HOST, 'accepts a host name or IP address'),
  );
  optional('restoredPort', 'restored-port', (v) => {
    const n = Number(v);
    if (!/^\d+$/.test(v) || n < 1 || n > 65535)
      throw new InputError('restored-port', 'accepts a port number from 1 to 65535', v);
    return n;
  });
  if (plan.restoredPort !== undefined && plan.restoredHost === undefined) {
    throw new InputError(
      'restored-port',
      'goes only with restored-host (the tunnel or proxy to connect through)',
    );
  }
  optional('checksFile', 'checks-file', (v) => existingFile('checks-file', v));
  optional('signingKey', 'signing-key', (v) => ed25519PrivateKey('signing-key', v));
  optional('publicKey', 'public-key', (v) => v);
  optional('smokeCommand', 'smoke-command', (v) => v);
  optional('githubToken', 'github-token', (v) => v);
  if (plan.commitReport && !plan.githubToken) {
    throw new InputError(
      'github-token',
      'is required with commit-report true (a token with contents: write)',
    );
  }

  optional('targetRegion', 'target-region', (v) =>
    pattern('target-region', v, REGION, 'accepts an AWS region name such as us-west-2'),
  );
  if (plan.targetRegion !== undefined && plan.targetRegion === plan.awsRegion) {
    throw new InputError(
      'target-region',
      `must differ from the source region (${plan.awsRegion})`,
      plan.targetRegion,
    );
  }
  optional('targetKmsKeyId', 'target-kms-key-id', (v) =>
    pattern(
      'target-kms-key-id',
      v,
      KMS_KEY,
      'accepts a KMS key id, key ARN, alias/name or alias ARN in the target region',
    ),
  );
  if (plan.targetKmsKeyId !== undefined && plan.targetRegion === undefined) {
    throw new InputError('target-kms-key-id', 'goes only with target-region');
  }
  if (plan.targetRegion !== undefined) {
    if (plan.sourceCluster === undefined) {
      throw new InputError(
        'target-region',
        'goes only with source-cluster (cross-region drills copy a cluster snapshot)',
      );
    }
    if (restoreType === 'point-in-time') {
      throw new InputError(
        'restore-type',
        'accepts latest or snapshot with target-region: a cross-region drill copies a snapshot, and none exists at an arbitrary instant',
        restoreType,
      );
    }
    if (plan.kmsKeyId !== undefined) {
      throw new InputError(
        'kms-key-id',
        'goes only with same-region drills; use target-kms-key-id with target-region',
      );
    }
  }
  optional('metricsNamespace', 'metrics-namespace', (v) =>
    pattern(
      'metrics-namespace',
      v,
      NAMESPACE,
      "accepts a CloudWatch namespace (letters, digits, . _ / # : -; not starting with 'AWS/')",
    ),
  );
  optional('tunnelCommand', 'tunnel-command', (v) => {
    if (!v.includes('{localPort}')) {
      throw new InputError(
        'tunnel-command',
        'must contain {localPort}, the local port the drill connects through',
      );
    }
    return v;
  });
  if (plan.tunnelCommand !== undefined && plan.restoredHost !== undefined) {
    throw new InputError('tunnel-command', 'goes instead of restored-host, not with it');
  }
  optional('terraformPlan', 'terraform-plan', (v) => existingFile('terraform-plan', v));
  optional('terraformDir', 'terraform-dir', (v) => existingDir('terraform-dir', v));
  optional('sourceUrl', 'source-url', (v) => postgresUrl('source-url', v));
  optional('backupDir', 'backup-dir', (v) => existingDir('backup-dir', v));
  optional('walArchiveDir', 'wal-archive-dir', (v) => existingDir('wal-archive-dir', v));
  if (provider === 'local-pitr' && command === 'restore-test') {
    if (!plan.backupDir)
      throw new InputError(
        'backup-dir',
        'is required with provider local-pitr: the directory of pg_basebackup backups',
      );
    if (!plan.walArchiveDir)
      throw new InputError(
        'wal-archive-dir',
        'is required with provider local-pitr: the WAL archive directory',
      );
  }
  if (provider === 'local-pitr' && plan.sourceCluster) {
    throw new InputError(
      'source-cluster',
      'goes only with provider aurora; local-pitr reads backup-dir and wal-archive-dir',
    );
  }
  return plan;
}
