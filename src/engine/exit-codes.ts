/**
 * What a run's exit code and `result` output mean, one thing each:
 *   0 pass; 1 the drill ran and failed (evidence written); 2 usage or bad input (nothing created, no report);
 *   3 the drill could not complete (AWS, database or network error; its evidence written); 130 cancelled.
 */
import type { DrillOutcome } from '../model/types.js';

export const EXIT = { pass: 0, fail: 1, input: 2, error: 3, cancelled: 130 } as const;

/** The `result` output: pass | fail | error | cancelled. */
export type RunResult = 'pass' | 'fail' | 'error' | 'cancelled';

/** How a finished drill ended: an error (it could not complete) is not a failed check. */
export function drillResult(outcome: DrillOutcome, cancel?: AbortSignal): RunResult {
  if (cancel?.aborted) return 'cancelled';
  if (outcome.result === 'pass') return 'pass';
  return outcome.error !== undefined ? 'error' : 'fail';
}

/** The exit code of a drill's result; `published` is what publishing returned (1 when evidence was not written). */
export function exitCode(result: RunResult, published = 0): number {
  if (result === 'pass' && published !== 0) return EXIT.error;
  return EXIT[result];
}
