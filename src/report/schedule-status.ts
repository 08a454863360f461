/**
 * Where each test type of the plan stands: which runs count for it, whether the last one showed its
 * criteria, and whether the next one is due or OVERDUE. Next due counts from the last run that evidenced
 * the row (src/report/cadence.ts: the cadence's period, then its grace before OVERDUE).
 *
 * A run evidences a row when it passed AND showed the row's criteria. A passing drill that could not show
 * one (no smoke-command for "all services operational", a same-region restore for a cross-region row)
 * leaves the row "not evidenced": it is neither a failure nor proof.
 */
import { cadencePeriod, nextDue, validUntil } from './cadence.js';
import { criteriaText, drillCadenceOf, type EvidenceConfig, type TestType } from './evidence-config.js';
import type { ExerciseReport } from './exercise.js';
import { compareReportFiles, type Report } from './model.js';

/** evidence: counts for the row; failed: the drill failed or missed a criterion; not-evidenced: passed, criteria not shown. */
export type RunVerdict = 'evidence' | 'failed' | 'not-evidenced';

/** One run (drill report or exercise) as a schedule row sees it. */
export interface ScheduledRun {
  kind: 'drill' | 'exercise';
  file: string;
  markdownFile: string;
  startedAt: string;
  verdict: RunVerdict;
  /** Why it failed or does not evidence the row; empty for evidence. */
  reasons: string[];
}

export type RowState = 'on-time' | 'late' | 'overdue' | 'not-evidenced' | 'not-run';

export interface RowStatus {
  type: TestType;
  /** The success criterion, generated from the configuration. */
  criteria: string;
  state: RowState;
  /** Every run that fills the row, oldest first. */
  runs: ScheduledRun[];
  lastRun: ScheduledRun | null;
  lastEvidence: ScheduledRun | null;
  /** When the next run is due (from the last evidence), or null when never evidenced or not run. */
  nextDue: string | null;
  /** The next due date has passed but its grace has not. */
  dueNow: boolean;
  /** OVERDUE: due dates whose whole following period also passed without evidence. */
  missed: number;
  /** Why the row is not evidenced (the last run's reasons). */
  reasons: string[];
}

/** The cadence's canonical name (semi-annual -> semiannual), or the text itself when unscheduled. */
export const canonicalCadence = (cadence: string): string =>
  cadencePeriod(cadence).name ?? cadence.trim().toLowerCase();

/** A drill restored in another region: the report names the copy's region, or the drill copied a snapshot there. */
export function isCrossRegionDrill(report: Report): boolean {
  const region = (report.restore as { region?: string | null }).region;
  if (region && report.source.region && region !== report.source.region) return true;
  return report.restore.phases.some((p) => p.name === 'snapshot-copy');
}

const minutesOf = (seconds: number): string => `${Math.round((seconds / 60) * 10) / 10} min`;

/** Judges one drill against a row's criteria. */
export function judgeDrill(type: TestType, report: Report): { verdict: RunVerdict; reasons: string[] } {
  // Cancelled is neither proof nor a failure: what it measured before the cancel judges nothing.
  if (report.result === 'cancelled')
    return { verdict: 'not-evidenced', reasons: ['the drill was cancelled'] };
  const failed: string[] = [];
  const unshown: string[] = [];
  if (report.result !== 'pass') failed.push('the drill failed');
  if (report.cleanup.status === 'failed') failed.push('cleanup failed');
  else if (report.cleanup.status === 'kept') unshown.push('the copy was kept, not cleaned up');
  const c = type.criteria;
  const maxRestore = c['max-restore-minutes'];
  if (maxRestore !== undefined) {
    const seconds = report.restore.seconds;
    if (seconds === null) unshown.push('restore time not measured');
    else if (seconds >= maxRestore * 60)
      failed.push(`restore took ${minutesOf(seconds)}, not < ${maxRestore} min`);
  }
  const maxLoss = c['max-data-loss-minutes'];
  if (maxLoss !== undefined) {
    const seconds = report.objectives.rpo.measuredSeconds;
    if (seconds === null) unshown.push('data loss not measured');
    else if (seconds > maxLoss * 60)
      failed.push(`lost ${minutesOf(seconds)} of data, more than ${maxLoss} min`);
  }
  if (c['smoke-required']) {
    const smoke = report.checks.filter((check) => check.category === 'smoke');
    if (smoke.some((s) => s.status === 'fail' || s.status === 'error')) failed.push('smoke: failed');
    else if (!smoke.some((s) => s.status === 'pass')) {
      const skipped = smoke.find((s) => s.status === 'skip');
      unshown.push(skipped ? `smoke: skip (${skipped.summary})` : 'smoke: skip (no smoke-command)');
    }
  }
  if (c['cross-region'] && !isCrossRegionDrill(report)) unshown.push('not a cross-region drill');
  if (failed.length > 0) return { verdict: 'failed', reasons: failed };
  if (unshown.length > 0) return { verdict: 'not-evidenced', reasons: unshown };
  return { verdict: 'evidence', reasons: [] };
}

/** The runs that fill a row, oldest first: drills of its drill cadence, or exercises naming its id. */
export function runsFor(type: TestType, reports: Report[], exercises: ExerciseReport[]): ScheduledRun[] {
  if (type.evidence === 'exercise') {
    return exercises
      .filter((e) => e.testType === type.id)
      .sort((a, b) => compareReportFiles(a.file, b.file))
      .map((e) => ({
        kind: 'exercise' as const,
        file: e.file,
        markdownFile: e.markdown.file,
        startedAt: e.startedAt,
        verdict: 'evidence' as const,
        reasons: [],
      }))
      .sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
  }
  const cadence = canonicalCadence(drillCadenceOf(type));
  return reports
    .filter((r) => canonicalCadence(r.cadence) === cadence)
    .sort((a, b) => compareReportFiles(a.file, b.file))
    .map((r) => ({
      kind: 'drill' as const,
      file: r.file,
      markdownFile: r.markdown.file,
      startedAt: r.startedAt,
      ...judgeDrill(type, r),
    }));
}

/** The row's state at `now`. */
export function rowStatus(
  type: TestType,
  reports: Report[],
  exercises: ExerciseReport[],
  now: Date,
): RowStatus {
  const runs = runsFor(type, reports, exercises).filter((r) => Date.parse(r.startedAt) <= now.getTime());
  const evidence = runs.filter((r) => r.verdict === 'evidence');
  const lastRun = runs.at(-1) ?? null;
  const lastEvidence = evidence.at(-1) ?? null;
  const base = { type, criteria: criteriaText(type), runs, lastRun, lastEvidence, reasons: [] as string[] };
  if (!type.enabled) return { ...base, state: 'not-run', nextDue: null, dueNow: false, missed: 0 };

  const at = (run: ScheduledRun) => new Date(run.startedAt);
  if (lastEvidence && now <= validUntil(type.cadence, at(lastEvidence))) {
    const previous = evidence.at(-2);
    const late = previous !== undefined && at(lastEvidence) > validUntil(type.cadence, at(previous));
    const due = nextDue(type.cadence, at(lastEvidence));
    return {
      ...base,
      state: late ? 'late' : 'on-time',
      nextDue: due.toISOString(),
      dueNow: now > due,
      missed: 0,
    };
  }
  const due = lastEvidence ? nextDue(type.cadence, at(lastEvidence)) : null;
  if (lastRun?.verdict === 'not-evidenced') {
    return {
      ...base,
      state: 'not-evidenced',
      reasons: [...lastRun.reasons],
      nextDue: due?.toISOString() ?? null,
      dueNow: false,
      missed: missedSince(type, due, now),
    };
  }
  return {
    ...base,
    state: 'overdue',
    nextDue: due?.toISOString() ?? null,
    dueNow: false,
    missed: missedSince(type, due, now),
  };
}

/** Due dates from `due` on whose following period (plus grace) also passed without evidence. */
function missedSince(type: TestType, due: Date | null, now: Date): number {
  let missed = 0;
  for (let d = due; d && missed < 1000 && validUntil(type.cadence, d) < now; d = nextDue(type.cadence, d))
    missed++;
  return missed;
}

/** Every row of the configuration at `now`, in the configuration's order. */
export function scheduleStatus(
  config: EvidenceConfig,
  reports: Report[],
  exercises: ExerciseReport[],
  now: Date,
): RowStatus[] {
  return config.testTypes.map((type) => rowStatus(type, reports, exercises, now));
}
