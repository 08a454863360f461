/**
 * One restore drill, in order: resolve the source, prepare validation (production snapshot), restore, first
 * query, validate, objectives, cleanup. The only place that knows the order. Cleanup always runs per policy,
 * on success, failure, timeout or cancel; what was created is in state before anything waits on it.
 */
import { objectiveChecks } from '../checks/objectives.js';
import type { Validator } from '../checks/validator.js';
import { connect, redact } from '../db/connect.js';
import type { Logger } from '../log/logger.js';
import { expiresAt, newRunId } from '../providers/ownership.js';
import type { CreatedResource, Provider } from '../providers/provider.js';
import { pollUntil, type Sleep } from '../time/poll.js';
import { STATE, type StateStore } from './state.js';
import { round, systemClock, Timeline, type Clock } from '../time/timeline.js';
import { startTunnel as startTunnelProcess, type Tunnel } from './tunnel.js';
import type { CheckResult, CleanupOutcome, DrillOutcome, Plan, Target } from '../model/types.js';

export interface DrillDeps {
  plan: Plan;
  provider: Provider;
  validator?: Validator;
  state: StateStore;
  logger: Logger;
  clock?: Clock;
  /** Aborted on cancellation (SIGINT/SIGTERM). */
  signal?: AbortSignal;
  runId?: string;
  sleep?: Sleep;
  /** Opens plan.tunnelCommand (tests inject one); default src/tunnel.ts. */
  startTunnel?: typeof startTunnelProcess;
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
  const resources: CreatedResource[] = [];
  const warnings: string[] = [];
  state.save(STATE.runId, runId);
  state.save(STATE.provider, provider.name);
  state.save(STATE.region, plan.awsRegion ?? '');
  state.save(STATE.cleanupPolicy, plan.cleanup);

  const timeout = AbortSignal.timeout(plan.timeoutMinutes * 60_000);
  const signal = deps.signal ? AbortSignal.any([deps.signal, timeout]) : timeout;
  const record = async (resource: CreatedResource): Promise<void> => {
    resources.push(resource);
    state.save(STATE.resources, JSON.stringify(resources));
  };
  if (plan.sslMode !== 'verify-full') {
    const warning = `ssl-mode ${plan.sslMode}: the copy's server certificate is not verified${plan.sslMode === 'disable' ? ' and the connection is not encrypted' : ''}`;
    warnings.push(warning);
    logger.warning(warning);
  }

  let target: Target | undefined;
  let error: string | undefined;
  let checks: CheckResult[] = [];
  let restoreSeconds: number | null = null;
  let newestDataAt: Date | undefined;
  let tunnel: Tunnel | undefined;
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
    target = await provider.restore({
      plan,
      resolved,
      pinnedTime: prepared.pinnedTime,
      runId,
      expiresAt: expiresAt(timeline.startedAt, plan.timeoutMinutes),
      timeline,
      signal,
      logger,
      clock,
      record,
    });
    if (plan.tunnelCommand) {
      const endpoint = target.connection;
      tunnel = await (deps.startTunnel ?? startTunnelProcess)(
        plan.tunnelCommand,
        { host: endpoint.host, port: endpoint.port },
        logger,
        signal,
      );
      target = throughTunnel(target, tunnel.localPort);
      // Not part of the recovery time: the tunnel is how the test runner reaches the VPC; in a real recovery
      // the application reaches the copy from inside it.
      timeline.mark('tunnel');
    }
    await firstQuery(target, plan, timeline, signal, logger, deps.sleep);
    timeline.mark('first-query', { counts: 'recovery' });
    restoreSeconds = round(timeline.secondsCounted('recovery'));
    logger.info(`copy ${target.restoredCluster} answered after ${restoreSeconds}s`);
    if (validator) {
      const validation = await validator.validate(target, logger, signal);
      checks = validation.checks;
      newestDataAt = validation.newestDataAt;
      timeline.mark('validation');
    }
  } catch (e) {
    error = describeError(e, signal, deps.signal, plan);
    logger.error(`drill failed: ${error}`);
  } finally {
    // Before the copy is deleted: nothing needs the tunnel once validation ended (or failed, or was cancelled).
    await tunnel?.stop().catch((e: Error) => {
      warnings.push(`tunnel-command could not be stopped: ${e.message}`);
      logger.warning(`tunnel: ${e.message}`);
    });
  }
  const objectives = objectiveChecks({
    restoreSeconds,
    targetTime: target?.targetTime,
    newestDataAt,
    restorableWaitSeconds: timeline.secondsCounted('restore-point-wait'),
    maxRestoreMinutes: plan.maxRestoreMinutes,
    maxDataLossMinutes: plan.maxDataLossMinutes,
  });
  checks = [...checks, ...objectives.checks];

  const failed =
    error !== undefined ||
    checks.some((c) => c.status === 'fail' || c.status === 'error') ||
    objectives.rto.met === false ||
    objectives.rpo.met === false;
  const cleanup = await cleanUp(deps, resources, runId, failed);
  timeline.mark('cleanup');
  await validator?.close().catch(() => undefined);

  const result = !failed && cleanup.status !== 'failed' ? 'pass' : 'fail';
  const outcome: DrillOutcome = {
    result,
    ...(error !== undefined ? { error } : {}),
    command: plan.command,
    provider: provider.name,
    cadence: plan.cadence,
    startedAt: timeline.startedAt.toISOString(),
    finishedAt: clock.now().toISOString(),
    source: {
      cluster: target?.source.identifier ?? sourceName(plan),
      engine: target?.source.engine,
      engineVersion: target?.source.engineVersion,
      region: plan.awsRegion,
    },
    restore: {
      restoredCluster:
        target?.restoredCluster ??
        resources.find((r) => r.kind === 'cluster' || r.kind === 'local-server')?.id,
      restoredInstance: target?.restoredInstance,
      type: plan.restoreType,
      targetTime: target?.targetTime,
      snapshotId: target?.snapshotId,
      seconds: restoreSeconds,
      phases: timeline.phases,
    },
    checks,
    objectives: { rto: objectives.rto, rpo: objectives.rpo },
    cleanup,
    warnings,
  };
  logger.info(
    `drill ${result}: ${checks.filter((c) => c.status === 'pass').length} checks passed, ${checks.filter((c) => c.status === 'fail' || c.status === 'error').length} failed; cleanup ${cleanup.status}`,
  );
  return { outcome, target };
}

/** The source as the plan names it, before the provider has described it. */
const sourceName = (plan: Plan): string =>
  plan.sourceCluster ?? plan.sourceInstance ?? plan.backupDir ?? 'unknown';

async function cleanUp(
  deps: DrillDeps,
  resources: CreatedResource[],
  runId: string,
  failed: boolean,
): Promise<CleanupOutcome> {
  const { plan, provider, state, logger } = deps;
  const keep = plan.cleanup === 'never' || (plan.cleanup === 'on-success' && failed);
  if (resources.length === 0) {
    state.save(STATE.cleanedUp, 'done');
    return { status: 'none', resources: [] };
  }
  if (keep) {
    logger.warning(
      `cleanup ${plan.cleanup}: keeping ${resources.map((r) => r.id).join(', ')}; the janitor deletes them once their restore-proof:expires-at passes`,
    );
    state.save(STATE.cleanedUp, 'done');
    return {
      status: 'kept',
      resources: resources.map((r) => ({ kind: r.kind, id: r.id, outcome: 'kept' as const })),
    };
  }
  const outcome = await provider.cleanup(resources, runId, logger);
  if (outcome.status !== 'failed') state.save(STATE.cleanedUp, 'done');
  return outcome;
}

/** The target reached through 127.0.0.1:localPort; TLS still names (and verifies) the copy's own endpoint. */
export function throughTunnel(target: Target, localPort: number): Target {
  const { host } = target.connection;
  return {
    ...target,
    connection: { ...target.connection, host: '127.0.0.1', port: localPort, tlsServername: host },
  };
}

const PERMANENT_CONNECT_ERRORS =
  /password authentication failed|no pg_hba.conf entry|does not exist|does not support SSL|self[- ]signed certificate|unable to verify|certificate has expired|Hostname\/IP does not match|ERR_TLS_CERT/;

/** Connects to the copy and runs one query, retrying while DNS and the endpoint settle. */
async function firstQuery(
  target: Target,
  plan: Plan,
  timeline: Timeline,
  signal: AbortSignal,
  logger: Logger,
  sleep?: Sleep,
): Promise<void> {
  const deadline = new Date(
    Math.min(timeline.startedAt.getTime() + plan.timeoutMinutes * 60_000, Date.now() + 10 * 60_000),
  );
  let lastError = '';
  await pollUntil(
    async () => {
      try {
        const client = await connect(target.connection);
        try {
          await client.query('select 1');
        } finally {
          await client.end().catch(() => undefined);
        }
        return { done: true, status: 'answered' };
      } catch (e) {
        lastError = (e as Error).message;
        // Refusals that waiting cannot change: fail now rather than at the deadline.
        if (PERMANENT_CONNECT_ERRORS.test(lastError)) throw e;
        return { done: undefined, status: `not yet: ${lastError}` };
      }
    },
    {
      what: `first query on ${target.connection.host}:${target.connection.port}`,
      deadline,
      signal,
      sleep,
      backoff: { initialMs: 1000, maxMs: 10_000, factor: 2, jitter: 0.1 },
      onProgress: (line) => logger.info(line),
    },
  ).catch((e: Error) => {
    throw new Error(lastError && e.name === 'TimeoutError' ? `${e.message}: ${lastError}` : e.message);
  });
}

function describeError(e: unknown, signal: AbortSignal, cancel: AbortSignal | undefined, plan: Plan): string {
  if (cancel?.aborted) return `cancelled: ${String((cancel.reason as Error)?.message ?? cancel.reason)}`;
  if (signal.aborted) return `timed out after timeout-minutes ${plan.timeoutMinutes}`;
  const message = e instanceof Error ? e.message : String(e);
  return redact(message.split('\n')[0] ?? message, plan.productionUrl, plan.signingKey, plan.githubToken);
}
