import {
  assertOwned,
  clusterName,
  drillTags,
  expiresAt,
  hasOwnedName,
  instanceName,
  isRunId,
  newRunId,
  OwnershipError,
  TAG_RUN,
} from '../../../src/providers/ownership.js';

const now = new Date('2026-11-27T12:34:56Z');
const runId = newRunId(now, Buffer.from([0xab, 0xcd, 0xef]));

test('run ids sort by time, are unique by their random part, and fit RDS identifiers', () => {
  expect(runId).toBe('2611271234-abcdef');
  expect(isRunId(runId)).toBe(true);
  expect(newRunId(now)).not.toBe(newRunId(now));
  expect(clusterName(runId)).toBe('restore-proof-2611271234-abcdef');
  expect(instanceName(runId)).toBe('restore-proof-2611271234-abcdef-1');
  expect(instanceName(runId).length).toBeLessThanOrEqual(63);
});

test('names: only restore-proof-<run>[-n] counts as ours', () => {
  expect(hasOwnedName(clusterName(runId))).toBe(true);
  expect(hasOwnedName(instanceName(runId))).toBe(true);
  for (const name of [
    'prod-db',
    'restore-proof',
    'restore-proof-prod',
    'xrestore-proof-2611271234-abcdef',
    'restore-proof-2611271234-abcdef-x-y',
  ]) {
    expect([name, hasOwnedName(name)]).toEqual([name, false]);
  }
});

test('expiry is start + timeout + margin, and tags carry run, expiry, source and cadence', () => {
  const expires = expiresAt(now, 120);
  expect(expires.toISOString()).toBe('2026-11-27T15:04:56.000Z');
  expect(drillTags(runId, 'prod-db', expires, 'weekly')).toEqual([
    { Key: 'restore-proof:run', Value: runId },
    { Key: 'restore-proof:expires-at', Value: '2026-11-27T15:04:56.000Z' },
    { Key: 'restore-proof:source', Value: 'prod-db' },
    { Key: 'restore-proof:cadence', Value: 'weekly' },
  ]);
});

describe('assertOwned refuses anything without both the name and the tags', () => {
  const tags = [{ Key: TAG_RUN, Value: runId }];
  test('our own cluster passes', () => {
    expect(() => assertOwned('cluster', clusterName(runId), tags, runId)).not.toThrow();
    expect(() => assertOwned('instance', instanceName(runId), tags)).not.toThrow();
  });
  test.each([
    ['the source by name, even if tagged', 'prod-db', tags, runId],
    ['our name without tags', clusterName(runId), [], runId],
    ['our name with another run', clusterName(runId), [{ Key: TAG_RUN, Value: '2611271234-000000' }], runId],
    ['another run name with our tag', clusterName('2611271234-000000'), tags, undefined],
    ['untagged name-alike', clusterName(runId), undefined, undefined],
  ])('%s', (_what, id, t, run) => {
    expect(() => assertOwned('cluster', id, t, run)).toThrow(OwnershipError);
  });
});
