/**
 * The one way restore-proof deletes RDS resources, used by a drill's cleanup (main and post step) and by the
 * janitor: instances, then clusters, then copied cluster snapshots, each in its own region. Right before each
 * delete (and before lifting deletion protection on our own copy) the resource is described again and must
 * carry the restore-proof name and its run's tag. Idempotent: NotFound counts as done.
 */
import type { Logger } from '../../log/logger.js';
import type { CleanupOutcome } from '../../model/types.js';
import type { CreatedResource } from '../provider.js';
import type { RdsRegion } from './region.js';

export type CleanupEntry = CleanupOutcome['resources'][number];

/** The order deletes go in: a cluster cannot go while it has instances; a snapshot may still feed a restore. */
export const DELETE_ORDER: readonly CreatedResource['kind'][] = ['instance', 'cluster', 'snapshot'];

export interface DeleteOwnedOptions {
  /** The RDS API in a region. */
  api: (region: string) => RdsRegion;
  /** The region of a resource that names none. */
  defaultRegion: string;
  logger: Logger;
  /** Called after each resource; by default logs `cleanup: <kind> <id> <outcome>`. */
  onResult?: (entry: CleanupEntry, where: string) => void;
}

/** Logs a cleanup line per resource, naming the region when it is not the default one. */
export const logCleanup =
  (logger: Logger) =>
  (entry: CleanupEntry, where: string): void => {
    if (entry.outcome === 'failed') {
      logger.error(`cleanup: ${entry.kind} ${entry.id}${where} could not be deleted: ${entry.error}`);
    } else {
      logger.info(`cleanup: ${entry.kind} ${entry.id}${where} ${entry.outcome}`);
    }
  };

/**
 * Deletes `resources` in DELETE_ORDER; ownership is checked against each resource's own runId. Resources of
 * other kinds (local-server) are not RDS's and are left alone. Never throws: a failure is in the outcome.
 */
export async function deleteOwned(
  resources: CreatedResource[],
  options: DeleteOwnedOptions,
): Promise<CleanupOutcome> {
  const { logger, defaultRegion } = options;
  const report = options.onResult ?? logCleanup(logger);
  const outcome: CleanupOutcome = { status: 'deleted', resources: [] };
  const ordered = DELETE_ORDER.flatMap((kind) => resources.filter((r) => r.kind === kind));
  for (const resource of ordered) {
    const api = options.api(resource.region || defaultRegion);
    const where = api.region === defaultRegion ? '' : ` in ${api.region}`;
    const { kind, id, runId } = resource;
    let entry: CleanupEntry;
    try {
      const result =
        kind === 'instance'
          ? await api.deleteInstance(id, runId, logger)
          : kind === 'cluster'
            ? await api.deleteCluster(id, runId, logger)
            : await api.deleteClusterSnapshot(id, runId, logger);
      entry = { kind, id, outcome: result };
    } catch (error) {
      outcome.status = 'failed';
      entry = { kind, id, outcome: 'failed', error: (error as Error).message };
    }
    outcome.resources.push(entry);
    report(entry, where);
  }
  if (ordered.length === 0) outcome.status = 'none';
  return outcome;
}
