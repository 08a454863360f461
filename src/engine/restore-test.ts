/**
 * command: restore-test. Runs the drill, then always writes the signed report (a failed or errored drill
 * too), publishes outputs, summary and annotations, and commits the evidence when asked.
 */
import { createValidator } from '../checks/validation.js';
import { loadChecksFile, type ChecksFile } from '../inputs/checks-file-schema.js';
import { runDrill } from '../drill/drill.js';
import type { EngineIO } from '../host/io.js';
import { providerForPlan } from '../providers/registry.js';
import type { Provider } from '../providers/provider.js';
import { estimateDrillCost } from '../drill/cost.js';
import { publishDrill } from '../sinks/publish.js';
import { readDrillState } from '../drill/state.js';
import type { DrillOutcome, Plan } from '../model/types.js';
import type { Validator } from '../checks/validator.js';

export interface RestoreTestOptions {
  signal?: AbortSignal;
  provider?: (plan: Plan) => Provider;
  validator?: (plan: Plan) => Validator;
}

export async function restoreTestCommand(
  plan: Plan,
  io: EngineIO,
  options: RestoreTestOptions,
): Promise<number> {
  let checksFile: ChecksFile | undefined;
  try {
    checksFile = plan.checksFile ? await loadChecksFile(plan.checksFile) : undefined;
  } catch (error) {
    io.logger.error((error as Error).message);
    return 1;
  }
  const provider = (options.provider ?? providerForPlan)(plan);
  const validator = (options.validator ?? (() => createValidator({ checksFile })))(plan);
  // On cancel, start deleting what exists at once; the drill's own cleanup follows for anything newer.
  let early: Promise<unknown> = Promise.resolve();
  const onCancel = (): void => {
    const saved = readDrillState(io.state);
    if (saved.resources.length === 0 || plan.cleanup === 'never') return;
    io.logger.warning(`cancelled: deleting ${saved.resources.map((r) => r.id).join(', ')} now`);
    early = provider.cleanup(saved.resources, saved.runId, io.logger).catch(() => undefined);
  };
  options.signal?.addEventListener('abort', onCancel, { once: true });
  const { outcome: drilled, target } = await runDrill({
    plan,
    provider,
    validator,
    state: io.state,
    logger: io.logger,
    signal: options.signal,
  });
  options.signal?.removeEventListener('abort', onCancel);
  await early;
  const cost = estimateDrillCost({
    outcome: drilled,
    plan,
    instanceClass: target?.source.writerInstanceClass,
  });
  const outcome: DrillOutcome = cost ? { ...drilled, cost } : drilled;
  return publishDrill(plan, io, outcome);
}
