/**
 * The post step: deletes whatever main created and did not delete (failure, timeout, cancel, kill), per the
 * drill's cleanup policy. Reads only saved state, so it works even when main never finished.
 */
import { cleanupAction, keptMessage } from '../drill/cleanup-policy.js';
import { readDrillState, STATE } from '../drill/state.js';
import type { EngineIO } from '../host/io.js';
import type { Provider } from '../providers/provider.js';
import { createProvider } from '../providers/registry.js';

export interface PostOptions {
  /** Build the provider that cleans up (tests inject one). */
  provider?: (name: Provider['name'], region: string) => Provider;
}

/** Resolves with the exit code: 0 when nothing is left to delete (or it is kept by policy), 1 otherwise. */
export async function runPost(io: EngineIO, options: PostOptions = {}): Promise<number> {
  const state = readDrillState(io.state);
  const ids = state.resources.map((r) => r.id);
  // Main saves cleaned-up once it has run its cleanup: here, the drill never finished.
  const action = cleanupAction({
    policy: state.cleanupPolicy,
    ending: 'unfinished',
    created: state.resources.length,
    cleanedUp: state.cleanedUp,
  });
  switch (action) {
    case 'nothing-created':
      io.logger.info('post: nothing was created; nothing to clean up');
      return 0;
    case 'already-cleaned':
      io.logger.info('post: main already cleaned up');
      return 0;
    case 'keep':
      io.logger.warning(`post: ${keptMessage(state.cleanupPolicy, ids)}`);
      return 0;
    case 'delete':
      break;
  }
  if (!state.provider) {
    io.logger.error('post: state names no provider; cannot clean up');
    return 1;
  }
  const provider = (options.provider ?? createProvider)(state.provider, state.region);
  io.logger.info(
    `post: cleaning up run ${state.runId}: ${state.resources.map((r) => `${r.kind} ${r.id}`).join(', ')}`,
  );
  const outcome = await provider.cleanup(state.resources, state.runId, io.logger);
  if (outcome.status === 'failed') {
    io.logger.error(
      'post: cleanup failed; the janitor deletes what is left once restore-proof:expires-at passes',
    );
    return 1;
  }
  io.state.save(STATE.cleanedUp, 'done');
  return 0;
}
