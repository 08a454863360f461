#!/usr/bin/env node
/** The restore-proof command line: see host/terminal.ts. */
import { cli, routeProcessWarnings, terminalLogger } from '../host/terminal.js';

routeProcessWarnings(terminalLogger(process.env));
const controller = new AbortController();
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => controller.abort(new Error(`received ${sig}`)));
}
cli(process.argv.slice(2), process.env, controller.signal).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Anything unexpected: the drill could not complete.
    process.stderr.write(`restore-proof: ${(error as Error).message}\n`);
    process.exitCode = 3;
  },
);
