/**
 * Cross-region drills, every rule in one place: target-region (a region other than the source's) copies a
 * cluster snapshot there and restores it; target-kms-key-id encrypts that copy. A snapshot exists only at
 * backup instants, so point-in-time is refused, and kms-key-id (the source region's key) gives way to
 * target-kms-key-id.
 */
import { partitionOf } from '../aws/arn.js';
import type { RestoreType } from '../model/types.js';
import { InputError } from './input-error.js';
import type { CrossRegion, RdsSource } from './plan-types.js';
import type { InputReader } from './raw-inputs.js';
import { kmsKey, pattern, REGION } from './values.js';

export function planCrossRegion(
  inputs: InputReader,
  context: { source?: RdsSource; region?: string; restoreType: RestoreType; kmsKeyId?: string },
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
  if (region === undefined) {
    if (kmsKeyId !== undefined) throw new InputError('target-kms-key-id', 'goes only with target-region');
    return undefined;
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
  return { region, partition, ...(kmsKeyId !== undefined ? { kmsKeyId } : {}) };
}
