import { planCrossRegion } from '../../../src/inputs/cross-region.js';
import type { RawInputs } from '../../../src/inputs/names.js';
import type { RdsSource } from '../../../src/inputs/plan-types.js';
import { readInputs } from '../../../src/inputs/raw-inputs.js';

const cluster: RdsSource = { kind: 'aurora-cluster', id: 'prod-db', region: 'us-east-1', partition: 'aws' };
const plan = (raw: RawInputs, context: Partial<Parameters<typeof planCrossRegion>[1]> = {}) =>
  planCrossRegion(readInputs(raw), {
    source: cluster,
    region: 'us-east-1',
    restoreType: 'latest',
    ...context,
  });

test('no target-region: a same-region drill', () => {
  expect(plan({})).toBeUndefined();
});

test('target-region and its key, with the partition', () => {
  expect(plan({ 'target-region': 'us-west-2', 'target-kms-key-id': 'alias/dr' })).toEqual({
    region: 'us-west-2',
    partition: 'aws',
    kmsKeyId: 'alias/dr',
  });
  expect(plan({ 'target-region': 'us-west-2' }, { restoreType: 'snapshot' })).toEqual({
    region: 'us-west-2',
    partition: 'aws',
  });
});

test.each([
  [
    { 'target-region': 'us-east-1' },
    {},
    /^input 'target-region' must differ from the source region \(us-east-1\)/,
  ],
  [{ 'target-kms-key-id': 'alias/dr' }, {}, /^input 'target-kms-key-id' goes only with target-region/],
  [
    { 'target-region': 'us-west-2' },
    { source: { ...cluster, kind: 'rds-instance' as const } },
    /^input 'target-region' goes only with source-cluster: a cross-region drill copies an Aurora cluster snapshot/,
  ],
  [
    { 'target-region': 'us-west-2' },
    { source: undefined },
    /^input 'target-region' goes only with source-cluster/,
  ],
  [
    { 'target-region': 'us-west-2' },
    { restoreType: 'point-in-time' as const },
    /^input 'restore-type' accepts latest or snapshot with target-region/,
  ],
  [
    { 'target-region': 'us-west-2' },
    { kmsKeyId: 'alias/prod' },
    /^input 'kms-key-id' .*use target-kms-key-id/,
  ],
  [
    { 'target-region': 'us-gov-west-1' },
    {},
    /^input 'target-region' must be in the source's partition \(aws\); us-gov-west-1 is in aws-us-gov/,
  ],
  [{ 'target-region': 'uswest2' }, {}, /^input 'target-region' accepts an AWS region name/],
  [
    { 'target-region': 'us-west-2', 'target-kms-key-id': 'my key' },
    {},
    /^input 'target-kms-key-id' accepts a KMS key/,
  ],
])('refused: %j %#', (raw, context, message) => {
  expect(() => plan(raw as RawInputs, context)).toThrow(message);
});

test("target-region takes the target region's network; the source region's is refused", () => {
  expect(
    plan({
      'target-region': 'us-west-2',
      'target-db-subnet-group': 'dr-subnets',
      'target-vpc-security-group-ids': 'sg-0aaaaaaaaaaaaaaaa, sg-0bbbbbbbbbbbbbbbb',
    }),
  ).toEqual({
    region: 'us-west-2',
    partition: 'aws',
    dbSubnetGroup: 'dr-subnets',
    vpcSecurityGroupIds: ['sg-0aaaaaaaaaaaaaaaa', 'sg-0bbbbbbbbbbbbbbbb'],
  });
  expect(() =>
    plan({ 'target-region': 'us-west-2' }, { copy: { vpcSecurityGroupIds: ['sg-0123456789abcdef0'] } }),
  ).toThrow(
    /^input 'vpc-security-group-ids' names security groups of the source region.*target-vpc-security-group-ids/,
  );
  expect(() => plan({ 'target-region': 'us-west-2' }, { copy: { dbSubnetGroup: 'prod-subnets' } })).toThrow(
    /^input 'db-subnet-group' names a subnet group of the source region.*target-db-subnet-group/,
  );
  expect(() => plan({ 'target-region': 'us-west-2', 'target-vpc-security-group-ids': 'default' })).toThrow(
    /^input 'target-vpc-security-group-ids' accepts comma-separated security group ids/,
  );
});

test('target-db-subnet-group and target-vpc-security-group-ids go only with target-region', () => {
  expect(() => plan({ 'target-db-subnet-group': 'dr' })).toThrow(
    /^input 'target-db-subnet-group' goes only with target-region/,
  );
  expect(() => plan({ 'target-vpc-security-group-ids': 'sg-0aaaaaaaaaaaaaaaa' })).toThrow(
    /^input 'target-vpc-security-group-ids' goes only with target-region/,
  );
});
