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
import { createServer, connect, type Server } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import type { RDSClient } from '@aws-sdk/client-rds';
import { LocalServer } from '../../src/db/local-server.js';
import { memoryLogger } from '../../src/log/logger.js';
import { startTunnel } from '../../src/drill/tunnel.js';
import { createSourceCluster, leftovers, motoClient, REGION } from '../support/aurora-fixture.js';
import { startMoto, type Moto } from '../support/moto.js';
import { ROOT, runStep, type StepResult } from '../support/runner.js';
import { tempDir } from '../support/temp-dir.js';

const FORWARDER = join(ROOT, 'test', 'support', 'tcp-forward.mjs');
const TEMPLATE = `node ${FORWARDER} {localPort} {host} {port}`;

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function waitFor(what: string, predicate: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const pidFile = (): string => join(tempDir('tunnel'), 'forwarder.pid');

describe('startTunnel with a local TCP forwarder', () => {
  let echo: Server;
  let echoPort: number;

  beforeAll(async () => {
    echo = createServer((socket) => socket.pipe(socket));
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    echoPort = (echo.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((r) => echo.close(() => r())));

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
    const file = pidFile();
    const logger = memoryLogger();
    const tunnel = await startTunnel(
      TEMPLATE,
      { host: '127.0.0.1', port: echoPort },
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
    const file = pidFile();
    const logger = memoryLogger();
    const tunnel = await startTunnel(
      TEMPLATE,
      { host: '127.0.0.1', port: echoPort },
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
    const file = pidFile();
    const controller = new AbortController();
    await startTunnel(TEMPLATE, { host: '127.0.0.1', port: echoPort }, memoryLogger(), controller.signal, {
      env: { ...process.env, FORWARD_PID_FILE: file },
    });
    await waitFor('pid file', () => existsSync(file));
    const pid = Number(readFileSync(file, 'utf8'));
    controller.abort(new Error('runner sent SIGINT'));
    await waitFor('the forwarder to exit', () => !alive(pid));
  });

  test('a command that exits first fails with the tail of its output, masked', async () => {
    const logger = memoryLogger();
    const attempt = startTunnel(
      `echo "token=abc123secret AKIAABCDEFGHIJKLMNOP"; ${TEMPLATE}`,
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
    const file = pidFile();
    const attempt = startTunnel(
      TEMPLATE,
      { host: '127.0.0.1', port: echoPort },
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
    const file = pidFile();
    const marker = join(tempDir('injected'), 'marker');
    const tunnel = await startTunnel(
      TEMPLATE,
      { host: `x; touch ${marker}`, port: echoPort },
      memoryLogger(),
      new AbortController().signal,
      { env: { ...process.env, FORWARD_PID_FILE: file, FORWARD_TO_HOST: '127.0.0.1' } },
    );
    await tunnel.stop();
    expect(existsSync(marker)).toBe(false);
  });
});

describe('the built action with tunnel-command (moto + a real PostgreSQL behind the forwarder)', () => {
  let moto: Moto;
  let server: LocalServer;
  let rds: RDSClient;

  beforeAll(async () => {
    [moto, server] = await Promise.all([startMoto(), LocalServer.create()]);
    await server.start();
    const client = new pg.Client({ connectionString: server.url() });
    await client.connect();
    await client.query('create database app');
    await client.end();
    rds = motoClient(moto.endpoint);
  });
  afterAll(async () => {
    await Promise.all([moto?.stop(), server?.destroy()]);
  });
  beforeEach(async () => {
    await moto.reset();
    await createSourceCluster(rds);
  });
  afterEach(async () => {
    expect(await leftovers(rds)).toEqual([]);
  });

  const inputs = (extra: Record<string, string> = {}): Record<string, string> => ({
    command: 'restore-test',
    'source-cluster': 'prod-db',
    'aws-region': REGION,
    'tunnel-command': TEMPLATE,
    'ssl-mode': 'disable',
    'timeout-minutes': '2',
    'report-dir': tempDir('reports'),
    ...extra,
  });
  const env = (file: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    FORWARD_TO_HOST: '127.0.0.1',
    FORWARD_TO_PORT: String(server.port),
    FORWARD_PID_FILE: file,
    ...extra,
  });
  const show = (r: StepResult): void => {
    process.stdout.write(`main step output:\n${r.stdout}\n${r.stderr}\n`);
  };

  test('passes through the tunnel, with {host} the copy endpoint, and the tunnel is gone after', async () => {
    const file = pidFile();
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
    const file = pidFile();
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
    const file = pidFile();
    const main = await runStep('main', { inputs: inputs(), env: env(file, { FORWARD_EXIT_CODE: '1' }) });
    expect(main.code).toBe(3);
    expect(main.stdout).toMatch(/tunnel-command exited with code 1 .*simulated failure/);
    expect(main.state['cleaned-up']).toBe('done');
  });

  test('SIGINT during validation stops the tunnel before main exits', async () => {
    const file = pidFile();
    let signalled = false;
    const main = await runStep('main', {
      inputs: inputs({ 'smoke-command': 'sleep 60' }),
      env: env(file),
      onSpawn: (child) => {
        void waitFor('the forwarder', () => existsSync(file), 60_000).then(() => {
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
