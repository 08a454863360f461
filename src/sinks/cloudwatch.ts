/**
 * metrics-namespace: one drill's numbers to CloudWatch (PutMetricData, in the source's region), so the plan's
 * alarms (failed restore tests, PITR gap, snapshot age, RTO) fire from real drills. Report metrics come from
 * reportMetrics(report); the backup posture (PITR gap, newest automated snapshot's age) is read at publish
 * time by preflight's collection (one describe and every page of automated snapshots). A failed publish is a warning: it never changes the verdict, never throws.
 */
import { CloudWatchClient, PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import { RDSClient } from '@aws-sdk/client-rds';
import type { Logger } from '../log/logger.js';
import { collectBackupRecency, type BackupRecency } from '../preflight/collect.js';
import type { PlanSource } from '../inputs/plan-types.js';
import { clusterName, type Report } from '../report/model.js';
import { reportMetrics, type Metric } from '../report/render/summary.js';
import type { Plan } from '../model/types.js';
import { evidenceAgeMetrics, HOURS_SINCE_LAST_PASS } from './evidence-age.js';

export interface PostureSample {
  /** Seconds between now and the source's LatestRestorableTime. */
  pitrGapSeconds?: number;
  /** Hours since the newest available automated snapshot was created. */
  snapshotAgeHours?: number;
}

export interface PublishMetricsInput {
  plan: Pick<Plan, 'metricsNamespace' | 'awsRegion' | 'provider'> & {
    source?: PlanSource;
    reportDir?: string;
  };
  report: Report;
  logger: Logger;
  cloudwatch?: CloudWatchClient;
  rds?: RDSClient;
  now?: () => Date;
}

export interface PublishMetricsResult {
  status: 'published' | 'skipped' | 'failed';
  metrics: Metric[];
  message: string;
}

const errorText = (error: unknown): string => {
  const e = error as { name?: string; message?: string };
  return [e.name, e.message].filter(Boolean).join(': ') || String(error);
};

/** PITR gap and snapshot age of the source, from preflight's collection; what could not be read is left out. */
export async function samplePosture(
  rds: RDSClient,
  plan: PublishMetricsInput['plan'],
  now: Date,
  logger: Logger,
): Promise<PostureSample> {
  const source =
    plan.source?.kind === 'aurora-cluster'
      ? { cluster: plan.source.id }
      : plan.source?.kind === 'rds-instance'
        ? { instance: plan.source.id }
        : null;
  if (!source) return {};
  try {
    const recency = await collectBackupRecency(rds, source);
    if (recency.snapshotsError) {
      logger.warning(
        `metrics: could not list the automated snapshots (${recency.snapshotsError}); publishing the rest`,
      );
    }
    return postureSample(recency, now);
  } catch (error) {
    logger.warning(`metrics: could not read the backup posture (${errorText(error)}); publishing the rest`);
    return {};
  }
}

/** Seconds since the source's latest restorable time; hours (2 decimals) since its newest automated snapshot. */
export function postureSample(recency: BackupRecency, now: Date): PostureSample {
  const sample: PostureSample = {};
  const { latestRestorableTime: latest, newestSnapshotTime: snapshot } = recency;
  if (latest) sample.pitrGapSeconds = Math.max(0, Math.round((now.getTime() - latest.getTime()) / 1000));
  if (snapshot)
    sample.snapshotAgeHours = Math.round(((now.getTime() - snapshot.getTime()) / 3_600_000) * 100) / 100;
  return sample;
}

/**
 * The metrics for one drill: the report's, the posture sample, and HoursSinceLastPass (0 for a pass; else
 * from the chain, when known), all with dimension Source.
 */
export function drillMetrics(report: Report, posture: PostureSample, hoursSinceLastPass?: number): Metric[] {
  const dimensions = { Source: clusterName(report.source.cluster) };
  const metrics = reportMetrics(report);
  const age = report.result === 'pass' ? 0 : hoursSinceLastPass;
  if (age !== undefined) metrics.push({ name: HOURS_SINCE_LAST_PASS, value: age, unit: 'None', dimensions });
  if (posture.pitrGapSeconds !== undefined) {
    metrics.push({ name: 'PitrGapSeconds', value: posture.pitrGapSeconds, unit: 'Seconds', dimensions });
  }
  if (posture.snapshotAgeHours !== undefined) {
    metrics.push({ name: 'SnapshotAgeHours', value: posture.snapshotAgeHours, unit: 'None', dimensions });
  }
  return metrics;
}

/** A failed drill's HoursSinceLastPass, from the chain it was just written into. */
async function chainAge(
  reportDir: string | undefined,
  report: Report,
  now: Date,
  logger: Logger,
): Promise<number | undefined> {
  if (report.result === 'pass' || !reportDir) return undefined;
  const source = clusterName(report.source.cluster);
  return (await evidenceAgeMetrics(reportDir, now, logger)).find((m) => m.dimensions.Source === source)
    ?.value;
}

export function toMetricData(metrics: Metric[], timestamp: Date): MetricDatum[] {
  return metrics.map((m) => ({
    MetricName: m.name,
    Value: m.value,
    Unit: m.unit,
    Timestamp: timestamp,
    Dimensions: Object.entries(m.dimensions).map(([Name, Value]) => ({ Name, Value })),
  }));
}

/** Publishes when plan.metricsNamespace is set. Resolves with what happened; never rejects. */
export async function publishMetrics(input: PublishMetricsInput): Promise<PublishMetricsResult> {
  const { plan, report, logger } = input;
  const namespace = plan.metricsNamespace;
  if (!namespace) return { status: 'skipped', metrics: [], message: 'metrics-namespace is not set' };
  let metrics: Metric[] = [];
  try {
    const region = plan.awsRegion;
    if (!region && (!input.cloudwatch || !input.rds))
      throw new Error('aws-region is required to publish metrics');
    const now = input.now?.() ?? new Date();
    const posture =
      plan.provider === 'aurora'
        ? await samplePosture(input.rds ?? new RDSClient({ region, maxAttempts: 5 }), plan, now, logger)
        : {};
    metrics = drillMetrics(report, posture, await chainAge(plan.reportDir, report, now, logger));
    const cloudwatch = input.cloudwatch ?? new CloudWatchClient({ region, maxAttempts: 5 });
    // Drill metrics at the drill's end, so a late publish still lands in the period the drill ran.
    const at = new Date(report.finishedAt);
    const timestamp = Number.isNaN(at.getTime()) || at > now ? now : at;
    for (let i = 0; i < metrics.length; i += 500) {
      await cloudwatch.send(
        new PutMetricDataCommand({
          Namespace: namespace,
          MetricData: toMetricData(metrics.slice(i, i + 500), timestamp),
        }),
      );
    }
    const message = `metrics: published ${metrics.length} to ${namespace} (Source=${clusterName(report.source.cluster)}): ${metrics.map((m) => `${m.name}=${m.value}`).join(', ')}`;
    logger.info(message);
    return { status: 'published', metrics, message };
  } catch (error) {
    const message = `metrics: not published to ${namespace} (${errorText(error)}); the drill's result stands`;
    logger.warning(message);
    return { status: 'failed', metrics, message };
  }
}
