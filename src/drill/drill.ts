/**
 * One restore drill, in order: resolve the source, prepare validation (production snapshot), restore, first
 * query, validate, objectives, cleanup, outcome with its cost. The only place that knows the order.
 * What is created is in state before anything waits on it; on cancel its deletion starts at once; cleanup
 * always runs at the end, per the one cleanup policy (cleanup-policy.ts) the post step shares.
 */
import type { Validator } from '../checks/validator.js';
import { redact } from '../db/connect.js';
import { InputError } from '../inputs/input-error.js';
import type { Logger } from '../log/logger.js';
import { expiresAt, newRunId } from '../providers/ownership.js';
import type { Provider } from '../providers/provider.js';
import type { Sleep } from '../time/poll.js';
import { round, systemClock, Timeline, type Clock } from '../time/timeline.js';
import type { DrillOutcome, Target } from '../model/types.js';
import type { RestoreTestPlan as Plan } from '../inputs/plan-types.js';
import type { DrillEnding } from './cleanup-policy.js';
import { CreatedResources } from './created-resources.js';
import { CopyUnreachableError, firstQuery as queryCopy, type FirstQuery } from './first-query.js';
import { drillOutcome, judge, outcomeLine, sourceName, type DrillFindings } from './outcome.js';
import { STATE, type StateStore } from './state.js';
import { startTunnel as startTunnelProcess, throughTunnel, type Tunnel } from './tunnel.js';
import { secretsOf } from '../inputs/secrets.js';

export interface DrillDeps {
  plan: Plan;
  provider: Provider;
  validator?: Validator;
  state: StateStore;
  logger: Logger;
  clock?: Clock;
  /** Aborted on cancellation (SIGINT/SIGTERM): deletion of what exists starts at once. */
  signal?: AbortSignal;
  runId?: string;
  sleep?: Sleep;
  /** Opens plan.tunnelCommand (tests inject one); default tunnel.ts. */
  startTunnel?: typeof startTunnelProcess;
  /** The first query on the copy (tests inject one); default first-query.ts. */
  firstQuery?: FirstQuery;
}

export interface DrillResult {
  outcome: DrillOutcome;
  target?: Target;
}

export async function runDrill(deps: DrillDeps): Promise<DrillResult> {
  const { plan, provider, validator, state, logger } = deps;
  const clock = deps.clock ?? systemClock;
  const timeline = new Timeline(clock);
  const runId = deps.runId ?? newRunId(timeline.startedAt);
  const created = new CreatedResources({ plan, provider, state, logger, runId });
  state.save(STATE.runId, runId);
  state.save(STATE.provider, provider.name);
  state.save(STATE.region, plan.awsRegion ?? '');
  state.save(STATE.cleanupPolicy, plan.cleanup);

  const timeout = AbortSignal.timeout(plan.timeoutMinutes * 60_000);
  const signal = deps.signal ? AbortSignal.any([deps.signal, timeout]) : timeout;
  const onCancel = (): void => created.deleteNow();
  deps.signal?.addEventListener('abort', onCancel, { once: true });
  const warnings = sslWarnings(plan);
  for (const warning of warnings) logger.warning(warning);

  const findings: DrillFindings = { checks: [], restoreSeconds: null };
  let tunnel: Tunnel | undefined;
  let inputError: InputError | undefined;
  logger.info(
    `restore-proof run ${runId}: ${plan.restoreType} restore of ${sourceName(plan)} with ${provider.name}`,
  );
  try {
    const resolved = await provider.resolve(plan, signal);
    timeline.mark('resolve');
    const prepared = validator ? await validator.prepare(plan, logger, signal) : {};
    if (prepared.pinnedTime) {
      logger.info(
        `production fingerprinted at ${prepared.pinnedTime.toISOString()}; the copy is restored to exactly that instant`,
      );
    }
    timeline.mark('prepare');
    let target = await provider.restore({
      plan,
      resolved,
      pinnedTime: prepared.pinnedTime,
      runId,
      expiresAt: expiresAt(timeline.startedAt, plan.timeoutMinutes),
      timeline,
      signal,
      logger,
      clock,
      record: created.record,
    });
    findings.target = target;
    if (plan.tunnelCommand) {
      const endpoint = target.connection;
      tunnel = await (deps.startTunnel ?? startTunnelProcess)(
        plan.tunnelCommand,
        { host: endpoint.host, port: endpoint.port },
        logger,
        signal,
      );
      target = findings.target = throughTunnel(target, tunnel.localPort);
      // Not part of the recovery time: the tunnel is how the test runner reaches the VPC; in a real recovery
      // the application reaches the copy from inside it.
      timeline.mark('tunnel');
    }
    await (deps.firstQuery ?? queryCopy)(target, {
      plan,
      startedAt: timeline.startedAt,
      clock,
      signal,
      logger,
      sleep: deps.sleep,
    });
    timeline.mark('first-query', { counts: 'recovery' });
    findings.restoreSeconds = round(timeline.secondsCounted('recovery'));
    logger.info(`copy ${target.restoredCluster} answered after ${findings.restoreSeconds}s`);
    if (validator) {
      const validation = await validator.validate(target, logger, signal);
      findings.checks = validation.checks;
      findings.newestDataAt = validation.newestDataAt;
      findings.dataLoss = validation.dataLoss;
      timeline.mark('validation');
    }
  } catch (e) {
    // Bad input found while describing the source (nothing created yet): the caller's exit 2, no report.
    if (e instanceof InputError && created.list.length === 0) inputError = e;
    else {
      findings.error = describeError(e, signal, deps.signal, plan);
      // A query that failed because the tunnel died says so first, naming tunnel-command.
      const lost = tunnel?.lost?.();
      if (lost) findings.error = `${lost}; then: ${findings.error}`;
      logger.error(`drill failed: ${findings.error}`);
    }
  } finally {
    // Before the copy is deleted: nothing needs the tunnel once validation ended (or failed, or was cancelled).
    await tunnel?.stop().catch((e: Error) => {
      warnings.push(`tunnel-command could not be stopped: ${e.message}`);
      logger.warning(`tunnel: ${e.message}`);
    });
  }
  if (inputError) {
    deps.signal?.removeEventListener('abort', onCancel);
    await validator?.close().catch(() => undefined);
    throw inputError;
  }
  const verdict = judge(findings, timeline, plan);
  const ending: DrillEnding = deps.signal?.aborted ? 'cancelled' : verdict.failed ? 'failed' : 'passed';
  const cleanup = await created.cleanUp(ending);
  deps.signal?.removeEventListener('abort', onCancel);
  timeline.mark('cleanup');
  await validator?.close().catch(() => undefined);

  const outcome = drillOutcome({
    plan,
    provider,
    findings,
    verdict,
    cleanup,
    created: created.list,
    timeline,
    clock,
    warnings,
  });
  logger.info(outcomeLine(outcome));
  return { outcome, target: findings.target };
}

function sslWarnings(plan: Plan): string[] {
  if (plan.sslMode === 'verify-full') return [];
  const unencrypted = plan.sslMode === 'disable' ? ' and the connection is not encrypted' : '';
  return [`ssl-mode ${plan.sslMode}: the copy's server certificate is not verified${unencrypted}`];
}

function describeError(e: unknown, signal: AbortSignal, cancel: AbortSignal | undefined, plan: Plan): string {
  if (cancel?.aborted) return `cancelled: ${String((cancel.reason as Error)?.message ?? cancel.reason)}`;
  const message = e instanceof Error ? e.message : String(e);
  // What the drill was waiting on when time ran out, where that says more than the timeout alone.
  const waitingOn = e instanceof CopyUnreachableError ? `: ${redact(message, ...secretsOf(plan))}` : '';
  if (signal.aborted) return `timed out after timeout-minutes ${plan.timeoutMinutes}${waitingOn}`;
  return redact(message.split('\n')[0] ?? message, ...secretsOf(plan));
}
