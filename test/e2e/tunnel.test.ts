/**
 * tunnel-command, for real: src/tunnel.ts with a local TCP forwarder (test/support/tcp-forward.mjs) standing in
 * for an SSM port-forwarding session, then the built action against moto with tunnel-command set and no
 * restored-host.
 *
 * What is simulated: moto's restored cluster has an endpoint host name that resolves nowhere. The drill passes
 * it to the tunnel as {host} (as it would to `aws ssm start-session`); the forwarder ignores it and forwards
 * to the local PostgreSQL named by FORWARD_TO_HOST / FORWARD_TO_PORT, which stands in for the copy. The
 * drill itself only ever connects to 127.0.0.1:{localPort}.
 */
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { memoryLogger } from '../../src/log/logger.js';
import { startTunnel } from '../../src/drill/tunnel.js';
import { leftovers, REGION } from '../support/aurora-fixture.js';
import { useCopyDrill } from '../support/copy-drill.js';
import { runStep, type StepResult } from '../support/runner.js';
import { FORWARDER_TEMPLATE, forwarderPidFile, useEchoServer } from '../support/tcp-forwarder.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('startTunnel with a local TCP forwarder', () => {
  const echo = useEchoServer();

  const roundTrip = (port: number): Promise<string> =>
    new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port }, () => socket.write('ping'));
      socket.once('data', (d) => {
        socket.destroy();
        resolve(d.toString());
      });
      socket.once('error', reject);
    });

  test('waits for the local port, carries traffic, and stop() ends the process group', async () => {
    const file = forwarderPidFile();
    const logger = memoryLogger();
    const tunnel = await startTunnel(
      FORWARDER_TEMPLATE,
      { host: '127.0.0.1', port: echo.port },
      logger,
      new AbortController().signal,
      { env: { ...process.env, FORWARD_PID_FILE: file, FORWARD_DELAY_MS: '700' } },
    );
    expect(await roundTrip(tunnel.localPort)).toBe('ping');
    await waitFor('pid file', () => existsSync(file));
    const pid = Number(readFileSync(file, 'utf8'));
    expect(alive(pid)).toBe(true);
    await tunnel.stop();
    expect(alive(pid)).toBe(false);
    expect(alive(tunnel.pid)).toBe(false);
    await tunnel.stop(); // idempotent
    expect(logger.lines.join('\n')).toMatch(/tunnel: 127\.0\.0\.1:\d+ is open/);
  });

  test('a tunnel that ignores SIGTERM is SIGKILLed after the grace', async () => {
    const file = forwarderPidFile();
    const logger = memoryLogger();
    const tunnel = await startTunnel(
      FORWARDER_TEMPLATE,
      { host: '127.0.0.1', port: echo.port },
      logger,
      new AbortController().signal,
      { env: { ...process.env, FORWARD_PID_FILE: file, FORWARD_IGNORE_TERM: '1' }, graceMs: 500 },
    );
    await waitFor('pid file', () => existsSync(file));
    const pid = Number(readFileSync(file, 'utf8'));
    await tunnel.stop();
    expect(alive(pid)).toBe(false);
    expect(logger.lines.join('\n')).toMatch(/sending SIGKILL/);
  });

  test('aborting the signal (SIGINT in the action) stops the tunnel', async () => {
    const file = forwarderPidFile();
    const controller = new AbortController();
    await startTunnel(
      FORWARDER_TEMPLATE,
      { host: '127.0.0.1', port: echo.port },
      memoryLogger(),
      controller.signal,
      { env: { ...process.env, FORWARD_PID_FILE: file } },
    );
    await waitFor('pid file', () => existsSync(file));
    const pid = Number(readFileSync(file, 'utf8'));
    controller.abort(new Error('runner sent SIGINT'));
    await waitFor('the forwarder to exit', () => !alive(pid));
  });

  test('a command that exits first fails with the tail of its output, masked', async () => {
    const logger = memoryLogger();
    const attempt = startTunnel(
      `echo "token=abc123secret AKIAABCDEFGHIJKLMNOP"; ${FORWARDER_TEMPLATE}`,
      { host: 'db.internal', port: 5432 },
      logger,
      new AbortController().signal,
      { env: { ...process.env, FORWARD_EXIT_CODE: '3' } },
    );
    await expect(attempt).rejects.toThrow(
      /tunnel-command exited with code 3 before 127\.0\.0\.1:\d+ opened; its output ends: .*simulated failure/,
    );
    const message = await attempt.catch((e: Error) => e.message);
    expect(message).not.toMatch(/abc123secret|AKIAABCDEFGHIJKLMNOP/);
    expect(message).toMatch(/token=\*\*\*/);
  });

  test('a port that never opens times out, and the command is stopped', async () => {
    const file = forwarderPidFile();
    const attempt = startTunnel(
      FORWARDER_TEMPLATE,
      { host: '127.0.0.1', port: echo.port },
      memoryLogger(),
      new AbortController().signal,
      {
        env: { ...process.env, FORWARD_PID_FILE: file, FORWARD_DELAY_MS: '60000' },
        readyTimeoutMs: 800,
      },
    );
    await expect(attempt).rejects.toThrow(/timed out waiting for tunnel on 127\.0\.0\.1:\d+/);
  });

  test('{host} is shell-quoted: a hostile value stays one argument', async () => {
    const file = forwarderPidFile();
    const marker = join(tempDir('injected'), 'marker');
    const tunnel = await startTunnel(
      FORWARDER_TEMPLATE,
      { host: `x; touch ${marker}`, port: echo.port },
      memoryLogger(),
      new AbortController().signal,
      { env: { ...process.env, FORWARD_PID_FILE: file, FORWARD_TO_HOST: '127.0.0.1' } },
    );
    await tunnel.stop();
    expect(existsSync(marker)).toBe(false);
  });
});

describe('the built action with tunnel-command (moto + a real PostgreSQL behind the forwarder)', () => {
  const drill = useCopyDrill();
  afterEach(async () => {
    expect(await leftovers(drill.rds)).toEqual([]);
  });

  const inputs = (extra: Record<string, string> = {}): Record<string, string> => ({
    command: 'restore-test',
    'source-cluster': 'prod-db',
    'aws-region': REGION,
    'tunnel-command': FORWARDER_TEMPLATE,
    'ssl-mode': 'disable',
    'timeout-minutes': '2',
    'report-dir': tempDir('reports'),
    ...extra,
  });
  const env = (file: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv =>
    drill.env({
      FORWARD_TO_HOST: '127.0.0.1',
      FORWARD_TO_PORT: String(drill.server.port),
      FORWARD_PID_FILE: file,
      ...extra,
    });
  const show = (r: StepResult): void => {
    process.stdout.write(`main step output:\n${r.stdout}\n${r.stderr}\n`);
  };

  test('passes through the tunnel, with {host} the copy endpoint, and the tunnel is gone after', async () => {
    const file = forwarderPidFile();
    const main = await runStep('main', { inputs: inputs(), env: env(file) });
    if (main.code !== 0) show(main);
    expect(main.code).toBe(0);
    expect(main.outputs.result).toBe('pass');
    expect(main.stdout).toMatch(
      /tunnel: starting on 127\.0\.0\.1:(\d+) to restore-proof-[a-z0-9-]+\.cluster-[^:]+:\d+/,
    );
    const localPort = /tunnel: starting on 127\.0\.0\.1:(\d+)/.exec(main.stdout)![1];
    expect(main.stdout).toContain(`first query on 127.0.0.1:${localPort}: answered`);
    expect(main.stdout).toMatch(/tunnel: stopped/);
    const pid = Number(readFileSync(file, 'utf8'));
    expect(alive(pid)).toBe(false);
    const report = JSON.parse(readFileSync(main.outputs['report-json']!, 'utf8')) as {
      restore: { phases: { name: string }[]; seconds: number };
    };
    expect(report.restore.phases.map((p) => p.name)).toContain('tunnel');
  });

  test('a failing drill still stops the tunnel', async () => {
    const file = forwarderPidFile();
    const main = await runStep('main', {
      inputs: inputs({ 'smoke-command': 'exit 3' }),
      env: env(file),
    });
    expect(main.code).toBe(1);
    expect(main.outputs.result).toBe('fail');
    expect(main.stdout).toMatch(/tunnel: stopped/);
    expect(alive(Number(readFileSync(file, 'utf8')))).toBe(false);
  });

  test('a tunnel that cannot start fails the drill with its output, and the copy is deleted', async () => {
    const file = forwarderPidFile();
    const main = await runStep('main', { inputs: inputs(), env: env(file, { FORWARD_EXIT_CODE: '1' }) });
    expect(main.code).toBe(3);
    expect(main.stdout).toMatch(/tunnel-command exited with code 1 .*simulated failure/);
    expect(main.state['cleaned-up']).toBe('done');
  });

  test('SIGINT during validation stops the tunnel before main exits', async () => {
    const file = forwarderPidFile();
    let signalled = false;
    const main = await runStep('main', {
      inputs: inputs({ 'smoke-command': 'sleep 60' }),
      env: env(file),
      onSpawn: (child) => {
        void waitFor('the forwarder', () => existsSync(file), { timeoutMs: 60_000 }).then(() => {
          signalled = true;
          child.kill('SIGINT');
        });
      },
    });
    expect(signalled).toBe(true);
    expect(main.code).toBe(130);
    expect(main.stdout).toMatch(/cancelled/);
    expect(alive(Number(readFileSync(file, 'utf8')))).toBe(false);
  });
});
