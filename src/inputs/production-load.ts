/**
 * The bounds on the drill's load on production: statement-timeout-seconds, tables-at-once and
 * parallel-workers, each a whole number in a range a DBA would recognise as modest.
 */
import type { ProductionLoad } from './plan-types.js';
import type { InputReader } from './raw-inputs.js';
import { wholeNumber } from './values.js';

/** A day: longer than any one table read should hold production. */
export const MAX_STATEMENT_TIMEOUT_SECONDS = 86_400;
export const MAX_TABLES_AT_ONCE = 32;
export const MAX_PARALLEL_WORKERS = 16;

export function planProductionLoad(inputs: InputReader): ProductionLoad {
  return {
    statementTimeoutSeconds: wholeNumber(
      'statement-timeout-seconds',
      inputs.required('statement-timeout-seconds'),
      0,
      MAX_STATEMENT_TIMEOUT_SECONDS,
      'seconds (0 for no limit)',
    ),
    tablesAtOnce: wholeNumber(
      'tables-at-once',
      inputs.required('tables-at-once'),
      1,
      MAX_TABLES_AT_ONCE,
      'tables',
    ),
    parallelWorkers: wholeNumber(
      'parallel-workers',
      inputs.required('parallel-workers'),
      0,
      MAX_PARALLEL_WORKERS,
      'parallel workers per statement',
    ),
  };
}
