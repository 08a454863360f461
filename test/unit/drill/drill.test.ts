/** The drill in process: a fake provider, validator, first query and clock; no AWS, no database. */
import { runDrill } from '../../../src/drill/drill.js';
import { memoryState, STATE } from '../../../src/drill/state.js';
import { buildRestoreTestPlan, type RawInputs } from '../../../src/inputs/plan.js';
import { memoryLogger } from '../../../src/log/logger.js';
import {
  answeringAfter,
  fakeClock,
  fakeProvider,
  fakeValidator,
  type FakeProviderOptions,
} from '../../support/fake-drill.js';

const RUN = '20260301t040000z-abcd';
const CLUSTER = `restore-proof-${RUN}`;
const INSTANCE = `${CLUSTER}-1`;

function drill(
  inputs: RawInputs = {},
  options: Partial<FakeProviderOptions> & { failCheck?: boolean; signal?: AbortSignal } = {},
) {
  const clock = fakeClock();
  const plan = buildRestoreTestPlan(
    { 'source-cluster': 'prod-db', 'aws-region': 'us-east-1', ...inputs },
    {},
  );
  const provider = fakeProvider({ clock, ...options });
  const validator = fakeValidator(clock, { fail: options.failCheck });
  const state = memoryState();
  const logger = memoryLogger();
  const run = runDrill({
    plan,
    provider,
    validator,
    state,
    logger,
    clock,
    runId: RUN,
    signal: options.signal,
    firstQuery: answeringAfter(clock, 5),
  });
  return { run, provider, validator, state, logger };
}

describe('a drill that passes', () => {
  test('marks its phases in order and measures RTO from the phases that count toward recovery', async () => {
    const { run } = drill();
    const { outcome } = await run;
    expect(outcome.result).toBe('pass');
    expect(outcome.restore.phases.map((p) => [p.name, p.seconds, p.counts ?? '-'])).toEqual([
      ['resolve', 2, '-'],
      ['prepare', 3, '-'],
      ['restorable-wait', 30, 'restore-point-wait'],
      ['restore-request', 300, 'recovery'],
      ['instance-available', 200, 'recovery'],
      ['first-query', 5, 'recovery'],
      ['validation', 40, '-'],
      ['cleanup', 60, '-'],
    ]);
    // 300 + 200 + 5: not resolving, preparing, waiting for the restore point, validating or cleaning up.
    expect(outcome.restore.seconds).toBe(505);
    expect(outcome.objectives.rto).toEqual({ targetSeconds: 1800, measuredSeconds: 505, met: true });
    expect(outcome.startedAt).toBe('2026-03-01T04:00:00.000Z');
    expect(outcome.finishedAt).toBe('2026-03-01T04:10:40.000Z');
  });

  test('deletes what it created, says so in state, and closes the validator', async () => {
    const { run, provider, validator, state } = drill();
    const { outcome } = await run;
    expect(provider.cleanups).toEqual([[CLUSTER, INSTANCE]]);
    expect(outcome.cleanup.status).toBe('deleted');
    expect(state.get(STATE.cleanedUp)).toBe('done');
    expect(validator.closed).toBe(1);
  });

  test('estimates its cost from the copy instance class and the time the copy existed', async () => {
    const { outcome } = await drill().run;
    expect(outcome.cost).toBeDefined();
    expect(outcome.cost!.items.find((i) => i.item === 'instance')?.usd).toBeGreaterThan(0);
    expect(JSON.stringify(outcome.cost)).toContain('db.r6g.large');
  });
});

test('every created resource is in state before the provider waits on it', async () => {
  let seen: { resources: string; runId: string; policy: string } | undefined;
  const { run, state } = drill(
    { cleanup: 'on-success' },
    {
      onFirstWait: () => {
        seen = {
          resources: state.get(STATE.resources),
          runId: state.get(STATE.runId),
          policy: state.get(STATE.cleanupPolicy),
        };
      },
    },
  );
  await run;
  expect(seen).toEqual({
    resources: JSON.stringify([{ kind: 'cluster', id: CLUSTER, runId: RUN }]),
    runId: RUN,
    policy: 'on-success',
  });
  expect(state.get(STATE.provider)).toBe('aurora');
  expect(state.get(STATE.region)).toBe('us-east-1');
});

describe('cleanup follows the policy', () => {
  test('always: a failed drill deletes', async () => {
    const { run, provider } = drill({ cleanup: 'always' }, { failCheck: true });
    const { outcome } = await run;
    expect(outcome.result).toBe('fail');
    expect(provider.cleanups).toEqual([[CLUSTER, INSTANCE]]);
    expect(outcome.cleanup.status).toBe('deleted');
  });

  test('on-success: a passed drill deletes, a failed one keeps (and state says main is done)', async () => {
    const passed = drill({ cleanup: 'on-success' });
    expect((await passed.run).outcome.cleanup.status).toBe('deleted');

    const failed = drill({ cleanup: 'on-success' }, { failCheck: true });
    const { outcome } = await failed.run;
    expect(failed.provider.cleanups).toEqual([]);
    expect(outcome.cleanup).toEqual({
      status: 'kept',
      resources: [
        { kind: 'cluster', id: CLUSTER, outcome: 'kept' },
        { kind: 'instance', id: INSTANCE, outcome: 'kept' },
      ],
    });
    expect(failed.state.get(STATE.cleanedUp)).toBe('done');
    expect(failed.logger.lines.join('\n')).toContain(`keeping ${CLUSTER}, ${INSTANCE}`);
  });

  test('never: a passed drill keeps', async () => {
    const { run, provider } = drill({ cleanup: 'never' });
    const { outcome } = await run;
    expect(provider.cleanups).toEqual([]);
    expect(outcome.cleanup.status).toBe('kept');
    expect(outcome.result).toBe('pass');
  });

  test('a restore that fails deletes what was created before the failure', async () => {
    const { run, provider } = drill({}, { failIn: 'restore' });
    const { outcome } = await run;
    expect(outcome.result).toBe('fail');
    expect(outcome.error).toBe('InsufficientDBInstanceCapacity: no capacity');
    expect(outcome.restore.seconds).toBeNull();
    expect(outcome.restore.restoredCluster).toBe(CLUSTER);
    expect(provider.cleanups).toEqual([[CLUSTER]]);
  });

  test('nothing created: cleanup none, no provider call', async () => {
    const { run, provider, state } = drill({}, { failIn: 'resolve' });
    const { outcome } = await run;
    expect(outcome.cleanup).toEqual({ status: 'none', resources: [] });
    expect(provider.cleanups).toEqual([]);
    expect(state.get(STATE.cleanedUp)).toBe('done');
  });

  test('a cleanup that fails fails the drill and leaves state for the post step', async () => {
    const { run, state } = drill({}, { cleanupFails: true });
    const { outcome } = await run;
    expect(outcome.checks.every((c) => c.status === 'pass')).toBe(true);
    expect(outcome.cleanup.status).toBe('failed');
    expect(outcome.result).toBe('fail');
    expect(state.get(STATE.cleanedUp)).toBe('');
  });
});

describe('cancel', () => {
  async function cancelled(policy: string, options: Partial<FakeProviderOptions> = {}) {
    const controller = new AbortController();
    let cancel: () => void = () => undefined;
    const d = drill(
      { cleanup: policy },
      {
        waitForCancel: true,
        ...options,
        signal: controller.signal,
        onFirstWait: () => {
          cancel = () => controller.abort(new Error('runner sent SIGINT'));
        },
      },
    );
    // Cancel once the provider is waiting with a cluster recorded.
    await new Promise((r) => setImmediate(r));
    cancel();
    // Deletion of what existed started at once, before the provider's restore returned.
    const atCancel = [...d.provider.cleanups];
    return { ...d, result: await d.run, atCancel };
  }

  test('deletes what exists at once, then everything including what came after, and says it was cancelled', async () => {
    const { result, provider, atCancel, state } = await cancelled('always');
    expect(atCancel).toEqual([[CLUSTER]]);
    // The second pass covers the cluster too: the first may wait on the instance only the second deletes.
    expect(provider.cleanups).toEqual([[CLUSTER], [CLUSTER, INSTANCE]]);
    expect(result.outcome.error).toBe('cancelled: runner sent SIGINT');
    expect(result.outcome.cleanup).toEqual({
      status: 'deleted',
      resources: [
        { kind: 'cluster', id: CLUSTER, outcome: 'deleted' },
        { kind: 'instance', id: INSTANCE, outcome: 'deleted' },
      ],
    });
    expect(state.get(STATE.cleanedUp)).toBe('done');
  });

  test('a deletion begun on cancel that waits on a newer resource does not hold up the drill', async () => {
    const { provider, result } = await cancelled('always', { clusterWaitsForInstance: true });
    expect(provider.cleanups).toEqual([[CLUSTER], [CLUSTER, INSTANCE]]);
    expect(result.outcome.cleanup.status).toBe('deleted');
  });

  test('on-success deletes on cancel: a cancelled drill has nothing to look at', async () => {
    const { provider, result } = await cancelled('on-success');
    expect(provider.cleanups).toEqual([[CLUSTER], [CLUSTER, INSTANCE]]);
    expect(result.outcome.cleanup.status).toBe('deleted');
  });

  test('never keeps on cancel', async () => {
    const { provider, result, atCancel } = await cancelled('never');
    expect(atCancel).toEqual([]);
    expect(provider.cleanups).toEqual([]);
    expect(result.outcome.cleanup.status).toBe('kept');
  });
});
