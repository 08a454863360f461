/** A tunnel that dies mid-drill: the drill's error says the tunnel was lost, naming tunnel-command. */
import { runDrill } from '../../../src/drill/drill.js';
import { memoryState } from '../../../src/drill/state.js';
import type { Tunnel } from '../../../src/drill/tunnel.js';
import { buildRestoreTestPlan } from '../../../src/inputs/plan.js';
import { memoryLogger } from '../../../src/log/logger.js';
import { fakeClock, fakeProvider, fakeValidator } from '../../support/fake-drill.js';

function drill(lost: string | undefined) {
  const clock = fakeClock();
  const plan = buildRestoreTestPlan(
    {
      'source-cluster': 'prod-db',
      'aws-region': 'us-east-1',
      'tunnel-command':
        'aws ssm start-session --target i-0abc --parameters host={host},portNumber={port},localPortNumber={localPort}',
    },
    {},
  );
  const tunnel: Tunnel = { localPort: 15432, pid: 1, stop: async () => undefined, lost: () => lost };
  return runDrill({
    plan,
    provider: fakeProvider({ clock }),
    validator: fakeValidator(clock),
    state: memoryState(),
    logger: memoryLogger(),
    clock,
    runId: '20260301t040000z-abcd',
    startTunnel: async () => tunnel,
    firstQuery: async () => {
      throw new Error(
        'cannot connect to postgres@127.0.0.1:15432/app (ssl-mode verify-full): connect ECONNREFUSED',
      );
    },
  });
}

test('the error names the lost tunnel and tunnel-command first, then what failed on it', async () => {
  const { outcome } = await drill(
    'tunnel lost: tunnel-command exited with code 0 while the drill was using 127.0.0.1:15432',
  );
  expect(outcome.result).not.toBe('pass');
  expect(outcome.error).toMatch(
    /^tunnel lost: tunnel-command exited with code 0 while the drill was using 127\.0\.0\.1:15432; then: cannot connect to postgres@127\.0\.0\.1:15432/,
  );
});

test('a tunnel that is still up leaves the error as it was', async () => {
  const { outcome } = await drill(undefined);
  expect(outcome.error).toMatch(/^cannot connect to postgres@127\.0\.0\.1:15432/);
});
