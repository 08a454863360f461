import type { Logger } from '../log/logger.js';
import type { CheckResult, Target } from '../model/types.js';
import type { RestoreTestPlan as Plan } from '../inputs/plan-types.js';
import type { DataLoss } from './data-loss.js';

export interface PreparedValidation {
  /**
   * For restore-type latest with production-url: the instant T at which production was fingerprinted inside
   * one REPEATABLE READ snapshot. The drill waits until the source's LatestRestorableTime passes T and
   * restores to exactly T, so copy and snapshot agree exactly.
   */
  pinnedTime?: Date;
  /**
   * Settles (never rejects) when the production pass of a latest drill has ended and released its
   * snapshot: from then on no drill session is open on production while the copy restores.
   */
  productionPass?: Promise<void>;
}

export interface ValidationResult {
  checks: CheckResult[];
  /**
   * Newest committed data found in the copy (newest watermark value). Alone (no production-url) it only
   * bounds data loss from above: objectiveChecks reports it as "at most".
   */
  newestDataAt?: Date;
  /**
   * Data loss measured against production at the restore point (when production was read): the drill
   * passes it to objectiveChecks as `dataLoss`.
   */
  dataLoss?: DataLoss;
}

/** Everything that compares the copy with production and inspects the copy. Built per drill. */
export interface Validator {
  /** Before the restore: pin production and start its one pass (released when it ends) in the background. */
  prepare(plan: Plan, logger: Logger, signal: AbortSignal): Promise<PreparedValidation>;
  /** After the copy answers: every check except objectives. Never throws for a failing check: it reports it. */
  validate(target: Target, logger: Logger, signal: AbortSignal): Promise<ValidationResult>;
  /** Releases production connections; safe to call more than once. */
  close(): Promise<void>;
}
