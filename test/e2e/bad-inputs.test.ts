/**
 * Every bad input, through the built action against moto: exit 2, exactly one error line that names the input,
 * and no call that creates, modifies or deletes reaches the API (the plan refuses before the engine starts).
 */
import { INPUT_NAMES } from '../../src/inputs/plan.js';
import { createSourceCluster, motoClient } from '../support/aurora-fixture.js';
import { MUTATING, stepErrors, useDrillServers } from '../support/drill-servers.js';
import { runStep } from '../support/runner.js';
import { BAD } from '../fixtures/bad-inputs.js';

// One source cluster for the whole file: no test creates anything, so only the recorded calls are cleared.
const servers = useDrillServers({ resetEach: false });

beforeAll(async () => {
  await createSourceCluster(motoClient(servers.moto.endpoint));
});
beforeEach(() => {
  servers.proxy.calls.length = 0;
});

// The runner passes only declared inputs to the action; an unknown name is the CLI's to refuse (strict flags).
const declared = BAD.filter(([, raw]) =>
  Object.keys(raw).every((k) => (INPUT_NAMES as string[]).includes(k)),
);

test('the table is the plan test table, less undeclared names', () => {
  expect(declared.length).toBeGreaterThanOrEqual(40);
});

test.each(declared)('%s', async (_what, raw, input) => {
  const inputs = Object.fromEntries(
    Object.entries({ 'source-cluster': 'prod-db', 'aws-region': 'us-east-1', ...raw }).map(([k, v]) => [
      k,
      v ?? '',
    ]),
  );
  const r = await runStep('main', { inputs, env: servers.env() });
  expect(r.code).toBe(2);
  const errors = stepErrors(r);
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatch(new RegExp(`^::error::input '${input}' `));
  expect(servers.proxy.calls.filter((c) => MUTATING.test(c))).toEqual([]);
});
