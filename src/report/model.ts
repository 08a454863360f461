import type {
  CheckCategory,
  CheckStatus,
  CheckValue,
  CleanupStatus,
  Command,
  DrillCost,
  DrillOutcome,
  PhaseTiming,
  ProviderName,
  RestoreType,
} from '../model/types.js';
import { validUntil } from './cadence.js';
import { hipaaForCheck, type HipaaClause } from './hipaa.js';
import { sanitizeDeep } from './sanitize.js';

/** The region whose on-demand list prices a report's cost estimate uses (drill/cost.ts prices in it). */
export const PRICING_REGION = 'us-east-1';

/**
 * Bumped on any change to the fields below that a reader or verifier must know about. Optional fields a
 * reader may ignore (cost) are added without a bump, so earlier reports keep verifying.
 */
export const REPORT_SCHEMA = 'restore-proof/report@1';

export interface ReportCheck {
  id: string;
  category: CheckCategory;
  status: CheckStatus;
  summary: string;
  measured: CheckValue;
  expected: CheckValue;
  durationMs: number;
  hipaa: HipaaClause[];
}

export interface ReportObjective {
  targetSeconds: number;
  measuredSeconds: number | null;
  met: boolean | null;
}

/** Where and why the drill ran. Outside GitHub Actions every field is null and the trigger is 'local'. */
export interface RunContext {
  repository: string | null;
  workflow: string | null;
  runId: string | null;
  runAttempt: number | null;
  runUrl: string | null;
  commit: string | null;
  ref: string | null;
  actor: string | null;
  trigger: string;
  cadence: string;
}

export interface ReportSignature {
  algorithm: 'ed25519';
  /** 'SHA256:' + base64 of the SHA-256 of the public key's DER SubjectPublicKeyInfo. */
  publicKeyFingerprint: string;
  /** Base64 Ed25519 signature over the canonical JSON of the report without this field. */
  value: string;
}

export interface CheckTotals {
  total: number;
  passed: number;
  failed: number;
  errored: number;
  warned: number;
  skipped: number;
}

export type ReportResult = 'pass' | 'fail' | 'cancelled';

/** A drill whose error says it was cancelled (drill/drill.ts: "cancelled: <reason>") is cancelled, not failed. */
export function reportResult(outcome: Pick<DrillOutcome, 'result' | 'error'>): ReportResult {
  if (outcome.result === 'pass') return 'pass';
  return outcome.error?.startsWith('cancelled:') ? 'cancelled' : 'fail';
}

/** The source of truth. Markdown, job summary, outputs, metrics and the index all render from it. */
export interface Report {
  schema: typeof REPORT_SCHEMA;
  /** This report's own file name; a renamed or reordered file no longer matches it. */
  file: string;
  /**
   * cancelled: the run was cancelled (the drill's error starts with "cancelled:"); recorded as such, never as
   * a failure. Added without a schema bump: earlier reports never carry it, and readers treat it as not a pass.
   */
  result: ReportResult;
  error: string | null;
  command: Command;
  provider: ProviderName;
  cadence: string;
  startedAt: string;
  finishedAt: string;
  source: { cluster: string; engine: string | null; engineVersion: string | null; region: string | null };
  restore: {
    restoredCluster: string | null;
    restoredInstance: string | null;
    type: RestoreType;
    targetTime: string | null;
    snapshotId: string | null;
    seconds: number | null;
    phases: PhaseTiming[];
  };
  objectives: { rto: ReportObjective; rpo: ReportObjective };
  checks: ReportCheck[];
  totals: CheckTotals;
  cleanup: {
    status: CleanupStatus;
    resources: { kind: string; id: string; outcome: string; error: string | null }[];
  };
  warnings: string[];
  /** Estimated cost of the drill (null where nothing billable was created; absent in earlier reports). */
  cost?: DrillCost | null;
  run: RunContext;
  tool: { name: 'restore-proof'; version: string };
  generatedAt: string;
  /** When this evidence expires for its cadence: next scheduled run plus grace. */
  validUntil: string;
  /** The report before this one in the same directory (file-name order), or null for the first. */
  previous: { file: string; sha256: string } | null;
  /** The Markdown rendering of this report; its hash binds it to the signature. */
  markdown: { file: string; sha256: string };
  signature: ReportSignature | null;
}

type Env = Record<string, string | undefined>;

const nonEmpty = (value: string | undefined): string | null => (value && value.trim() ? value.trim() : null);

/** The run's context from GitHub Actions' environment variables (pure: pass process.env or a map). */
export function runContextFromEnv(env: Env, cadence: string): RunContext {
  const repository = nonEmpty(env.GITHUB_REPOSITORY);
  const runId = nonEmpty(env.GITHUB_RUN_ID);
  const server = nonEmpty(env.GITHUB_SERVER_URL) ?? 'https://github.com';
  const attempt = Number(env.GITHUB_RUN_ATTEMPT);
  const inActions = env.GITHUB_ACTIONS === 'true' || (repository !== null && runId !== null);
  return {
    repository,
    workflow: nonEmpty(env.GITHUB_WORKFLOW),
    runId,
    runAttempt: Number.isInteger(attempt) && attempt > 0 ? attempt : null,
    runUrl:
      repository && runId
        ? `${server}/${repository}/actions/runs/${runId}${attempt > 1 ? `/attempts/${attempt}` : ''}`
        : null,
    commit: nonEmpty(env.GITHUB_SHA),
    ref: nonEmpty(env.GITHUB_REF_NAME) ?? nonEmpty(env.GITHUB_REF),
    actor: nonEmpty(env.GITHUB_ACTOR),
    trigger: (inActions ? nonEmpty(env.GITHUB_EVENT_NAME) : null) ?? 'local',
    cadence,
  };
}

/** Lower-case letters, digits and single dashes; what file names may carry. */
export function slug(text: string, max = 60): string {
  const out = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/, '');
  return out || 'unknown';
}

/** The cluster's identifier, from an ARN (arn:aws:rds:...:cluster:NAME) or as given. */
export function clusterName(cluster: string): string {
  return cluster.startsWith('arn:') ? (cluster.split(':').pop() ?? cluster) : cluster;
}

/** `2026-01-31T030000Z`: ISO 8601 basic time (no colons, so valid on every file system and in artifacts). */
export function fileStamp(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new Error(`report: ${JSON.stringify(iso)} is not a timestamp`);
  const s = date.toISOString();
  return `${s.slice(0, 10)}T${s.slice(11, 13)}${s.slice(14, 16)}${s.slice(17, 19)}Z`;
}

/** Report file names sort by time and say what they are: <UTC date-time>-<cadence>-<source>. */
export function reportStem(outcome: Pick<DrillOutcome, 'startedAt' | 'cadence' | 'source'>): string {
  return `${fileStamp(outcome.startedAt)}-${slug(outcome.cadence)}-${slug(fileSourceName(outcome.source.cluster))}`;
}

const LOOPBACK = /^(localhost|127(\.\d+){3}|\[?::1\]?)$/;

/**
 * The source as a file name carries it: a cluster's name, or for a local source (host:port/database) the
 * database, with the host unless it is this machine; never the port (a test server's is random).
 */
export function fileSourceName(cluster: string): string {
  const local = /^(.*):\d+\/([^/]+)$/.exec(cluster);
  if (!local) return clusterName(cluster);
  const [, host, database] = local;
  return LOOPBACK.test(host!) ? database! : `${host}-${database}`;
}

/** Matches report JSON file names (and nothing else in the directory: not README.md, not the key). */
export const REPORT_FILE = /^\d{4}-\d{2}-\d{2}T\d{6}Z-[a-z0-9-]+\.json$/;

/** The evidence index's file name, beside the reports (render/evidence-index.ts). */
export const EVIDENCE_INDEX_FILE = 'README.md';

/** The fleet index's file name, at the top of a fleet's report directory (render/fleet-index.ts). */
export const FLEET_INDEX_FILE = 'README.md';

/**
 * The chain's order: by file name without its extension, so `x-2.json` (a second drill in the same
 * second) follows `x.json`. Writer, verifier and index all use this one order.
 */
export function compareReportFiles(a: string, b: string): number {
  const [x, y] = [a.replace(/\.(json|md)$/, ''), b.replace(/\.(json|md)$/, '')];
  return x < y ? -1 : x > y ? 1 : 0;
}

export function totalsOf(checks: { status: CheckStatus }[]): CheckTotals {
  const count = (status: CheckStatus) => checks.filter((c) => c.status === status).length;
  return {
    total: checks.length,
    passed: count('pass'),
    failed: count('fail'),
    errored: count('error'),
    warned: count('warn'),
    skipped: count('skip'),
  };
}

export interface BuildReportInput {
  outcome: DrillOutcome;
  run: RunContext;
  file: string;
  markdownFile: string;
  previous: { file: string; sha256: string } | null;
  generatedAt: Date;
  toolVersion: string;
  /** Strings that must not appear in the report (scrubbed, with URL credentials and key blocks). */
  secrets: readonly string[];
}

/**
 * The report model from a drill's outcome, without its Markdown hash and signature (filled by the
 * writer). Every value is copied field by field from the outcome: names, counts, hashes and timings.
 */
export function buildReport(input: BuildReportInput): Report {
  const { outcome } = input;
  const nul = <T>(value: T | undefined): T | null => (value === undefined ? null : value);
  const checks: ReportCheck[] = outcome.checks.map((c) => ({
    id: c.id,
    category: c.category,
    status: c.status,
    summary: c.summary,
    measured: nul(c.measured),
    expected: nul(c.expected),
    durationMs: Math.round(c.durationMs),
    hipaa: hipaaForCheck(c),
  }));
  const objective = (o: DrillOutcome['objectives']['rto']): ReportObjective => ({
    targetSeconds: o.targetSeconds,
    measuredSeconds: o.measuredSeconds,
    met: o.met,
  });
  const report: Report = {
    schema: REPORT_SCHEMA,
    file: input.file,
    result: reportResult(outcome),
    error: nul(outcome.error),
    command: outcome.command,
    provider: outcome.provider,
    cadence: outcome.cadence,
    startedAt: outcome.startedAt,
    finishedAt: outcome.finishedAt,
    source: {
      cluster: outcome.source.cluster,
      engine: nul(outcome.source.engine),
      engineVersion: nul(outcome.source.engineVersion),
      region: nul(outcome.source.region),
    },
    restore: {
      restoredCluster: nul(outcome.restore.restoredCluster),
      restoredInstance: nul(outcome.restore.restoredInstance),
      type: outcome.restore.type,
      targetTime: nul(outcome.restore.targetTime),
      snapshotId: nul(outcome.restore.snapshotId),
      seconds: outcome.restore.seconds,
      phases: outcome.restore.phases.map((p) => ({
        name: p.name,
        startedAt: p.startedAt,
        endedAt: p.endedAt,
        seconds: p.seconds,
      })),
    },
    objectives: { rto: objective(outcome.objectives.rto), rpo: objective(outcome.objectives.rpo) },
    checks,
    totals: totalsOf(checks),
    cleanup: {
      status: outcome.cleanup.status,
      resources: outcome.cleanup.resources.map((r) => ({
        kind: r.kind,
        id: r.id,
        outcome: r.outcome,
        error: nul(r.error),
      })),
    },
    warnings: [...outcome.warnings],
    cost: outcome.cost
      ? {
          currency: outcome.cost.currency,
          totalUsd: outcome.cost.totalUsd,
          complete: outcome.cost.complete,
          pricesAsOf: outcome.cost.pricesAsOf,
          items: outcome.cost.items.map((i) => ({ item: i.item, detail: i.detail, usd: i.usd })),
          notes: [...outcome.cost.notes],
        }
      : null,
    run: input.run,
    tool: { name: 'restore-proof', version: input.toolVersion },
    generatedAt: input.generatedAt.toISOString(),
    validUntil: validUntil(outcome.cadence, new Date(outcome.startedAt)).toISOString(),
    previous: input.previous,
    markdown: { file: input.markdownFile, sha256: '' },
    signature: null,
  };
  return sanitizeDeep(report, input.secrets);
}

/** Checks that failed or errored, failures first in the order they ran. */
export function failingChecks(report: Pick<Report, 'checks'>): ReportCheck[] {
  return report.checks.filter((c) => c.status === 'fail' || c.status === 'error');
}
