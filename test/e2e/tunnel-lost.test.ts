/**
 * A real tunnel process that dies after it opened (as a Session Manager session does at its idle timeout or
 * maximum duration): startTunnel's lost() says so, naming tunnel-command, and warns once when it happens.
 */
import { existsSync, readFileSync } from 'node:fs';
import { memoryLogger } from '../../src/log/logger.js';
import { startTunnel } from '../../src/drill/tunnel.js';
import { FORWARDER_TEMPLATE, forwarderPidFile, useEchoServer } from '../support/tcp-forwarder.js';
import { waitFor } from '../support/wait-for.js';

const echo = useEchoServer();

test('a tunnel whose command ends mid-drill is reported lost, naming tunnel-command, and warned once', async () => {
  const file = forwarderPidFile();
  const logger = memoryLogger();
  const tunnel = await startTunnel(
    FORWARDER_TEMPLATE,
    { host: '127.0.0.1', port: echo.port },
    logger,
    new AbortController().signal,
    { env: { ...process.env, FORWARD_PID_FILE: file } },
  );
  expect(tunnel.lost?.()).toBeUndefined();
  await waitFor('pid file', () => existsSync(file));
  process.kill(-tunnel.pid, 'SIGKILL'); // the session ends under the drill
  await waitFor('the warning', () => logger.lines.some((l) => l.includes('tunnel lost')));
  const lost = tunnel.lost?.();
  expect(lost).toMatch(
    new RegExp(
      `^tunnel lost: tunnel-command was killed by SIGKILL while the drill was using 127\\.0\\.0\\.1:${tunnel.localPort}`,
    ),
  );
  expect(lost).toContain('docs/tunnel.md');
  expect(logger.lines.filter((l) => l.includes('tunnel lost'))).toHaveLength(1);
  expect(logger.lines.find((l) => l.includes('tunnel lost'))).toMatch(/^warning: /);
  await tunnel.stop();
  expect(Number(readFileSync(file, 'utf8'))).toBeGreaterThan(0);
});

test('a tunnel stopped by the drill is not reported lost', async () => {
  const logger = memoryLogger();
  const tunnel = await startTunnel(
    FORWARDER_TEMPLATE,
    { host: '127.0.0.1', port: echo.port },
    logger,
    new AbortController().signal,
  );
  await tunnel.stop();
  expect(tunnel.lost?.()).toBeUndefined();
  expect(logger.lines.join('\n')).not.toContain('tunnel lost');
});
