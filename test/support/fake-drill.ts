/**
 * What an in-process drill test stands on: a clock that moves only when told, a provider that creates
 * nothing (it records and marks phases as the RDS providers do), a validator, and a first query.
 */
import type { Validator } from '../../src/checks/validator.js';
import type { FirstQuery } from '../../src/drill/first-query.js';
import type { CreatedResource, Provider, RestoreRequest } from '../../src/providers/provider.js';
import { abortError } from '../../src/time/poll.js';
import type { Clock } from '../../src/time/timeline.js';
import type { CheckResult, CleanupOutcome, Target } from '../../src/model/types.js';

export interface FakeClock extends Clock {
  advance(seconds: number): void;
}

export function fakeClock(start = '2026-03-01T04:00:00.000Z'): FakeClock {
  let now = Date.parse(start);
  return {
    now: () => new Date(now),
    advance: (seconds) => {
      now += seconds * 1000;
    },
  };
}

export interface FakeProviderOptions {
  clock: FakeClock;
  /** Throw this from resolve or restore. */
  failIn?: 'resolve' | 'restore';
  /** After the cluster is recorded: wait until the drill is aborted, record the instance, then throw. */
  waitForCancel?: boolean;
  /** Called where the provider would first wait on what it created (the cluster becoming available). */
  onFirstWait?: () => void;
  /** cleanup resolves with status failed. */
  cleanupFails?: boolean;
  /** As RDS: a cluster cannot go while its instance exists, so deleting it alone waits for the instance's deletion. */
  clusterWaitsForInstance?: boolean;
}

export interface FakeProvider extends Provider {
  /** Every cleanup call, in order, by resource ids. */
  cleanups: string[][];
}

export function fakeProvider(o: FakeProviderOptions): FakeProvider {
  const cleanups: string[][] = [];
  let instanceDeleted: () => void = () => undefined;
  const instanceGone = new Promise<void>((resolve) => (instanceDeleted = resolve));
  const provider: FakeProvider = {
    name: 'aurora',
    cleanups,
    async resolve(plan) {
      o.clock.advance(2);
      if (o.failIn === 'resolve') throw new Error('DBClusterNotFoundFault: prod-db not found');
      return {
        source: {
          identifier: plan.sourceCluster ?? 'prod-db',
          engine: 'aurora-postgresql',
          engineVersion: '15.4',
          writerInstanceClass: 'db.r6g.large',
        },
      };
    },
    async restore(request: RestoreRequest): Promise<Target> {
      const { timeline, runId, record, signal } = request;
      o.clock.advance(30);
      timeline.mark('restorable-wait', { counts: 'restore-point-wait' });
      const cluster: CreatedResource = { kind: 'cluster', id: `restore-proof-${runId}`, runId };
      await record(cluster);
      o.onFirstWait?.();
      o.clock.advance(300);
      timeline.mark('restore-request', { counts: 'recovery', copyExists: true });
      if (o.waitForCancel) {
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
        await record({ kind: 'instance', id: `restore-proof-${runId}-1`, runId });
        throw abortError(signal);
      }
      if (o.failIn === 'restore') throw new Error('InsufficientDBInstanceCapacity: no capacity');
      await record({ kind: 'instance', id: `restore-proof-${runId}-1`, runId });
      o.clock.advance(200);
      timeline.mark('instance-available', { counts: 'recovery' });
      return target(cluster.id, o.clock.now());
    },
    async cleanup(resources): Promise<CleanupOutcome> {
      cleanups.push(resources.map((r) => r.id));
      if (resources.some((r) => r.kind === 'instance')) instanceDeleted();
      else if (o.clusterWaitsForInstance) await instanceGone;
      o.clock.advance(60);
      const outcome = o.cleanupFails ? ('failed' as const) : ('deleted' as const);
      return {
        status: outcome,
        resources: resources.map((r) => ({ kind: r.kind, id: r.id, outcome })),
      };
    },
  };
  return provider;
}

function target(cluster: string, now: Date): Target {
  return {
    provider: 'aurora',
    restoredCluster: cluster,
    restoredInstance: `${cluster}-1`,
    restoreType: 'latest',
    targetTime: new Date(now.getTime() - 530_000).toISOString(),
    source: { identifier: 'prod-db', engine: 'aurora-postgresql', writerInstanceClass: 'db.r6g.large' },
    copy: {},
    connection: {
      host: `${cluster}.cluster-x.us-east-1.rds.amazonaws.com`,
      port: 5432,
      database: 'app',
      user: 'restore_proof',
      password: 'copy-password',
      sslMode: 'verify-full',
    },
  };
}

/** A first query that answers after `seconds`. */
export const answeringAfter =
  (clock: FakeClock, seconds: number): FirstQuery =>
  async () => {
    clock.advance(seconds);
  };

export interface FakeValidator extends Validator {
  closed: number;
}

/** A validator whose checks pass (or fail), finding data newestSecondsBeforeTarget before the restore point. */
export function fakeValidator(clock: FakeClock, options: { fail?: boolean } = {}): FakeValidator {
  const validator: FakeValidator = {
    closed: 0,
    async prepare() {
      clock.advance(3);
      return {};
    },
    async validate(t) {
      clock.advance(40);
      const check: CheckResult = {
        id: 'counts:public.patients',
        category: 'counts',
        status: options.fail ? 'fail' : 'pass',
        summary: options.fail ? '300 rows, production 301' : '300 rows, as production',
        durationMs: 0,
      };
      return { checks: [check], newestDataAt: new Date(Date.parse(t.targetTime!) - 10_000) };
    },
    async close() {
      validator.closed++;
    },
  };
  return validator;
}
