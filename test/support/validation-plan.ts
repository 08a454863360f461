/**
 * The restore-test plan a validation test reads production with: built by buildPlan from inputs, as a
 * drill's is, so production's connection is parsed once there, then the test's own (flat) overrides.
 */
import { buildRestoreTestPlan } from '../../src/inputs/plan.js';
import type { RestoreTestPlan } from '../../src/inputs/plan-types.js';

export function validationPlan(
  productionUrl: string,
  overrides: Partial<RestoreTestPlan> = {},
): RestoreTestPlan {
  const plan = buildRestoreTestPlan(
    {
      'source-cluster': 'prod-db',
      'aws-region': 'us-east-1',
      'production-url': productionUrl,
      'ssl-mode': 'disable',
      // Security groups of the copy's own: not reachable like production (access:copy-network).
      'vpc-security-group-ids': 'sg-0123456789abcdef0',
      'max-restore-minutes': '60',
      'timeout-minutes': '60',
      cadence: 'weekly',
    },
    {},
  );
  return { ...plan, ...overrides };
}
