/**
 * The one keep-or-delete rule, shared by the drill (at its end and on cancel) and the post step.
 *
 * - nothing was created: nothing to do;
 * - main already cleaned up (or decided to keep): nothing to do;
 * - `never`: keep;
 * - `on-success`: keep only after a drill that finished and failed, so someone can look at the copy;
 *   a cancelled drill, or one that never finished (the post step after a kill), deletes;
 * - `always`: delete.
 * Kept resources are left to the janitor, which deletes them once their restore-proof:expires-at passes.
 */
import type { CleanupPolicy } from '../model/types.js';

/** How the drill ended, as far as whoever applies the policy knows. */
export type DrillEnding = 'passed' | 'failed' | 'cancelled' | 'unfinished';

export type CleanupAction = 'nothing-created' | 'already-cleaned' | 'keep' | 'delete';

export interface CleanupSituation {
  /** The saved policy; '' when state predates it (treated as always). */
  policy: CleanupPolicy | '';
  ending: DrillEnding;
  created: number;
  cleanedUp: boolean;
}

export function cleanupAction(s: CleanupSituation): CleanupAction {
  if (s.created === 0) return 'nothing-created';
  if (s.cleanedUp) return 'already-cleaned';
  if (s.policy === 'never') return 'keep';
  if (s.policy === 'on-success' && s.ending === 'failed') return 'keep';
  return 'delete';
}

/** The warning logged when resources are kept. */
export const keptMessage = (policy: CleanupPolicy | '', ids: string[]): string =>
  `cleanup ${policy}: keeping ${ids.join(', ')}; the janitor deletes them once their restore-proof:expires-at passes`;
