#!/usr/bin/env node
/** Entry point of dist/fleet-index: see commands/fleet-index.ts. */
import { fleetIndexMain } from '../engine/fleet-index.js';

fleetIndexMain(process.argv.slice(2), process.env).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`fleet-index: ${(error as Error).message}\n`);
    process.exitCode = 1;
  },
);
