/**
 * HoursSinceLastPass: how old each source's newest passing drill is, from the report chain. A CloudWatch
 * alarm cannot compute "now minus a timestamp", and its evaluation range is at most 7 days, so "no passing
 * drill for 8 days" cannot be an alarm on the drills' own metrics. Instead the age is published as a value:
 * by every drill (0 when it passed) and by every janitor run (every six hours), and the alarm compares it
 * with a threshold; a janitor that stops publishing is missing data, which the alarm treats as breaching.
 */
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type { Logger } from '../log/logger.js';
import { clusterName } from '../report/model.js';
import type { Metric } from '../report/render/summary.js';
import { readEvidenceDocuments } from './report-dir.js';
import type { IndexedReport } from '../report/render/index-sections.js';

export const HOURS_SINCE_LAST_PASS = 'HoursSinceLastPass';

const hoursBetween = (from: Date, to: Date): number =>
  Math.max(0, Math.round(((to.getTime() - from.getTime()) / 3_600_000) * 100) / 100);

const timeOf = (e: IndexedReport): Date | null => {
  const at = new Date(e.report.finishedAt ?? e.report.startedAt);
  return Number.isNaN(at.getTime()) ? null : at;
};

/**
 * Hours (2 decimals) from the source's newest passing, unretracted drill to now. Without a pass on
 * record: hours since the source's first drill (evidence has been missing at least that long); null when
 * the chain holds no drill of the source.
 */
export function hoursSinceLastPass(
  entries: IndexedReport[],
  source: string,
  now: Date,
  retracted: ReadonlySet<string> = new Set(),
): number | null {
  const mine = entries.filter(
    (e) => clusterName(e.report.source.cluster) === source && !retracted.has(e.file),
  );
  const times = (list: IndexedReport[]) => list.map(timeOf).filter((t): t is Date => t !== null);
  const passes = times(mine.filter((e) => e.report.result === 'pass'));
  if (passes.length > 0) return hoursBetween(new Date(Math.max(...passes.map((t) => t.getTime()))), now);
  const all = times(mine);
  return all.length > 0 ? hoursBetween(new Date(Math.min(...all.map((t) => t.getTime()))), now) : null;
}

/** Every source of the report directory's chain with its HoursSinceLastPass metric (dimension Source). */
export async function evidenceAgeMetrics(reportDir: string, now: Date, logger?: Logger): Promise<Metric[]> {
  const { entries, retractions } = await readEvidenceDocuments(reportDir, logger);
  const retracted = new Set(retractions.map((r) => r.retracts.file));
  const sources = [...new Set(entries.map((e) => clusterName(e.report.source.cluster)))].sort();
  return sources.flatMap((source) => {
    const value = hoursSinceLastPass(entries, source, now, retracted);
    return value === null
      ? []
      : [{ name: HOURS_SINCE_LAST_PASS, value, unit: 'None' as const, dimensions: { Source: source } }];
  });
}

export interface PublishEvidenceAgeInput {
  namespace: string;
  region: string;
  reportDir: string;
  logger: Logger;
  now?: () => Date;
  cloudwatch?: CloudWatchClient;
}

/**
 * The janitor's part: HoursSinceLastPass for every source in the report directory, timestamped now. A failed
 * publish is a warning; resolves with the metrics sent (empty when none could be).
 */
export async function publishEvidenceAge(input: PublishEvidenceAgeInput): Promise<Metric[]> {
  const { namespace, logger } = input;
  const now = input.now?.() ?? new Date();
  try {
    const metrics = await evidenceAgeMetrics(input.reportDir, now, logger);
    if (metrics.length === 0) {
      logger.warning(
        `metrics: no drill reports in ${input.reportDir}, so no ${HOURS_SINCE_LAST_PASS} to publish (the evidence-overdue alarm treats the silence as breaching)`,
      );
      return [];
    }
    const cloudwatch = input.cloudwatch ?? new CloudWatchClient({ region: input.region, maxAttempts: 5 });
    for (let i = 0; i < metrics.length; i += 500) {
      await cloudwatch.send(
        new PutMetricDataCommand({
          Namespace: namespace,
          MetricData: metrics.slice(i, i + 500).map((m) => ({
            MetricName: m.name,
            Value: m.value,
            Unit: m.unit,
            Timestamp: now,
            Dimensions: Object.entries(m.dimensions).map(([Name, Value]) => ({ Name, Value })),
          })),
        }),
      );
    }
    logger.info(
      `metrics: published ${HOURS_SINCE_LAST_PASS} to ${namespace}: ${metrics.map((m) => `${m.dimensions.Source}=${m.value}`).join(', ')}`,
    );
    return metrics;
  } catch (error) {
    const e = error as { name?: string; message?: string };
    logger.warning(
      `metrics: ${HOURS_SINCE_LAST_PASS} not published to ${namespace} (${[e.name, e.message].filter(Boolean).join(': ') || String(error)})`,
    );
    return [];
  }
}
