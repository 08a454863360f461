/**
 * Cross-region drills, every rule in one place: target-region (a region other than the source's) copies a
 * cluster snapshot there and restores it; target-kms-key-id encrypts that copy. A snapshot exists only at
 * backup instants, so point-in-time is refused, and kms-key-id (the source region's key) gives way to
 * target-kms-key-id. Subnet groups and security groups are regional too: target-db-subnet-group and
 * target-vpc-security-group-ids name the target region's, and db-subnet-group / vpc-security-group-ids (the
 * source region's) are refused with target-region.
 */
import { partitionOf } from '../aws/arn.js';
import type { RestoreType } from '../model/types.js';
import { InputError } from './input-error.js';
import { securityGroupIds, subnetGroup } from './copy.js';
import type { CopySettings, CrossRegion, RdsSource } from './plan-types.js';
import type { InputReader } from './raw-inputs.js';
import { kmsKey, pattern, REGION } from './values.js';

export function planCrossRegion(
  inputs: InputReader,
  context: {
    source?: RdsSource;
    region?: string;
    restoreType: RestoreType;
    kmsKeyId?: string;
    copy?: Pick<CopySettings, 'dbSubnetGroup' | 'vpcSecurityGroupIds'>;
  },
): CrossRegion | undefined {
  const region = inputs.parse('target-region', (v) =>
    pattern('target-region', v, REGION, 'accepts an AWS region name such as us-west-2'),
  );
  if (region !== undefined && region === context.region) {
    throw new InputError('target-region', `must differ from the source region (${context.region})`, region);
  }
  const kmsKeyId = inputs.parse('target-kms-key-id', (v) =>
    kmsKey(
      'target-kms-key-id',
      v,
      'accepts a KMS key id, key ARN, alias/name or alias ARN in the target region',
    ),
  );
  const dbSubnetGroup = inputs.parse('target-db-subnet-group', (v) =>
    subnetGroup('target-db-subnet-group', v),
  );
  const vpcSecurityGroupIds = inputs.parse('target-vpc-security-group-ids', (v) =>
    securityGroupIds(v, 'target-vpc-security-group-ids'),
  );
  if (region === undefined) {
    if (kmsKeyId !== undefined) throw new InputError('target-kms-key-id', 'goes only with target-region');
    if (dbSubnetGroup !== undefined) {
      throw new InputError('target-db-subnet-group', 'goes only with target-region (use db-subnet-group)');
    }
    if (vpcSecurityGroupIds !== undefined) {
      throw new InputError(
        'target-vpc-security-group-ids',
        'goes only with target-region (use vpc-security-group-ids)',
      );
    }
    return undefined;
  }
  if (context.copy?.vpcSecurityGroupIds !== undefined) {
    throw new InputError(
      'vpc-security-group-ids',
      `names security groups of the source region, and security groups are regional: with target-region name groups in ${region} as target-vpc-security-group-ids`,
    );
  }
  if (context.copy?.dbSubnetGroup !== undefined) {
    throw new InputError(
      'db-subnet-group',
      `names a subnet group of the source region, and subnet groups are regional: with target-region name one in ${region} as target-db-subnet-group`,
    );
  }
  if (context.source?.kind !== 'aurora-cluster') {
    throw new InputError(
      'target-region',
      'goes only with source-cluster: a cross-region drill copies an Aurora cluster snapshot',
    );
  }
  if (context.restoreType === 'point-in-time') {
    throw new InputError(
      'restore-type',
      'accepts latest or snapshot with target-region: a cross-region drill copies a snapshot, and none exists at an arbitrary instant',
      context.restoreType,
    );
  }
  if (context.kmsKeyId !== undefined) {
    throw new InputError(
      'kms-key-id',
      'goes only with same-region drills; use target-kms-key-id with target-region',
    );
  }
  const partition = partitionOf(region);
  if (partition !== context.source.partition) {
    throw new InputError(
      'target-region',
      `must be in the source's partition (${context.source.partition}); ${region} is in ${partition}`,
      region,
    );
  }
  return {
    region,
    partition,
    ...(kmsKeyId !== undefined ? { kmsKeyId } : {}),
    ...(dbSubnetGroup !== undefined ? { dbSubnetGroup } : {}),
    ...(vpcSecurityGroupIds !== undefined ? { vpcSecurityGroupIds } : {}),
  };
}
