#!/usr/bin/env node
// A stand-in for a port-forwarding tunnel (SSM start-session, ssh -L): listens on 127.0.0.1:<localPort>
// and pipes each connection to <host>:<port>.
//
//   node test/support/tcp-forward.mjs <localPort> <host> <port>
//
// Environment, for tests only:
//   FORWARD_TO_HOST / FORWARD_TO_PORT  forward there instead of <host>:<port> (moto's endpoints do not resolve)
//   FORWARD_PID_FILE                   write this process's pid there once listening
//   FORWARD_DELAY_MS                   wait this long before listening (a slow tunnel)
//   FORWARD_IGNORE_TERM=1              ignore SIGTERM and SIGINT (a tunnel that must be SIGKILLed)
//   FORWARD_EXIT_CODE                  exit with this code at once, printing a line on stderr (a broken tunnel)
import { writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';

const [localPort, host, port] = process.argv.slice(2);
if (!localPort || !host || !port) {
  process.stderr.write('usage: tcp-forward.mjs <localPort> <host> <port>\n');
  process.exit(2);
}
if (process.env.FORWARD_EXIT_CODE) {
  process.stderr.write(`tcp-forward: cannot reach ${host}:${port} (simulated failure)\n`);
  process.exit(Number(process.env.FORWARD_EXIT_CODE));
}
const toHost = process.env.FORWARD_TO_HOST || host;
const toPort = Number(process.env.FORWARD_TO_PORT || port);

if (process.env.FORWARD_IGNORE_TERM === '1') {
  process.on('SIGTERM', () => process.stderr.write('tcp-forward: ignoring SIGTERM\n'));
  process.on('SIGINT', () => process.stderr.write('tcp-forward: ignoring SIGINT\n'));
} else {
  for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => process.exit(0));
}

const server = createServer((inbound) => {
  const outbound = connect({ host: toHost, port: toPort });
  inbound.pipe(outbound);
  outbound.pipe(inbound);
  const close = () => {
    inbound.destroy();
    outbound.destroy();
  };
  inbound.on('error', close);
  outbound.on('error', close);
  inbound.on('close', close);
  outbound.on('close', close);
});

setTimeout(
  () => {
    server.listen(Number(localPort), '127.0.0.1', () => {
      process.stdout.write(`tcp-forward: 127.0.0.1:${localPort} -> ${toHost}:${toPort}\n`);
      if (process.env.FORWARD_PID_FILE) writeFileSync(process.env.FORWARD_PID_FILE, String(process.pid));
    });
  },
  Number(process.env.FORWARD_DELAY_MS || 0),
);
