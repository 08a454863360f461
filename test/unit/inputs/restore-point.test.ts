import type { RawInputs } from '../../../src/inputs/names.js';
import { readInputs } from '../../../src/inputs/raw-inputs.js';
import { planRestorePoint } from '../../../src/inputs/restore-point.js';
import type { RestoreType } from '../../../src/model/types.js';

const plan = (type: RestoreType, raw: RawInputs = {}) => planRestorePoint(readInputs(raw), type);

test('latest, point-in-time with its time, snapshot with or without an id', () => {
  expect(plan('latest')).toEqual({ type: 'latest' });
  expect(plan('point-in-time', { 'restore-time': 'random' })).toEqual({
    type: 'point-in-time',
    time: 'random',
  });
  expect(plan('point-in-time', { 'restore-time': '2026-01-31T03:15:00Z' })).toEqual({
    type: 'point-in-time',
    time: new Date('2026-01-31T03:15:00Z'),
  });
  expect(plan('snapshot')).toEqual({ type: 'snapshot' });
});

test.each([
  'rds:prod-db-2026-01-31-03-10',
  'arn:aws:rds:us-east-1:123456789012:cluster-snapshot:rds:prod-db-2026-01-31-03-10',
  'arn:aws-us-gov:rds:us-gov-west-1:123456789012:snapshot:manual-1',
  'arn:aws-cn:rds:cn-north-1:123456789012:cluster-snapshot:nightly',
])('snapshot-id %s is accepted as given', (id) => {
  expect(plan('snapshot', { 'snapshot-id': id })).toEqual({ type: 'snapshot', snapshotId: id });
});

test.each([
  'snap shot',
  'arn:aws:rds:us-east-1:123456789012:cluster:prod-db',
  'arn:aws:kms:us-east-1:123456789012:key/abc',
  'arn:aws:rds:us-east-1:123456789012:cluster-snapshot:1bad',
])('snapshot-id %s is refused', (id) => {
  expect(() => plan('snapshot', { 'snapshot-id': id })).toThrow(
    /^input 'snapshot-id' accepts a DB cluster snapshot/,
  );
});
