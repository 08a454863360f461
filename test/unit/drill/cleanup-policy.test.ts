import { cleanupAction, type DrillEnding } from '../../../src/drill/cleanup-policy.js';
import type { CleanupPolicy } from '../../../src/model/types.js';

const situation = (policy: CleanupPolicy | '', ending: DrillEnding, created = 2, cleanedUp = false) => ({
  policy,
  ending,
  created,
  cleanedUp,
});

test.each<[CleanupPolicy | '', DrillEnding, string]>([
  ['always', 'passed', 'delete'],
  ['always', 'failed', 'delete'],
  ['always', 'cancelled', 'delete'],
  ['always', 'unfinished', 'delete'],
  ['on-success', 'passed', 'delete'],
  ['on-success', 'failed', 'keep'],
  ['on-success', 'cancelled', 'delete'],
  ['on-success', 'unfinished', 'delete'],
  ['never', 'passed', 'keep'],
  ['never', 'failed', 'keep'],
  ['never', 'cancelled', 'keep'],
  ['never', 'unfinished', 'keep'],
  ['', 'unfinished', 'delete'],
])('cleanup %s after a drill that %s: %s', (policy, ending, action) => {
  expect(cleanupAction(situation(policy, ending))).toBe(action);
});

test('nothing created comes before any policy', () => {
  expect(cleanupAction(situation('never', 'failed', 0))).toBe('nothing-created');
  expect(cleanupAction(situation('always', 'passed', 0, true))).toBe('nothing-created');
});

test('already cleaned up comes before the policy', () => {
  expect(cleanupAction(situation('always', 'unfinished', 2, true))).toBe('already-cleaned');
  expect(cleanupAction(situation('never', 'unfinished', 2, true))).toBe('already-cleaned');
});
