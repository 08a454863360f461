/**
 * What one drill created, and its removal. Every resource is saved to state the moment its create call
 * returns (before anything waits on it), so the post step can delete it after a crash. On cancel, deletion
 * of what exists starts at once; the drill's own cleanup at its end then covers anything newer.
 */
import type { Logger } from '../log/logger.js';
import type { CreatedResource, Provider } from '../providers/provider.js';
import type { CleanupOutcome } from '../model/types.js';
import type { RestoreTestPlan as Plan } from '../inputs/plan-types.js';
import { cleanupAction, keptMessage, type DrillEnding } from './cleanup-policy.js';
import { STATE, type StateStore } from './state.js';

export interface CreatedResourcesDeps {
  plan: Pick<Plan, 'cleanup'>;
  provider: Pick<Provider, 'cleanup'>;
  state: StateStore;
  logger: Logger;
  runId: string;
}

export class CreatedResources {
  readonly list: CreatedResource[] = [];
  /** The deletion started on cancel. */
  private early?: Promise<CleanupOutcome>;
  /** Set once the drill's own cleanup began: a cancel after that has nothing to start. */
  private finishing = false;

  constructor(private readonly deps: CreatedResourcesDeps) {}

  /** Records a resource in memory and in state; the provider calls it before waiting on the resource. */
  readonly record = async (resource: CreatedResource): Promise<void> => {
    this.list.push(resource);
    this.deps.state.save(STATE.resources, JSON.stringify(this.list));
  };

  /** On cancel: starts deleting what exists now, unless the policy keeps it. Returns at once. */
  deleteNow(): void {
    if (this.finishing || this.early || this.action('cancelled') !== 'delete') return;
    const deleting = [...this.list];
    this.deps.logger.warning(`cancelled: deleting ${deleting.map((r) => r.id).join(', ')} now`);
    this.early = this.delete(deleting);
  }

  /** The drill's own cleanup, per policy: deletes everything it created, and waits for a deletion begun on cancel. */
  async cleanUp(ending: DrillEnding): Promise<CleanupOutcome> {
    const { state, logger, plan } = this.deps;
    this.finishing = true;
    const action = this.action(ending);
    if (action === 'nothing-created') {
      state.save(STATE.cleanedUp, 'done');
      return { status: 'none', resources: [] };
    }
    if (action === 'keep') {
      logger.warning(
        keptMessage(
          plan.cleanup,
          this.list.map((r) => r.id),
        ),
      );
      state.save(STATE.cleanedUp, 'done');
      return {
        status: 'kept',
        resources: this.list.map((r) => ({ kind: r.kind, id: r.id, outcome: 'kept' as const })),
      };
    }
    // Everything again, without waiting for a deletion started on cancel: that one may be waiting on
    // something only this one deletes (an instance created after the cancel, before its cluster can go).
    // Deleting is idempotent: what is already gone counts as deleted.
    const [outcome] = await Promise.all([this.delete(this.list), this.early]);
    if (outcome.status !== 'failed') state.save(STATE.cleanedUp, 'done');
    return outcome;
  }

  private action(ending: DrillEnding) {
    return cleanupAction({
      policy: this.deps.plan.cleanup,
      ending,
      created: this.list.length,
      cleanedUp: false,
    });
  }

  /** provider.cleanup, with a thrown error turned into a failed outcome (the post step and janitor retry). */
  private async delete(resources: CreatedResource[]): Promise<CleanupOutcome> {
    const { provider, runId, logger } = this.deps;
    try {
      return await provider.cleanup(resources, runId, logger);
    } catch (e) {
      const error = ((e as Error).message ?? String(e)).split('\n')[0];
      logger.error(`cleanup failed: ${error}`);
      return {
        status: 'failed',
        resources: resources.map((r) => ({ kind: r.kind, id: r.id, outcome: 'failed' as const, error })),
      };
    }
  }
}
