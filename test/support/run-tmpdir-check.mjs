// jest globalTeardown of the whole run: fails the run, naming them, when tests left anything in the run's temp
// dir (run-tmpdir.mjs); then removes it, so a failing run does not litter the machine either.
import { readdirSync, rmSync } from 'node:fs';
import { RUN_TMPDIR } from './run-tmpdir.mjs';

export default function checkRunTmpdir() {
  const dir = process.env[RUN_TMPDIR];
  if (!dir) return;
  const left = readdirSync(dir).sort();
  rmSync(dir, { recursive: true, force: true });
  if (left.length > 0) {
    throw new Error(
      `tests left ${left.length} entr${left.length === 1 ? 'y' : 'ies'} in the temp dir; remove each where it is created: ${left.join(', ')}`,
    );
  }
}
