/**
 * docs/metrics.md's alarms can be created as written: every `aws cloudwatch put-metric-alarm` and every
 * aws_cloudwatch_metric_alarm is checked against PutMetricAlarm's limits (Period 10, 20, 30 or a multiple of
 * 60; Period x EvaluationPeriods at most 7 days, and at most one day for a period under an hour;
 * DatapointsToAlarm at most EvaluationPeriods), and every metric an alarm names is one restore-proof publishes.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildReport, runContextFromEnv } from '../../src/report/model.js';
import { drillMetrics } from '../../src/sinks/cloudwatch.js';
import { failingOutcome } from '../fixtures/report/outcomes.js';

const ROOT = resolve(import.meta.dirname ?? '.', '../..');
const doc = readFileSync(join(ROOT, 'docs', 'metrics.md'), 'utf8');

interface Alarm {
  where: string;
  metric: string;
  statistic: string;
  period: number;
  evaluationPeriods: number;
  datapointsToAlarm?: number;
  treatMissingData: string;
  threshold: number;
}

const cliAlarms = (): Alarm[] =>
  doc
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .filter((l) => l.startsWith('aws cloudwatch put-metric-alarm'))
    .map((line) => {
      const flag = (name: string) =>
        line.match(new RegExp(`--${name} ("[^"]*"|\\S+)`))?.[1]?.replace(/"/g, '');
      const datapoints = flag('datapoints-to-alarm');
      return {
        where: flag('alarm-name') ?? line,
        metric: flag('metric-name')!,
        statistic: flag('statistic')!,
        period: Number(flag('period')),
        evaluationPeriods: Number(flag('evaluation-periods')),
        datapointsToAlarm: datapoints === undefined ? undefined : Number(datapoints),
        treatMissingData: flag('treat-missing-data') ?? 'missing',
        threshold: Number(flag('threshold')),
      };
    });

/** The locals map a for_each alarm reads (each.value.metric, .stat, .op, .threshold). */
const terraformLocals = (): Record<string, Record<string, string>> =>
  Object.fromEntries(
    [
      ...(doc.match(/restore_proof_alarms = \{([\s\S]*?)\n {2}\}/)?.[1] ?? '').matchAll(
        /^\s*([\w-]+)\s*=\s*\{([^}\n]*)\}\s*$/gm,
      ),
    ].map(([, key, fields]) => [
      key!,
      Object.fromEntries(
        [...fields!.matchAll(/(\w+)\s*=\s*"?([^",]+?)"?\s*(?:,|$)/g)].map(([, k, v]) => [k!, v!.trim()]),
      ),
    ]),
  );

const terraformAlarms = (): Alarm[] =>
  [...doc.matchAll(/resource "aws_cloudwatch_metric_alarm" "(\w+)" \{([\s\S]*?)\n\}/g)].flatMap(
    ([, name, body]) => {
      const raw = (key: string) =>
        body!.match(new RegExp(`^\\s*${key}\\s*=\\s*"?([^"\\n]+)"?`, 'm'))?.[1]?.trim();
      const entries = /for_each\s*=/.test(body!) ? Object.entries(terraformLocals()) : [['', {}] as const];
      return entries.map(([key, values]) => {
        const attr = (k: string) => {
          const v = raw(k);
          const ref = v?.match(/^each\.value\.(\w+)$/)?.[1];
          return ref ? (values as Record<string, string>)[ref] : v;
        };
        const datapoints = attr('datapoints_to_alarm');
        return {
          where: `terraform ${name}${key ? `[${key}]` : ''}`,
          metric: attr('metric_name')!,
          statistic: attr('statistic')!,
          period: Number(attr('period')),
          evaluationPeriods: Number(attr('evaluation_periods')),
          datapointsToAlarm: datapoints === undefined ? undefined : Number(datapoints),
          treatMissingData: attr('treat_missing_data') ?? 'missing',
          threshold: Number(attr('threshold')),
        };
      });
    },
  );

/** What a drill publishes when every value is known (a failed drill for RtoMissed, with its cost). */
const report = buildReport({
  outcome: failingOutcome,
  run: runContextFromEnv({}, failingOutcome.cadence),
  file: 'f.json',
  markdownFile: 'f.md',
  previous: null,
  generatedAt: new Date(failingOutcome.finishedAt),
  toolVersion: 'test',
  secrets: [],
});
const PUBLISHED = drillMetrics(report, { pitrGapSeconds: 1, snapshotAgeHours: 1 }, 1).map((m) => m.name);

const alarms = [...cliAlarms(), ...terraformAlarms()];

test('the page has the CLI alarms and the Terraform ones', () => {
  expect(cliAlarms().length).toBeGreaterThanOrEqual(5);
  expect(terraformAlarms().length).toBeGreaterThanOrEqual(5);
});

test.each(alarms.map((a) => [a.where, a] as const))('%s fits PutMetricAlarm’s limits', (_where, alarm) => {
  const { period, evaluationPeriods } = alarm;
  expect(Number.isInteger(period) && ([10, 20, 30].includes(period) || period % 60 === 0)).toBe(true);
  expect(Number.isInteger(evaluationPeriods) && evaluationPeriods >= 1).toBe(true);
  expect(period * evaluationPeriods).toBeLessThanOrEqual(period < 3600 ? 86_400 : 604_800);
  if (alarm.datapointsToAlarm !== undefined) {
    expect(alarm.datapointsToAlarm).toBeGreaterThanOrEqual(1);
    expect(alarm.datapointsToAlarm).toBeLessThanOrEqual(evaluationPeriods);
  }
  expect(['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum']).toContain(alarm.statistic);
  expect(['breaching', 'notBreaching', 'ignore', 'missing']).toContain(alarm.treatMissingData);
  expect(Number.isFinite(alarm.threshold)).toBe(true);
  expect(PUBLISHED).toContain(alarm.metric);
});

test('the evidence-overdue alarm watches HoursSinceLastPass, and silence breaches', () => {
  const overdue = alarms.filter((a) => /overdue/.test(a.where));
  expect(overdue.length).toBe(2);
  for (const a of overdue) {
    expect(a).toMatchObject({
      metric: 'HoursSinceLastPass',
      statistic: 'Minimum',
      treatMissingData: 'breaching',
    });
    // the janitor publishes every six hours: each evaluated period must be able to hold a sample
    expect(a.period).toBeGreaterThanOrEqual(6 * 3600);
    // a weekly drill's evidence is overdue after 8 days: threshold plus the evaluated range
    expect(a.threshold + (a.period * a.evaluationPeriods) / 3600).toBe(8 * 24);
  }
});

test('every metric in the table is one the code publishes, and the other way round', () => {
  const table = [...doc.matchAll(/^\| `(\w+)` \| (?:Count|Seconds|None) \|/gm)].map((m) => m[1]);
  expect(table.sort()).toEqual([...PUBLISHED].sort());
});
