import type { ProviderName } from '../model/types.js';
import type { RestoreTestPlan as Plan } from '../inputs/plan-types.js';
import { AuroraProvider } from './rds/aurora.js';
import { LocalPitrProvider } from './local-pitr/provider.js';
import type { Provider } from './provider.js';
import { RdsInstanceProvider } from './rds/instance.js';

/**
 * The provider a plan (or, in the post step, saved state) asks for. The post step only cleans up: both RDS
 * providers clean up through the same loop, deleting instances, clusters and copied snapshots each in the
 * region its state entry names (a cross-region drill's copy lives in target-region).
 */
export function createProvider(name: ProviderName, region: string | undefined): Provider {
  switch (name) {
    case 'aurora':
      if (!region) throw new Error('aws-region is required for provider aurora');
      return new AuroraProvider({ region });
    case 'rds-instance':
      if (!region) throw new Error('aws-region is required for source-instance');
      return new RdsInstanceProvider({ region });
    case 'local-pitr':
      return new LocalPitrProvider();
  }
}

/** Routes a drill: source-instance to the RDS instance restore, else by the provider input. */
export function providerForPlan(plan: Plan): Provider {
  if (plan.source.kind === 'rds-instance') return createProvider('rds-instance', plan.awsRegion);
  return createProvider(plan.provider, plan.awsRegion);
}
