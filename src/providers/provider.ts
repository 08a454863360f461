import type { Logger } from '../log/logger.js';
import type { Clock, Timeline } from '../time/timeline.js';
import type { CleanupOutcome, ProviderName, SourceInfo, Target } from '../model/types.js';
import type { RestoreTestPlan as Plan } from '../inputs/plan-types.js';

/** Something a drill created and must delete. Recorded in state the moment its create call returns. */
export interface CreatedResource {
  kind: 'cluster' | 'instance' | 'snapshot' | 'local-server';
  id: string;
  region?: string;
  runId: string;
}

/** What a provider learned about the source before anything is created. */
export interface ResolvedSource {
  source: SourceInfo;
  /** The restore time resolved from the plan (an explicit instant, or the pick for 'random'). */
  restoreTime?: Date;
  snapshotId?: string;
}

/**
 * The instant a pinned restore asks for, at the resolution the restore honours: the pin rounded up, never
 * down, so the copy holds every commit production's snapshot saw whatever the restore does with finer
 * digits; the commits between the pin and this instant are the in-flight rows the comparison sets aside
 * by transaction id (checks/in-flight.ts). RestoreDBClusterToPointInTime and RestoreDBInstanceToPointInTime
 * document RestoreToTime as a UTC time and show whole seconds in every example, and no page promises
 * sub-second precision, so the RDS providers ask for whole seconds.
 */
export function alignPin(pinned: Date, resolutionMs: number): Date {
  const step = Math.max(1, Math.floor(resolutionMs));
  return new Date(Math.ceil(pinned.getTime() / step) * step);
}

/** Whole seconds: the resolution RestoreToTime is relied on for. */
export const RDS_RESTORE_RESOLUTION_MS = 1000;

export interface RestoreRequest {
  plan: Plan;
  resolved: ResolvedSource;
  /** Restore to exactly this instant (set when production was fingerprinted at it); overrides the plan's time. */
  pinnedTime?: Date;
  runId: string;
  /** When the drill's resources expire (for tags and the janitor). */
  expiresAt: Date;
  timeline: Timeline;
  signal: AbortSignal;
  logger: Logger;
  clock: Clock;
  /** Persist a created resource at once so the post step can delete it after a crash or cancel. */
  record(resource: CreatedResource): Promise<void>;
}

/** One way of restoring. The drill knows the order; a provider knows only its own API. */
export interface Provider {
  readonly name: ProviderName;
  /** Describes the source and resolves the restore time. Makes no create, modify or delete call. */
  resolve(plan: Plan, signal: AbortSignal): Promise<ResolvedSource>;
  /** Restores, waits until the copy accepts connections, and returns where it is. */
  restore(request: RestoreRequest): Promise<Target>;
  /** Deletes what the drill created (instances before clusters); idempotent, NotFound is success. */
  cleanup(resources: CreatedResource[], runId: string, logger: Logger): Promise<CleanupOutcome>;
}
