/**
 * A real tunnel process that dies after it opened (as a Session Manager session does at its idle timeout or
 * maximum duration): startTunnel's lost() says so, naming tunnel-command, and warns once when it happens.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { memoryLogger } from '../../src/log/logger.js';
import { startTunnel } from '../../src/drill/tunnel.js';
import { ROOT } from '../support/runner.js';
import { tempDir } from '../support/temp-dir.js';

const FORWARDER = join(ROOT, 'test', 'support', 'tcp-forward.mjs');
const TEMPLATE = `node ${FORWARDER} {localPort} {host} {port}`;

async function waitFor(what: string, predicate: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

let echo: Server;
let echoPort: number;
beforeAll(async () => {
  echo = createServer((socket) => socket.pipe(socket));
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
  echoPort = (echo.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((r) => echo.close(() => r())));

test('a tunnel whose command ends mid-drill is reported lost, naming tunnel-command, and warned once', async () => {
  const file = join(tempDir('tunnel'), 'forwarder.pid');
  const logger = memoryLogger();
  const tunnel = await startTunnel(
    TEMPLATE,
    { host: '127.0.0.1', port: echoPort },
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
    TEMPLATE,
    { host: '127.0.0.1', port: echoPort },
    logger,
    new AbortController().signal,
  );
  await tunnel.stop();
  expect(tunnel.lost?.()).toBeUndefined();
  expect(logger.lines.join('\n')).not.toContain('tunnel lost');
});
