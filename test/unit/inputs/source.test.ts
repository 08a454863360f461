import type { RawInputs } from '../../../src/inputs/names.js';
import { readInputs } from '../../../src/inputs/raw-inputs.js';
import { planSource } from '../../../src/inputs/source.js';

const restoreTest = { command: 'restore-test', provider: 'aurora' } as const;
const plan = (raw: RawInputs, env: NodeJS.ProcessEnv = {}, context = restoreTest) =>
  planSource(readInputs(raw), { ...context, env });

describe('the source, parsed once', () => {
  test('an identifier', () => {
    expect(plan({ 'source-cluster': 'prod-db', 'aws-region': 'eu-west-1' })).toEqual({
      sourceCluster: 'prod-db',
      region: 'eu-west-1',
      source: { kind: 'aurora-cluster', id: 'prod-db', region: 'eu-west-1', partition: 'aws' },
    });
  });

  test.each([
    ['arn:aws:rds:us-east-1:123456789012:cluster:prod-db', 'us-east-1', 'aws'],
    ['arn:aws-us-gov:rds:us-gov-west-1:123456789012:cluster:prod-db', 'us-gov-west-1', 'aws-us-gov'],
    ['arn:aws-cn:rds:cn-north-1:123456789012:cluster:prod-db', 'cn-north-1', 'aws-cn'],
  ])('a cluster ARN gives id, region and partition: %s', (arn, region, partition) => {
    expect(plan({ 'source-cluster': arn }).source).toEqual({
      kind: 'aurora-cluster',
      id: 'prod-db',
      arn,
      region,
      partition,
    });
  });

  test('an instance ARN is an rds-instance source', () => {
    const arn = 'arn:aws-cn:rds:cn-northwest-1:123456789012:db:prod-pg';
    expect(plan({ 'source-instance': arn })).toEqual({
      sourceInstance: arn,
      region: 'cn-northwest-1',
      source: { kind: 'rds-instance', id: 'prod-pg', arn, region: 'cn-northwest-1', partition: 'aws-cn' },
    });
  });

  test('an identifier takes its partition from the region', () => {
    expect(plan({ 'source-cluster': 'prod-db' }, { AWS_REGION: 'us-gov-east-1' }).source?.partition).toBe(
      'aws-us-gov',
    );
  });

  test("an ARN whose partition is not its region's is refused", () => {
    expect(() => plan({ 'source-cluster': 'arn:aws:rds:cn-north-1:123456789012:cluster:prod-db' })).toThrow(
      /^input 'source-cluster' accepts an ARN whose partition matches its region \(cn-north-1 is in aws-cn\)/,
    );
  });

  test('a region that differs from the ARN names the input the ARN came from', () => {
    expect(() =>
      plan({
        'source-instance': 'arn:aws:rds:eu-west-1:123456789012:db:prod-pg',
        'aws-region': 'us-east-1',
      }),
    ).toThrow(/^input 'aws-region' must match the region in source-instance's ARN \(eu-west-1\)/);
  });

  test('source-instance goes only with provider aurora', () => {
    expect(() =>
      plan({ 'source-instance': 'prod-pg' }, {}, {
        command: 'restore-test',
        provider: 'local-pitr',
      } as never),
    ).toThrow(/^input 'source-instance' goes only with provider aurora/);
  });
});

describe('the region', () => {
  test('aws-region, then the ARN, then AWS_REGION, then AWS_DEFAULT_REGION', () => {
    const arn = 'arn:aws:rds:eu-west-1:123456789012:cluster:prod-db';
    expect(plan({ 'source-cluster': arn }, { AWS_REGION: 'us-west-2' }).region).toBe('eu-west-1');
    expect(plan({ 'source-cluster': 'prod-db' }, { AWS_REGION: 'us-west-2' }).region).toBe('us-west-2');
    expect(plan({ 'source-cluster': 'prod-db' }, { AWS_DEFAULT_REGION: 'ap-south-1' }).region).toBe(
      'ap-south-1',
    );
  });

  test('janitor needs a region but no source', () => {
    const janitor = { command: 'janitor', provider: 'aurora' } as const;
    expect(plan({}, { AWS_REGION: 'us-east-1' }, janitor as never)).toEqual({ region: 'us-east-1' });
    expect(() => plan({}, {}, janitor as never)).toThrow(/^input 'aws-region' is required/);
  });
});
