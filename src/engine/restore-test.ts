/**
 * command: restore-test. Plan, drill, sinks: the drill owns its lifecycle (cancel, cleanup, cost), and the
 * outcome is always published, a failed or errored drill too.
 */
import { createValidator } from '../checks/validation.js';
import type { Validator } from '../checks/validator.js';
import { runDrill, type DrillDeps } from '../drill/drill.js';
import type { EngineIO } from '../host/io.js';
import type { RestoreTestPlan } from '../inputs/plan-types.js';
import type { Provider } from '../providers/provider.js';
import { newRunId } from '../providers/ownership.js';
import { providerForPlan } from '../providers/registry.js';
import { systemClock } from '../time/timeline.js';
import { publishDrill } from '../sinks/publish.js';
import { drillResult, exitCode } from './exit-codes.js';

export interface RestoreTestOptions {
  signal?: AbortSignal;
  provider?: (plan: RestoreTestPlan) => Provider;
  validator?: (plan: RestoreTestPlan) => Validator;
  /** The drill's clock and first query (tests inject them); default the system clock and a real connection. */
  clock?: DrillDeps['clock'];
  firstQuery?: DrillDeps['firstQuery'];
}

export async function restoreTestCommand(
  plan: RestoreTestPlan,
  io: EngineIO,
  options: RestoreTestOptions,
): Promise<number> {
  // One run id for the drill's resources and for every database session it opens (application_name).
  const runId = newRunId((options.clock ?? systemClock).now());
  const provider = (options.provider ?? providerForPlan)(plan);
  const load = plan.productionLoad;
  const validator = (
    options.validator ??
    (() =>
      createValidator({
        checksFile: plan.checks,
        runId,
        concurrency: load.tablesAtOnce,
        parallelWorkers: load.parallelWorkers,
        statementTimeoutMs: load.statementTimeoutSeconds * 1000,
      }))
  )(plan);
  const { outcome } = await runDrill({
    plan,
    runId,
    provider,
    validator,
    state: io.state,
    logger: io.logger,
    signal: options.signal,
    clock: options.clock,
    firstQuery: options.firstQuery,
  });
  const result = drillResult(outcome, options.signal);
  // The `result` output says how the drill ended: pass | fail | error | cancelled.
  // Without annotations (the terminal) the drill's error is already in the log: it is not said again.
  const annotate: EngineIO['annotate'] =
    io.annotate ??
    ((level, message) =>
      message === outcome.error
        ? undefined
        : (level === 'error' ? io.logger.error : io.logger.warning)(message));
  const published = await publishDrill(
    plan,
    { ...io, annotate, setOutput: (name, value) => io.setOutput(name, name === 'result' ? result : value) },
    outcome,
  );
  return exitCode(result, published);
}
