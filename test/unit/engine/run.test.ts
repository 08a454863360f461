/** Dispatch: runMain plans once, runs the command's drill with what the test injects, and publishes. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TOOL_VERSION } from '../../../src/model/version.js';
import { runMain } from '../../../src/engine/run.js';
import { STATE } from '../../../src/drill/state.js';
import type { Provider } from '../../../src/providers/provider.js';
import { InputError } from '../../../src/inputs/input-error.js';
import { answeringAfter, fakeClock, fakeProvider, fakeValidator } from '../../support/fake-drill.js';
import { memoryIO } from '../../support/memory-io.js';
import { tempDir } from '../../support/temp-dir.js';

function restoreTest(
  extra: Record<string, string> = {},
  failCheck = false,
  tweak: (p: Provider) => Provider = (p) => p,
  signal?: AbortSignal,
) {
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
      return tweak(fakeProvider({ clock }));
    },
    validator: () => fakeValidator(clock, { fail: failCheck }),
    signal,
  };
  return { io, reportDir, built, run: () => runMain(io, options) };
}

test('bad input: exit 2, one line naming the input, and no provider is built', async () => {
  const { io, built, run } = restoreTest({ 'restore-type': 'yesterday' });
  expect(await run()).toBe(2);
  expect(io.outputs.result).toBe('error');
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

test('an unreadable checks file: exit 2 before anything is built', async () => {
  const { io, built, run } = restoreTest({ 'checks-file': '/nonexistent/restore-proof-checks.yml' });
  expect(await run()).toBe(2);
  expect(built).toEqual([]);
  expect(io.state.values).toEqual({});
});

test('bad input found while describing the source: exit 2, and no report joins the evidence chain', async () => {
  const { io, reportDir, run } = restoreTest({}, false, (p) => ({
    ...p,
    resolve: async () => {
      throw new InputError('source-cluster', 'names no DB cluster in us-east-1', 'prod-db');
    },
  }));
  expect(await run()).toBe(2);
  expect(io.outputs.result).toBe('error');
  expect(readdirSync(reportDir)).toEqual([]);
  expect(io.logger.lines.filter((l) => l.startsWith('error:'))).toEqual([
    "error: input 'source-cluster' names no DB cluster in us-east-1; got 'prod-db'",
  ]);
});

test('a drill that cannot complete (an AWS error): exit 3, result error, its evidence written', async () => {
  const { io, reportDir, run } = restoreTest({}, false, (p) => ({
    ...p,
    restore: async () => {
      throw new Error('InsufficientDBInstanceCapacity: no capacity');
    },
  }));
  expect(await run()).toBe(3);
  expect(io.outputs.result).toBe('error');
  expect(readdirSync(reportDir).filter((f) => f.endsWith('.json'))).toHaveLength(1);
  // The error is said once; what the drill never reached is not reported as more errors.
  const log = io.logger.lines.join('\n');
  expect(log.match(/InsufficientDBInstanceCapacity/g)).toHaveLength(1);
  expect(log).not.toMatch(/restore time unknown|data loss unknown|no watermark column/);
});

test('a cancelled drill: exit 130, result cancelled', async () => {
  const controller = new AbortController();
  controller.abort(new Error('received SIGINT'));
  const { io, run } = restoreTest({}, false, (p) => p, controller.signal);
  expect(await run()).toBe(130);
  expect(io.outputs.result).toBe('cancelled');
});

test('a report-dir that cannot be written: exit 2 before any provider is built', async () => {
  const { built, run } = restoreTest({ 'report-dir': '/proc/restore-proof-reports' });
  expect(await run()).toBe(2);
  expect(built).toEqual([]);
});

test('the report records the package version as tool.version', async () => {
  const { reportDir, run } = restoreTest();
  expect(await run()).toBe(0);
  const file = readdirSync(reportDir).find((f) => f.endsWith('.json'))!;
  const report = JSON.parse(readFileSync(join(reportDir, file), 'utf8')) as { tool: { version: string } };
  expect(report.tool.version).toBe(TOOL_VERSION);
  expect(report.tool.version).not.toBe('dev');
});

test('preflight says each Terraform finding once (its annotation, or one log line without annotations)', async () => {
  const io = memoryIO({ command: 'preflight', 'terraform-dir': 'test/fixtures/terraform/violations' });
  expect(await runMain(io)).toBe(1);
  const lines = io.logger.lines.filter((l) => /\.tf:\d+: /.test(l));
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) {
    const finding = line.replace(/^.*\.tf:\d+: /, '');
    expect(io.logger.lines.filter((l) => l.includes(finding))).toHaveLength(1);
  }
});

test('verify-reports says its verdict once', async () => {
  const dir = tempDir('verify-once');
  const io = memoryIO({ command: 'verify-reports', 'report-dir': dir });
  await runMain(io);
  const verdict = io.logger.lines.at(-1)!.replace(/^error: /, '');
  expect(io.logger.lines.filter((l) => l.includes(verdict))).toHaveLength(1);
});
