/**
 * test/support/tcp-forward.mjs as a tunnel-command (a stand-in for an SSM port-forwarding session), for tests
 * of startTunnel and of the built action with tunnel-command: the template, a pid file for it to write, and a
 * TCP echo server for it to forward to.
 */
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { ROOT } from './runner.js';
import { tempDir } from './temp-dir.js';

/** The tunnel-command that runs the forwarder. */
export const FORWARDER_TEMPLATE = `node ${join(ROOT, 'test', 'support', 'tcp-forward.mjs')} {localPort} {host} {port}`;

/** A path, in a fresh temp dir, for the forwarder to write its pid to (its FORWARD_PID_FILE). */
export const forwarderPidFile = (): string => join(tempDir('tunnel'), 'forwarder.pid');

/**
 * A TCP echo server on 127.0.0.1, listening from before the file's tests until after them. Call it at the top
 * of the file (or of a describe block); the returned object reads its port.
 */
export function useEchoServer(): { readonly port: number } {
  let echo: Server | undefined;
  let port: number | undefined;
  beforeAll(async () => {
    const server = createServer((socket) => socket.pipe(socket));
    echo = server;
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((r) => (echo ? echo.close(() => r()) : r())));
  return {
    get port() {
      if (port === undefined) throw new Error('the echo server is not listening: call useEchoServer() first');
      return port;
    },
  };
}
