// jest globalSetup of the whole run: the run gets a temp dir of its own (TMPDIR, inherited by the workers and
// the processes they start), so run-tmpdir-check.mjs can prove no test left anything in it, even while other
// engineers or CI jobs run tests side by side in the same /tmp.
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const RUN_TMPDIR = 'RESTORE_PROOF_TEST_TMPDIR';

export default function makeRunTmpdir() {
  // Short: PostgreSQL's Unix sockets live a few directories below it, and a socket path is limited to 107 bytes.
  const dir = mkdtempSync(join(tmpdir(), 'rp'));
  // Like /tmp: the postgres user (local servers run as it under root) must reach its directories.
  chmodSync(dir, 0o1777);
  process.env[RUN_TMPDIR] = dir;
  process.env.TMPDIR = dir;
}
