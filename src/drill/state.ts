/**
 * Drill state that must outlive the main step: what was created, by which run, and whether main already
 * cleaned up. The action writes it to the runner's state file the moment a resource exists, so the post
 * step can delete it after a failure, a timeout, a cancel or a kill.
 */
import type { CreatedResource } from '../providers/provider.js';
import type { CleanupPolicy, ProviderName } from '../model/types.js';
import type { StateStore } from '../host/io.js';

export type { StateStore } from '../host/io.js';

export function memoryState(
  initial: Record<string, string> = {},
): StateStore & { values: Record<string, string> } {
  const values = { ...initial };
  return {
    values,
    save: (k, v) => {
      values[k] = v;
    },
    get: (k) => values[k] ?? '',
  };
}

export const STATE = {
  runId: 'run-id',
  provider: 'provider',
  region: 'region',
  resources: 'resources',
  cleanupPolicy: 'cleanup-policy',
  /** 'done' once main has run its cleanup (or decided to keep the resources). */
  cleanedUp: 'cleaned-up',
} as const;

export interface DrillState {
  runId: string;
  provider: ProviderName | '';
  region: string;
  resources: CreatedResource[];
  cleanupPolicy: CleanupPolicy | '';
  cleanedUp: boolean;
}

export function readDrillState(store: StateStore): DrillState {
  let resources: CreatedResource[] = [];
  const raw = store.get(STATE.resources);
  if (raw) {
    const parsed: unknown = JSON.parse(raw);
    if (!Array.isArray(parsed)) throw new Error('state: resources is not a list');
    resources = parsed as CreatedResource[];
  }
  return {
    runId: store.get(STATE.runId),
    provider: store.get(STATE.provider) as ProviderName | '',
    region: store.get(STATE.region),
    resources,
    cleanupPolicy: store.get(STATE.cleanupPolicy) as CleanupPolicy | '',
    cleanedUp: store.get(STATE.cleanedUp) === 'done',
  };
}
