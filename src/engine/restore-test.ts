/**
 * command: restore-test. Plan, drill, sinks: the drill owns its lifecycle (cancel, cleanup, cost), and the
 * outcome is always published, a failed or errored drill too.
 */
import { createValidator, loadChecksFile, type ChecksFile } from '../checks/validation.js';
import type { Validator } from '../checks/validator.js';
import { runDrill, type DrillDeps } from '../drill/drill.js';
import type { EngineIO } from '../host/io.js';
import type { Plan } from '../model/types.js';
import type { Provider } from '../providers/provider.js';
import { providerForPlan } from '../providers/registry.js';
import { publishDrill } from '../sinks/publish.js';

export interface RestoreTestOptions {
  signal?: AbortSignal;
  provider?: (plan: Plan) => Provider;
  validator?: (plan: Plan) => Validator;
  /** The drill's clock and first query (tests inject them); default the system clock and a real connection. */
  clock?: DrillDeps['clock'];
  firstQuery?: DrillDeps['firstQuery'];
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
  const { outcome } = await runDrill({
    plan,
    provider,
    validator,
    state: io.state,
    logger: io.logger,
    signal: options.signal,
    clock: options.clock,
    firstQuery: options.firstQuery,
  });
  return publishDrill(plan, io, outcome);
}
