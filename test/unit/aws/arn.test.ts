import { buildArn, parseArn, parseArnOf, partitionOf, resourceId } from '../../../src/aws/arn.js';

describe('partitionOf', () => {
  test.each([
    ['us-east-1', 'aws'],
    ['eu-west-1', 'aws'],
    ['ap-southeast-2', 'aws'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['us-gov-east-1', 'aws-us-gov'],
    ['cn-north-1', 'aws-cn'],
    ['cn-northwest-1', 'aws-cn'],
    ['us-iso-east-1', 'aws-iso'],
    ['us-isob-east-1', 'aws-iso-b'],
  ])('%s is in %s', (region, partition) => {
    expect(partitionOf(region)).toBe(partition);
  });
});

describe('parseArn and buildArn, in every partition', () => {
  test.each([
    ['arn:aws:rds:us-east-1:123456789012:cluster:prod-db', 'aws', 'rds', 'us-east-1', 'cluster', 'prod-db'],
    [
      'arn:aws-us-gov:rds:us-gov-west-1:123456789012:db:prod-pg',
      'aws-us-gov',
      'rds',
      'us-gov-west-1',
      'db',
      'prod-pg',
    ],
    [
      'arn:aws-cn:rds:cn-north-1:123456789012:cluster:prod-db',
      'aws-cn',
      'rds',
      'cn-north-1',
      'cluster',
      'prod-db',
    ],
    [
      'arn:aws:rds:eu-west-1:123456789012:cluster-snapshot:rds:prod-db-2026-01-31-03-10',
      'aws',
      'rds',
      'eu-west-1',
      'cluster-snapshot',
      'rds:prod-db-2026-01-31-03-10',
    ],
    [
      'arn:aws-cn:kms:cn-northwest-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      'aws-cn',
      'kms',
      'cn-northwest-1',
      'key',
      '1234abcd-12ab-34cd-56ef-1234567890ab',
    ],
    [
      'arn:aws-us-gov:kms:us-gov-east-1:123456789012:alias/dr/restore',
      'aws-us-gov',
      'kms',
      'us-gov-east-1',
      'alias',
      'dr/restore',
    ],
  ])('%s', (text, partition, service, region, resourceType, id) => {
    const arn = parseArn(text);
    expect(arn).toEqual({ partition, service, region, account: '123456789012', resourceType, id });
    expect(buildArn(arn!)).toBe(text);
  });

  test('buildArn takes the partition from the region when none is given', () => {
    const parts = { service: 'rds', account: '123456789012', resourceType: 'cluster', id: 'prod-db' };
    expect(buildArn({ ...parts, region: 'us-gov-west-1' })).toBe(
      'arn:aws-us-gov:rds:us-gov-west-1:123456789012:cluster:prod-db',
    );
    expect(buildArn({ ...parts, region: 'cn-north-1' })).toBe(
      'arn:aws-cn:rds:cn-north-1:123456789012:cluster:prod-db',
    );
    expect(buildArn({ ...parts, region: 'us-east-1' })).toBe(
      'arn:aws:rds:us-east-1:123456789012:cluster:prod-db',
    );
  });

  test.each([
    'prod-db',
    'arn:aws-mars:rds:us-east-1:123456789012:cluster:prod-db',
    'arn:aws:rds:us-east-1:12345:cluster:prod-db',
    'arn:aws:rds:us-east-1:123456789012:cluster',
    'arn:aws:rds:us-east-1:123456789012:cluster:',
    'arn:aws:rds:us-east-1:123456789012::prod-db',
    '',
  ])('%j is not an ARN', (text) => {
    expect(parseArn(text)).toBeUndefined();
  });
});

describe('parseArnOf and resourceId', () => {
  const cluster = 'arn:aws:rds:us-east-1:123456789012:cluster:prod-db';
  const instance = 'arn:aws:rds:us-east-1:123456789012:db:prod-pg';

  test('parseArnOf keeps only the asked service and resource types', () => {
    expect(parseArnOf(cluster, 'rds', ['cluster'])?.id).toBe('prod-db');
    expect(parseArnOf(instance, 'rds', ['cluster'])).toBeUndefined();
    expect(parseArnOf(cluster, 'kms', ['cluster'])).toBeUndefined();
    expect(parseArnOf(instance, 'rds', ['cluster', 'db'])?.id).toBe('prod-pg');
  });

  test('resourceId reads the id of an ARN of that type, else returns the value', () => {
    expect(resourceId(cluster, 'rds', 'cluster')).toBe('prod-db');
    expect(resourceId('prod-db', 'rds', 'cluster')).toBe('prod-db');
    expect(resourceId(instance, 'rds', 'cluster')).toBe(instance);
  });
});
