/**
 * The annual B/DR test report the plan's "Compliance Evidence" lists: one calendar year (UTC) of drills and
 * exercises in one model. Every drill and exercise, schedule compliance per test type, the RTO and RPO trend
 * by month, each failure and the passing run after it, the chain's verification result and HIPAA coverage.
 * Derived from the signed documents (it restates, it does not sign): verify the chain it names.
 */
import { clusterName, compareReportFiles, failingChecks, type Report } from './model.js';
import {
  criteriaText,
  drillCadenceOf,
  frequencyLabel,
  type EvidenceConfig,
  type TestType,
} from './evidence-config.js';
import type { ExerciseReport } from './exercise.js';
import { hipaaCoverage, type ClauseCoverage } from './hipaa-coverage.js';
import { countSlots, dueSlots, type ComplianceCounts, type DueSlot } from './schedule-compliance.js';
import { canonicalCadence, judgeDrill, runsFor, type RunVerdict } from './schedule-status.js';
import type { VerifyResult } from './verify.js';

/**
 * What the annual report needs of verify-reports' result over the whole directory. Its message is left out
 * on purpose: it names the directory's path (a temporary one in CI), which has no place in the report.
 */
export type ChainVerification = Pick<VerifyResult, 'ok' | 'reports'>;

export interface AnnualDrill {
  file: string;
  markdownFile: string;
  startedAt: string;
  cadence: string;
  source: string;
  result: Report['result'];
  restoreSeconds: number | null;
  rtoTargetSeconds: number;
  dataLossSeconds: number | null;
  rpoTargetSeconds: number;
  checksFailed: number;
  checksTotal: number;
  /** How it counted for each enabled drill row of its cadence. */
  rows: { id: string; name: string; verdict: RunVerdict; reasons: string[] }[];
}

export interface AnnualExercise {
  file: string;
  markdownFile: string;
  date: string;
  testType: string;
  scenario: string;
  participants: number;
  durationMinutes: number;
  findings: number;
  actions: number;
}

export interface AnnualCompliance {
  id: string;
  name: string;
  frequency: string;
  evidence: TestType['evidence'];
  enabled: boolean;
  criteria: string;
  slots: DueSlot[];
  counts: ComplianceCounts;
  /** Runs in the year that did not count: failed, or passed without showing the criteria. */
  failedRuns: number;
  notEvidencedRuns: number;
}

/**
 * One month's worst restore and worst data loss, each with its own drill's target: the drill that came
 * closest to (or furthest past) its target. Drills of different cadences carry different targets (30 min for
 * the weekly, 2 h for a full DR), so the month's slowest drill alone would misread as a miss.
 */
export interface TrendPoint {
  month: string;
  drills: number;
  restoreSeconds: number;
  rtoTargetSeconds: number;
  dataLossSeconds: number;
  rpoTargetSeconds: number;
}

export interface AnnualFailure {
  failed: AnnualDrill;
  /** The failing or erroring check ids, or the drill's error when none ran. */
  reasons: string[];
  /** The next passing drill of the same source, or null when none has passed since. */
  nextPass: AnnualDrill | null;
  secondsToNextPass: number | null;
}

export interface AnnualReport {
  year: number;
  from: string;
  to: string;
  generatedAt: string;
  /** False while the year (or the grace after it) is still running: compliance is as of generatedAt. */
  yearClosed: boolean;
  sources: string[];
  drills: AnnualDrill[];
  exercises: AnnualExercise[];
  compliance: AnnualCompliance[];
  trend: TrendPoint[];
  failures: AnnualFailure[];
  verification: {
    ok: boolean;
    total: number;
    verified: number;
    unsigned: number;
    failed: { file: string; reasons: string[] }[];
  };
  hipaa: ClauseCoverage[];
}

export interface AnnualInput {
  year: number;
  config: EvidenceConfig;
  /** Every drill report of the directory (any year: earlier ones set the first due dates). */
  reports: Report[];
  exercises: ExerciseReport[];
  verification: ChainVerification;
  now: Date;
}

const inWindow = (iso: string, from: Date, to: Date): boolean => {
  const t = Date.parse(iso);
  return t >= from.getTime() && t < to.getTime();
};

export function buildAnnualReport(input: AnnualInput): AnnualReport {
  const { year, config, now } = input;
  if (!Number.isInteger(year) || year < 2000 || year > 9999)
    throw new Error(`year: expects a calendar year such as 2026, got ${year}`);
  const from = new Date(Date.UTC(year, 0, 1));
  const to = new Date(Date.UTC(year + 1, 0, 1));
  const reports = input.reports
    .filter((r) => inWindow(r.startedAt, from, to))
    .sort((a, b) => compareReportFiles(a.file, b.file));
  const exercises = input.exercises
    .filter((e) => inWindow(e.startedAt, from, to))
    .sort((a, b) => compareReportFiles(a.file, b.file));
  const drills = reports.map((r) => annualDrill(r, config));
  return {
    year,
    from: from.toISOString(),
    to: to.toISOString(),
    generatedAt: now.toISOString(),
    yearClosed: now >= to,
    sources: [...new Set(reports.map((r) => clusterName(r.source.cluster)))].sort(),
    drills,
    exercises: exercises.map(annualExercise),
    compliance: config.testTypes.map((type) => compliance(type, input, from, to)),
    trend: trend(reports),
    failures: failures(reports, drills, input.reports, config),
    verification: verification(input.verification),
    hipaa: hipaaCoverage(reports, exercises),
  };
}

function annualDrill(report: Report, config: EvidenceConfig): AnnualDrill {
  const cadence = canonicalCadence(report.cadence);
  return {
    file: report.file,
    markdownFile: report.markdown.file,
    startedAt: report.startedAt,
    cadence: report.cadence,
    source: clusterName(report.source.cluster),
    result: report.result,
    restoreSeconds: report.restore.seconds,
    rtoTargetSeconds: report.objectives.rto.targetSeconds,
    dataLossSeconds: report.objectives.rpo.measuredSeconds,
    rpoTargetSeconds: report.objectives.rpo.targetSeconds,
    checksFailed: report.totals.failed + report.totals.errored,
    checksTotal: report.totals.total,
    rows: config.testTypes
      .filter((t) => t.enabled && t.evidence === 'drill' && canonicalCadence(drillCadenceOf(t)) === cadence)
      .map((t) => ({ id: t.id, name: t.name, ...judgeDrill(t, report) })),
  };
}

function annualExercise(e: ExerciseReport): AnnualExercise {
  return {
    file: e.file,
    markdownFile: e.markdown.file,
    date: e.date,
    testType: e.testType,
    scenario: e.scenario,
    participants: e.participants.length,
    durationMinutes: e.durationMinutes,
    findings: e.findings.length,
    actions: e.actions.length,
  };
}

function compliance(type: TestType, input: AnnualInput, from: Date, to: Date): AnnualCompliance {
  const runs = runsFor(type, input.reports, input.exercises);
  const inYear = runs.filter((r) => inWindow(r.startedAt, from, to));
  const slots = type.enabled
    ? dueSlots(
        type.cadence,
        runs.filter((r) => r.verdict === 'evidence'),
        { from, to },
        input.now,
      )
    : [];
  return {
    id: type.id,
    name: type.name,
    frequency: frequencyLabel(type.cadence),
    evidence: type.evidence,
    enabled: type.enabled,
    criteria: criteriaText(type),
    slots,
    counts: countSlots(slots),
    failedRuns: inYear.filter((r) => r.verdict === 'failed').length,
    notEvidencedRuns: inYear.filter((r) => r.verdict === 'not-evidenced').length,
  };
}

/** The drill that came closest to (or went furthest past) its own target wins: measured / target. */
const closer = (measured: number, target: number, best: number, bestTarget: number): boolean => {
  const ratio = target > 0 ? measured / target : Number.POSITIVE_INFINITY;
  const bestRatio = bestTarget > 0 ? best / bestTarget : Number.POSITIVE_INFINITY;
  return ratio > bestRatio || (ratio === bestRatio && measured > best);
};

function trend(reports: Report[]): TrendPoint[] {
  const months = new Map<string, TrendPoint>();
  for (const r of reports) {
    if (r.restore.seconds === null) continue;
    const month = r.startedAt.slice(0, 7);
    const m = months.get(month) ?? {
      month,
      drills: 0,
      restoreSeconds: -1,
      rtoTargetSeconds: 1,
      dataLossSeconds: -1,
      rpoTargetSeconds: 1,
    };
    m.drills += 1;
    const rto = r.objectives.rto.targetSeconds;
    if (closer(r.restore.seconds, rto, m.restoreSeconds, m.rtoTargetSeconds)) {
      m.restoreSeconds = r.restore.seconds;
      m.rtoTargetSeconds = rto;
    }
    const loss = r.objectives.rpo.measuredSeconds;
    const rpo = r.objectives.rpo.targetSeconds;
    if (loss !== null && closer(loss, rpo, m.dataLossSeconds, m.rpoTargetSeconds)) {
      m.dataLossSeconds = loss;
      m.rpoTargetSeconds = rpo;
    }
    months.set(month, m);
  }
  return [...months.values()]
    .map((m) => (m.dataLossSeconds < 0 ? { ...m, dataLossSeconds: 0 } : m))
    .sort((a, b) => (a.month < b.month ? -1 : 1));
}

/** Each failure of the year and the next pass of its source, which may fall in the next year. */
function failures(
  reports: Report[],
  drills: AnnualDrill[],
  all: Report[],
  config: EvidenceConfig,
): AnnualFailure[] {
  const passes = all.filter((r) => r.result === 'pass').sort((a, b) => compareReportFiles(a.file, b.file));
  return drills
    .map((failed, i) => ({ failed, report: reports[i]! }))
    .filter(({ failed }) => failed.result === 'fail')
    .map(({ failed, report }) => {
      const next = passes.find(
        (r) =>
          clusterName(r.source.cluster) === failed.source &&
          Date.parse(r.startedAt) > Date.parse(failed.startedAt),
      );
      const nextPass = next ? annualDrill(next, config) : null;
      return {
        failed,
        reasons: failureReasons(report),
        nextPass,
        secondsToNextPass: nextPass
          ? (Date.parse(nextPass.startedAt) - Date.parse(failed.startedAt)) / 1000
          : null,
      };
    });
}

/** Fills each failure's reasons from its report (failing check ids, else the drill's error). */
export function failureReasons(report: Report): string[] {
  const checks = failingChecks(report).map((c) => c.id);
  return checks.length > 0 ? checks : [report.error ?? 'the drill failed'];
}

function verification(result: ChainVerification): AnnualReport['verification'] {
  const count = (status: string) => result.reports.filter((r) => r.status === status).length;
  return {
    ok: result.ok,
    total: result.reports.length,
    verified: count('verified'),
    unsigned: count('unsigned'),
    failed: result.reports
      .filter((r) => r.status === 'failed')
      .map((r) => ({ file: r.file, reasons: [...r.reasons] })),
  };
}
