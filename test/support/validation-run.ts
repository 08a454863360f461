/**
 * What a validation test of the production pass drives: the copy as the drill's Target names it (a database
 * on a local server), one validator with its logger and signal (closed however the test ends), and a check
 * looked up by id (failing, with the ids there are, when it is missing).
 */
import { createValidator, type ValidatorOptions } from '../../src/checks/validation.js';
import type { Validator } from '../../src/checks/validator.js';
import type { LocalServer } from '../../src/db/local-server.js';
import { memoryLogger, type Logger } from '../../src/log/logger.js';
import type { CheckResult, Target } from '../../src/model/types.js';

/** A latest drill's copy: `database` on `server`, restored to `pinned`. */
export function copyTarget(server: LocalServer, pinned: Date | undefined, database = 'copy'): Target {
  return {
    provider: 'aurora',
    restoredCluster: 'restore-proof-test',
    restoreType: 'latest',
    targetTime: pinned?.toISOString(),
    source: { identifier: 'prod', engine: 'aurora-postgresql' },
    copy: {},
    connection: {
      host: '127.0.0.1',
      port: server.port,
      database,
      user: 'postgres',
      password: '',
      sslMode: 'disable',
    },
  };
}

export function checkById(checks: CheckResult[], id: string): CheckResult {
  const c = checks.find((x) => x.id === id);
  if (!c) throw new Error(`no check ${id}; have ${checks.map((x) => x.id).join(', ')}`);
  return c;
}

export interface ValidatorRun {
  validator: Validator;
  logger: Logger & { lines: string[] };
  signal: AbortSignal;
}

/** Runs `fn` with a fresh validator (and a logger that keeps its lines), closing the validator after it. */
export async function withValidator<T>(
  options: ValidatorOptions,
  fn: (run: ValidatorRun) => Promise<T>,
): Promise<T> {
  const validator = createValidator(options);
  try {
    return await fn({ validator, logger: memoryLogger(), signal: new AbortController().signal });
  } finally {
    await validator.close();
  }
}
