/** The first query on the copy: the moment the recovery is complete, retried while DNS and the endpoint settle. */
import { connect } from '../db/connect.js';
import type { Logger } from '../log/logger.js';
import type { Target } from '../model/types.js';
import type { RestoreTestPlan as Plan } from '../inputs/plan-types.js';
import { pollUntil, type Sleep } from '../time/poll.js';
import type { Clock } from '../time/timeline.js';

/** Connects to the copy and runs one query; resolves once it answered. */
export type FirstQuery = (target: Target, context: FirstQueryContext) => Promise<void>;

export interface FirstQueryContext {
  plan: Pick<Plan, 'timeoutMinutes'>;
  /** When the drill started; the wait never outlasts the drill's timeout. */
  startedAt: Date;
  clock: Clock;
  signal: AbortSignal;
  logger: Logger;
  sleep?: Sleep;
}

/**
 * A new master password takes a while to reach every node after RDS reports the reset applied
 * (ModifyDBCluster applies it asynchronously): an authentication failure is retried this long, then reported.
 */
export const AUTH_SETTLE_MS = 2 * 60_000;
const AUTH_FAILED = /password authentication failed/;

/** Refusals that waiting cannot change: the first query fails at once rather than at the deadline. */
const PERMANENT_CONNECT_ERRORS =
  /no pg_hba.conf entry|does not exist|does not support SSL|self[- ]signed certificate|unable to verify|certificate has expired|Hostname\/IP does not match|ERR_TLS_CERT/;

/** Connection failures that mean nothing answered at the copy's endpoint (refused, no route, no name, no reply). */
const UNREACHABLE =
  /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|EAI_AGAIN|connection timeout|timeout expired/;

/** The copy's endpoint never answered until the wait ended: names the database, the endpoint and the last refusal. */
export class CopyUnreachableError extends Error {
  override name = 'CopyUnreachableError';
}

/** At most this long after the copy is reported available. */
const MAX_WAIT_MS = 10 * 60_000;

export const firstQuery: FirstQuery = async (target, { plan, startedAt, clock, signal, logger, sleep }) => {
  const deadline = new Date(
    Math.min(startedAt.getTime() + plan.timeoutMinutes * 60_000, clock.now().getTime() + MAX_WAIT_MS),
  );
  const waitStarted = clock.now().getTime();
  let lastError = '';
  let authFailingSince: number | undefined;
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
        if (PERMANENT_CONNECT_ERRORS.test(lastError)) throw e;
        if (AUTH_FAILED.test(lastError)) {
          const now = clock.now().getTime();
          authFailingSince ??= now;
          // Within the drill's own time: half of what is left when the refusals began, at most AUTH_SETTLE_MS,
          // so a password that never works is reported as such, not as a timeout.
          const settle = Math.min(AUTH_SETTLE_MS, (deadline.getTime() - authFailingSince) / 2);
          if (now - authFailingSince >= settle) {
            throw new Error(
              `the copy still refuses the drill's new password ${Math.round((now - authFailingSince) / 1000)}s after the reset was applied: ${lastError}`,
            );
          }
        }
        return { done: undefined, status: `not yet: ${lastError}` };
      }
    },
    {
      what: `first query on ${target.connection.host}:${target.connection.port}`,
      deadline,
      now: () => clock.now(),
      signal,
      sleep,
      backoff: { initialMs: 1000, maxMs: 10_000, factor: 2, jitter: 0.1 },
      onProgress: (line) => logger.info(line),
    },
  ).catch((e: Error) => {
    const ended = e.name === 'TimeoutError' || signal.aborted;
    if (ended && UNREACHABLE.test(lastError)) {
      const { database, host, port } = target.connection;
      const waited = Math.round((clock.now().getTime() - waitStarted) / 1000);
      throw new CopyUnreachableError(
        `the copy's database '${database}' at ${host}:${port} was unreachable for ${waited}s: ${lastError}`,
      );
    }
    throw new Error(lastError && e.name === 'TimeoutError' ? `${e.message}: ${lastError}` : e.message);
  });
};
