/** The action's post step: deletes whatever main created and did not delete. */
import { actionIO } from '../host/action.js';
import { runPost } from '../engine/post.js';

runPost(actionIO()).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`::error::restore-proof post: ${(error as Error).message}\n`);
    process.exitCode = 1;
  },
);
