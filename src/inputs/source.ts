/**
 * The source and its region: source-cluster or source-instance (identifier or ARN, parsed once), and
 * aws-region, else the ARN's region, else AWS_REGION / AWS_DEFAULT_REGION.
 */
import { parseArnOf, partitionOf, type Arn } from '../aws/arn.js';
import type { Command, ProviderName } from '../model/types.js';
import { InputError } from './input-error.js';
import type { InputName } from './names.js';
import type { RdsSource } from './plan-types.js';
import type { InputReader } from './raw-inputs.js';
import { IDENTIFIER, pattern, REGION } from './values.js';

export interface PlannedSource {
  /** Set when the command needs an RDS source or region. */
  source?: RdsSource;
  region?: string;
  /** Legacy, as given. */
  sourceCluster?: string;
  sourceInstance?: string;
}

const KINDS = {
  'source-cluster': {
    kind: 'aurora-cluster',
    resourceType: 'cluster',
    accepts:
      'accepts a DB cluster identifier (a letter, then letters, digits and single hyphens, at most 63) or a cluster ARN',
  },
  'source-instance': {
    kind: 'rds-instance',
    resourceType: 'db',
    accepts:
      'accepts a DB instance identifier (a letter, then letters, digits and single hyphens, at most 63) or a DB instance ARN',
  },
} as const;

/** An identifier or an RDS ARN of the input's resource type, with a valid identifier inside. */
function parseSource(name: keyof typeof KINDS, value: string): { id: string; arn?: Arn } {
  const { resourceType, accepts } = KINDS[name];
  if (IDENTIFIER.test(value)) return { id: value };
  const arn = parseArnOf(value, 'rds', [resourceType]);
  if (!arn || !IDENTIFIER.test(arn.id) || !REGION.test(arn.region))
    throw new InputError(name, accepts, value);
  if (partitionOf(arn.region) !== arn.partition) {
    throw new InputError(
      name,
      `accepts an ARN whose partition matches its region (${arn.region} is in ${partitionOf(arn.region)})`,
      value,
    );
  }
  return { id: arn.id, arn };
}

export function planSource(
  inputs: InputReader,
  context: { command: Command; provider: ProviderName; env: NodeJS.ProcessEnv },
): PlannedSource {
  const { command, provider, env } = context;
  const terraformOnly =
    command === 'preflight' && (inputs.given('terraform-plan') || inputs.given('terraform-dir'));
  const needsAws =
    provider === 'aurora' && (command === 'restore-test' || (command === 'preflight' && !terraformOnly));

  const cluster = inputs.get('source-cluster');
  const instance = inputs.get('source-instance');
  if (cluster !== undefined && instance !== undefined) {
    throw new InputError(
      'source-instance',
      'goes instead of source-cluster, not with it (one source per drill)',
    );
  }
  const value = cluster ?? instance;
  const name: keyof typeof KINDS = cluster !== undefined ? 'source-cluster' : 'source-instance';
  if (provider === 'local-pitr' && value !== undefined) {
    throw new InputError(
      name,
      'goes only with provider aurora; local-pitr reads backup-dir and wal-archive-dir',
    );
  }
  const given = value === undefined ? undefined : { name, value, ...parseSource(name, value) };
  if (!given && needsAws) {
    throw new InputError(
      'source-cluster',
      `is required for command ${command} with provider aurora: a DB cluster identifier or ARN (or source-instance for RDS for PostgreSQL)`,
    );
  }

  const region = planRegion(inputs, given?.name, given?.arn, env);
  if (region === undefined && (needsAws || (command === 'janitor' && provider === 'aurora'))) {
    throw new InputError(
      'aws-region',
      'is required: an AWS region name such as us-east-1 (or set AWS_REGION)',
    );
  }
  const planned: PlannedSource = {};
  if (region !== undefined) planned.region = region;
  if (given) {
    planned[given.name === 'source-cluster' ? 'sourceCluster' : 'sourceInstance'] = given.value;
    planned.source = {
      kind: KINDS[given.name].kind,
      id: given.id,
      ...(given.arn ? { arn: given.value } : {}),
      ...(region !== undefined ? { region } : {}),
      partition: given.arn?.partition ?? (region !== undefined ? partitionOf(region) : 'aws'),
    };
  }
  return planned;
}

/** aws-region, which must match the source ARN's; else the ARN's region; else the environment's. */
function planRegion(
  inputs: InputReader,
  sourceInput: InputName | undefined,
  arn: Arn | undefined,
  env: NodeJS.ProcessEnv,
): string | undefined {
  const region = inputs.get('aws-region') ?? arn?.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (region === undefined) return undefined;
  pattern('aws-region', region, REGION, 'accepts an AWS region name such as us-east-1');
  if (arn && inputs.given('aws-region') && arn.region !== region) {
    throw new InputError(
      'aws-region',
      `must match the region in ${sourceInput}'s ARN (${arn.region})`,
      region,
    );
  }
  return region;
}
