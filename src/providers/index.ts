import type { Plan, ProviderName } from '../types.js';
import { AuroraProvider } from './aurora.js';
import { LocalPitrProvider } from './local-pitr.js';
import type { Provider } from './provider.js';

/** The provider a plan (or, in the post step, saved state) asks for. */
export function createProvider(name: ProviderName, region: string | undefined): Provider {
  switch (name) {
    case 'aurora':
      if (!region) throw new Error('aws-region is required for provider aurora');
      return new AuroraProvider({ region });
    case 'local-pitr':
      return new LocalPitrProvider();
  }
}

export const providerForPlan = (plan: Plan): Provider => createProvider(plan.provider, plan.awsRegion);
