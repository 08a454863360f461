import { planEvidence } from '../../../src/inputs/evidence.js';
import type { RawInputs } from '../../../src/inputs/names.js';
import { readInputs } from '../../../src/inputs/raw-inputs.js';

const plan = (raw: RawInputs) => planEvidence(readInputs(raw));

test('report-branch reaches the evidence settings; refs/heads/ is accepted and dropped', () => {
  expect(plan({ 'report-branch': 'restore-proof-evidence' }).reportBranch).toBe('restore-proof-evidence');
  expect(plan({ 'report-branch': 'refs/heads/evidence/weekly' }).reportBranch).toBe('evidence/weekly');
  expect(plan({}).reportBranch).toBeUndefined();
});

test.each([
  'has space',
  '../up',
  'a..b',
  '-flag',
  'ends/',
  'x.lock',
  'what?',
  'a:b',
  'a~1',
  'a^',
  'a[b',
  'a\\b',
  'x@{1}',
])('report-branch %j is refused in one line naming the input', (value) => {
  expect(() => plan({ 'report-branch': value })).toThrow(
    /^input 'report-branch' accepts a branch name such as restore-proof-evidence/,
  );
});
