/**
 * The engine behind every entry point. main.ts, post.ts and cli.ts only adapt their surroundings into an
 * EngineIO (inputs, state, logger, outputs) and call runMain / runPost; tests call them the same way.
 */
import type { RDSClient } from '@aws-sdk/client-rds';
import type { Validator } from '../checks/validator.js';
import { janitorCommand } from './janitor.js';
import { preflightCommand } from './preflight.js';
import { restoreTestCommand } from './restore-test.js';
import { verifyReportsCommand } from './verify-reports.js';
import type { EngineIO } from '../host/io.js';
import type { Logger } from '../log/logger.js';
import { InputError, buildPlan } from '../inputs/plan.js';
import { createProvider } from '../providers/registry.js';
import type { Provider } from '../providers/provider.js';
import { readDrillState, STATE } from '../drill/state.js';
import type { Plan } from '../model/types.js';

export type { EngineIO } from '../host/io.js';

export interface MainOptions {
  /** Aborted when the runner cancels the job. */
  signal?: AbortSignal;
  /** Build the provider (tests inject one). */
  provider?: (plan: Plan) => Provider;
  validator?: (plan: Plan) => Validator;
  /** The RDS client for commands that sweep or describe without a provider (tests inject one). */
  rds?: (region: string) => RDSClient;
  now?: () => Date;
}

/** Runs the main step. Resolves with the process exit code: 0 pass, 1 fail or bad input. */
export async function runMain(io: EngineIO, options: MainOptions = {}): Promise<number> {
  try {
    const plan = buildPlan(io.inputs, io.env);
    registerSecrets(plan, io.logger);
    switch (plan.command) {
      case 'restore-test':
        return await restoreTestCommand(plan, io, options);
      case 'preflight':
        return await preflightCommand(plan, io, options);
      case 'janitor':
        return await janitorCommand(plan, io, options);
      case 'verify-reports':
        return await verifyReportsCommand(plan, io);
    }
  } catch (error) {
    // Bad input, from the plan or found while describing the source: one line naming the input.
    if (error instanceof InputError) {
      io.logger.error(error.message);
      return 1;
    }
    throw error;
  }
}

/** Registers every secret in the plan, and the password inside production-url, with the logger. */
export function registerSecrets(plan: Plan, logger: Logger): void {
  for (const value of [plan.signingKey, plan.githubToken, plan.productionUrl, plan.sourceUrl]) {
    if (value) logger.setSecret(value);
  }
  for (const url of [plan.productionUrl, plan.sourceUrl]) {
    if (!url) continue;
    const password = decodeURIComponent(new URL(url).password);
    if (password) logger.setSecret(password);
  }
  if (plan.signingKey) {
    for (const line of plan.signingKey.split('\n'))
      if (line.trim() && !line.startsWith('-----')) logger.setSecret(line.trim());
  }
}

/**
 * The post step: deletes whatever main created and did not delete (failure, timeout, cancel, kill).
 * Reads only saved state, so it works even when main never finished.
 */
export async function runPost(
  io: EngineIO,
  options: { provider?: (name: Provider['name'], region: string) => Provider } = {},
): Promise<number> {
  const state = readDrillState(io.state);
  if (state.resources.length === 0) {
    io.logger.info('post: nothing was created; nothing to clean up');
    return 0;
  }
  if (state.cleanedUp) {
    io.logger.info('post: main already cleaned up');
    return 0;
  }
  if (state.cleanupPolicy === 'never') {
    io.logger.warning(`post: cleanup never: keeping ${state.resources.map((r) => r.id).join(', ')}`);
    return 0;
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
      `post: cleanup failed; the janitor deletes what is left once restore-proof:expires-at passes`,
    );
    return 1;
  }
  io.state.save(STATE.cleanedUp, 'done');
  return 0;
}
