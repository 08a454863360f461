/**
 * command: restore-test. Runs the drill, then always writes the signed report (a failed or errored drill
 * too), publishes outputs, summary and annotations, and commits the evidence when asked.
 */
import { createValidator, loadChecksFile, type ChecksFile } from '../checks/index.js';
import { runDrill } from '../drill.js';
import type { EngineIO } from '../engine-io.js';
import { providerForPlan } from '../providers/index.js';
import type { Provider } from '../providers/provider.js';
import { publishToActions, type ActionsCore } from '../publish/actions.js';
import { publishMetrics } from '../publish/metrics.js';
import { commitReport } from '../publish/report-commit.js';
import { estimateDrillCost } from '../report/cost.js';
import { writeReport } from '../report/index.js';
import { readDrillState } from '../state.js';
import type { DrillOutcome, Plan } from '../types.js';
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
  return publish(plan, io, outcome);
}

async function publish(plan: Plan, io: EngineIO, outcome: DrillOutcome): Promise<number> {
  let summary = '';
  const core: ActionsCore = {
    setOutput: (name, value) => io.setOutput(name, value),
    error: (message, properties) =>
      io.annotate ? io.annotate('error', message, properties) : io.logger.error(message),
    warning: (message, properties) =>
      io.annotate ? io.annotate('warning', message, properties) : io.logger.warning(message),
    summary: {
      addRaw: (text: string) => (summary += text),
      write: async () => io.summary?.(summary),
    },
  };
  try {
    const written = await writeReport({ plan, outcome, env: io.env, logger: io.logger });
    await publishToActions({ written, core, env: io.env });
    // Never throws; a failed publish is a warning and the verdict stands.
    await publishMetrics({ plan, report: written.report, logger: io.logger });
    if (plan.commitReport) {
      const committed = await commitReport({ plan, written, env: io.env, logger: io.logger });
      (committed.status === 'failed' ? io.logger.warning : io.logger.info)(`commit: ${committed.message}`);
    }
  } catch (error) {
    // The drill's verdict stands; evidence that could not be written makes the run fail loudly.
    io.logger.error(`report could not be written: ${(error as Error).message}`);
    setBareOutputs(io, outcome);
    return 1;
  }
  return outcome.result === 'pass' ? 0 : 1;
}

function setBareOutputs(io: EngineIO, outcome: DrillOutcome): void {
  io.setOutput('result', 'fail');
  io.setOutput('restored-cluster', outcome.restore.restoredCluster ?? '');
  io.setOutput('restore-seconds', outcome.restore.seconds === null ? '' : String(outcome.restore.seconds));
}
