/** Dispatch: runMain plans once, runs the command's drill with what the test injects, and publishes. */
import { readdirSync } from 'node:fs';
import { runMain } from '../../../src/engine/run.js';
import { STATE } from '../../../src/drill/state.js';
import type { Provider } from '../../../src/providers/provider.js';
import { answeringAfter, fakeClock, fakeProvider, fakeValidator } from '../../support/fake-drill.js';
import { memoryIO } from '../../support/memory-io.js';
import { tempDir } from '../../support/temp-dir.js';

function restoreTest(extra: Record<string, string> = {}, failCheck = false) {
  const reportDir = tempDir('engine-reports');
  const io = memoryIO(
    { 'source-cluster': 'prod-db', 'aws-region': 'us-east-1', 'report-dir': reportDir, ...extra },
    { env: { GITHUB_WORKSPACE: reportDir } },
  );
  const clock = fakeClock();
  const built: string[] = [];
  const options = {
    clock,
    firstQuery: answeringAfter(clock, 5),
    provider: (): Provider => {
      built.push('provider');
      return fakeProvider({ clock });
    },
    validator: () => fakeValidator(clock, { fail: failCheck }),
  };
  return { io, reportDir, built, run: () => runMain(io, options) };
}

test('bad input: exit 1, one line naming the input, and no provider is built', async () => {
  const { io, built, run } = restoreTest({ 'restore-type': 'yesterday' });
  expect(await run()).toBe(1);
  const errors = io.logger.lines.filter((l) => l.includes('error'));
  expect(errors).toHaveLength(1);
  expect(errors[0]).toContain('restore-type');
  expect(built).toEqual([]);
  expect(io.state.values).toEqual({});
});

test('restore-test: the drill runs, cleans up and its report is published; exit 0', async () => {
  const { io, reportDir, run } = restoreTest();
  expect(await run()).toBe(0);
  expect(io.outputs.result).toBe('pass');
  expect(io.outputs['restore-seconds']).toBe('505');
  expect(io.state.get(STATE.cleanedUp)).toBe('done');
  expect(readdirSync(reportDir).filter((f) => f.endsWith('.json'))).toHaveLength(1);
});

test('restore-test: a failing check is published too, and exits 1', async () => {
  const { io, reportDir, run } = restoreTest({}, true);
  expect(await run()).toBe(1);
  expect(io.outputs.result).toBe('fail');
  expect(readdirSync(reportDir).filter((f) => f.endsWith('.json'))).toHaveLength(1);
});

test('an unreadable checks file: exit 1 before anything is built', async () => {
  const { io, built, run } = restoreTest({ 'checks-file': '/nonexistent/restore-proof-checks.yml' });
  expect(await run()).toBe(1);
  expect(built).toEqual([]);
  expect(io.state.values).toEqual({});
});
