import { cell, code, duration, statusLabel, value, yesNo } from './format.js';
import { verdictSentence } from './markdown.js';
import { clusterName, failingChecks, type Report } from '../model.js';

/** The job summary: the same verdict, objectives and failing checks as the report, and where it is. */
export function renderJobSummary(
  report: Report,
  paths?: { markdownPath?: string; jsonPath?: string },
): string {
  const { rto, rpo } = report.objectives;
  const out = [`## restore-proof: ${report.result.toUpperCase()}`, '', verdictSentence(report), ''];
  if (report.error) out.push(`> **Error:** ${report.error.replace(/\r?\n/g, ' ')}`, '');
  out.push(
    '| Objective | Target | Measured | Met |',
    '| --- | --- | --- | --- |',
    `| RTO (restore time) | ${duration(rto.targetSeconds)} | ${duration(rto.measuredSeconds)} | ${yesNo(rto.met)} |`,
    `| RPO (data loss) | ${duration(rpo.targetSeconds)} | ${duration(rpo.measuredSeconds)} | ${yesNo(rpo.met)} |`,
    '',
  );
  const failing = failingChecks(report);
  if (failing.length > 0) {
    out.push(
      `### Failing checks (${failing.length})`,
      '',
      '| Status | Check | Summary | Measured | Expected |',
      '| --- | --- | --- | --- | --- |',
      ...failing.map(
        (c) =>
          `| ${statusLabel(c.status)} | ${code(c.id)} | ${cell(c.summary)} | ${value(c.measured)} | ${value(c.expected)} |`,
      ),
      '',
    );
  }
  if (report.cleanup.status === 'failed' || report.cleanup.status === 'kept') {
    const left = report.cleanup.resources.filter((r) => r.outcome === 'failed' || r.outcome === 'kept');
    out.push(
      `**Cleanup ${report.cleanup.status}:** ${left.map((r) => `${r.kind} ${code(r.id)}`).join(', ') || 'see the report'}`,
      '',
    );
  }
  const where = paths?.markdownPath ? ` in ${code(paths.markdownPath)}` : '';
  out.push(
    `${report.totals.total} checks in all; the full report is${where} (${report.signature ? `signed ${code(report.signature.publicKeyFingerprint)}` : '**unsigned**'}).`,
  );
  return `${out.join('\n')}\n`;
}

export interface Annotation {
  level: 'error' | 'warning';
  title: string;
  message: string;
  /** The Markdown report and the line that shows this failure, when known. */
  file?: string;
  startLine?: number;
}

/**
 * One annotation per failure: each failing or errored check, an unmet objective that no check
 * reports, the drill's error, and a cleanup that left resources behind. Given the Markdown's path and
 * text, each points at the line of the report that shows it.
 */
export function annotationsFor(report: Report, markdown?: { path: string; text: string }): Annotation[] {
  const lines = markdown?.text.split('\n') ?? [];
  const at = (needle: string): Pick<Annotation, 'file' | 'startLine'> => {
    if (!markdown) return {};
    const index = lines.findIndex((line) => line.includes(needle));
    return index >= 0 ? { file: markdown.path, startLine: index + 1 } : { file: markdown.path };
  };
  const out: Annotation[] = [];
  if (report.error) {
    out.push({
      level: 'error',
      title: 'restore-proof: drill error',
      message: report.error,
      ...at('> **Error:**'),
    });
  }
  for (const c of failingChecks(report)) {
    const detail =
      c.measured !== null || c.expected !== null
        ? ` (measured ${value(c.measured)}, expected ${value(c.expected)})`
        : '';
    out.push({
      level: 'error',
      title: `restore-proof: ${c.id} ${c.status === 'error' ? 'errored' : 'failed'}`,
      message: `${c.summary}${detail}`,
      ...at(code(c.id)),
    });
  }
  const objectiveChecks = report.checks.some((c) => c.category === 'objectives');
  if (!objectiveChecks) {
    const { rto, rpo } = report.objectives;
    if (rto.met === false) {
      out.push({
        level: 'error',
        title: 'restore-proof: RTO missed',
        message: `restore took ${duration(rto.measuredSeconds)}, target ${duration(rto.targetSeconds)}`,
        ...at('| Recovery time (RTO)'),
      });
    }
    if (rpo.met === false) {
      out.push({
        level: 'error',
        title: 'restore-proof: RPO missed',
        message: `data loss ${duration(rpo.measuredSeconds)}, target ${duration(rpo.targetSeconds)}`,
        ...at('| Recovery point (RPO)'),
      });
    }
  }
  if (report.cleanup.status === 'failed') {
    const left = report.cleanup.resources.filter((r) => r.outcome === 'failed');
    out.push({
      level: 'error',
      title: 'restore-proof: cleanup failed',
      message: `not deleted: ${left.map((r) => `${r.kind} ${r.id}${r.error ? ` (${r.error})` : ''}`).join(', ') || 'see the report'}`,
      ...at('## Cleanup'),
    });
  }
  for (const c of report.checks.filter((check) => check.status === 'warn')) {
    out.push({
      level: 'warning',
      title: `restore-proof: ${c.id} warning`,
      message: c.summary,
      ...at(code(c.id)),
    });
  }
  return out;
}

export type ReportOutputs = Record<
  | 'result'
  | 'report-path'
  | 'report-json'
  | 'restored-cluster'
  | 'restore-seconds'
  | 'data-loss-seconds'
  | 'checks-passed'
  | 'checks-failed',
  string
>;

/** The action's outputs, as strings (empty when unknown). */
export function reportOutputs(
  report: Report,
  paths: { markdownPath: string; jsonPath: string },
): ReportOutputs {
  const num = (n: number | null): string => (n === null ? '' : String(n));
  return {
    // The output stays pass | fail (action.yml); the report itself records a cancelled drill as cancelled.
    result: report.result === 'pass' ? 'pass' : 'fail',
    'report-path': paths.markdownPath,
    'report-json': paths.jsonPath,
    'restored-cluster': report.restore.restoredCluster ?? '',
    'restore-seconds': num(report.restore.seconds),
    'data-loss-seconds': num(report.objectives.rpo.measuredSeconds),
    'checks-passed': String(report.totals.passed),
    'checks-failed': String(report.totals.failed + report.totals.errored),
  };
}

export interface Metric {
  name: string;
  value: number;
  unit: 'Seconds' | 'Count' | 'None';
  dimensions: Record<string, string>;
}

/**
 * Metrics a sink (CloudWatch PutMetricData) can publish; null measurements are left out. One dimension,
 * Source (the cluster's name), so one alarm per source covers every cadence: DrillFailed is 1 for a failed
 * drill and 0 for a passing one (alarm on Maximum >= 1), DrillSucceeded the reverse (alarm on a missing pass).
 */
export function reportMetrics(report: Report): Metric[] {
  const dimensions = { Source: clusterName(report.source.cluster) };
  const failed = report.result === 'pass' ? 0 : 1;
  const metrics: Metric[] = [
    { name: 'DrillSucceeded', value: 1 - failed, unit: 'Count', dimensions },
    { name: 'DrillFailed', value: failed, unit: 'Count', dimensions },
    { name: 'ChecksFailed', value: report.totals.failed + report.totals.errored, unit: 'Count', dimensions },
    { name: 'CleanupFailed', value: report.cleanup.status === 'failed' ? 1 : 0, unit: 'Count', dimensions },
  ];
  if (report.restore.seconds !== null) {
    metrics.push({ name: 'RestoreSeconds', value: report.restore.seconds, unit: 'Seconds', dimensions });
  }
  if (report.objectives.rpo.measuredSeconds !== null) {
    metrics.push({
      name: 'DataLossSeconds',
      value: report.objectives.rpo.measuredSeconds,
      unit: 'Seconds',
      dimensions,
    });
  }
  if (report.objectives.rto.met !== null) {
    metrics.push({ name: 'RtoMissed', value: report.objectives.rto.met ? 0 : 1, unit: 'Count', dimensions });
  }
  if (report.cost && report.cost.totalUsd !== null) {
    metrics.push({ name: 'EstimatedCostUSD', value: report.cost.totalUsd, unit: 'None', dimensions });
  }
  return metrics;
}
