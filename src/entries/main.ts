/**
 * The action's main step. The runner cancels with SIGINT, then SIGTERM 7.5 s later, then SIGKILL 2.5 s
 * after that: on the first signal the drill aborts and deletes what it created at once.
 */
import { actionIO } from '../host/action.js';
import { runMain } from '../engine/run.js';

const GRACE_MS = 9_000;
const controller = new AbortController();
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (!controller.signal.aborted) {
      controller.abort(new Error(`runner sent ${sig}`));
      // Whatever is still running after the grace period is left to the post step.
      setTimeout(() => process.exit(130), GRACE_MS).unref();
    }
  });
}

runMain(actionIO(), { signal: controller.signal }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`::error::restore-proof: ${(error as Error).message}\n`);
    process.exitCode = 3;
  },
);
