import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  DescribeDBClustersCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBInstancesCommand,
  DescribeDBSnapshotsCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { memoryLogger } from '../../../src/log/logger.js';
import { drillMetrics, publishMetrics } from '../../../src/sinks/cloudwatch.js';
import { buildReport, runContextFromEnv } from '../../../src/report/model.js';
import type { DrillOutcome } from '../../../src/model/types.js';
import { erroredOutcome, failingOutcome, passingOutcome } from '../../fixtures/report/outcomes.js';

const report = (outcome: DrillOutcome) =>
  buildReport({
    outcome,
    run: runContextFromEnv({}, outcome.cadence),
    file: 'f.json',
    markdownFile: 'f.md',
    previous: null,
    generatedAt: new Date(outcome.finishedAt),
    toolVersion: 'test',
    secrets: [],
  });

const cw = mockClient(CloudWatchClient);
const rds = mockClient(RDSClient);
const now = new Date('2026-01-31T03:40:00Z');
const plan = {
  metricsNamespace: 'RestoreProof',
  awsRegion: 'us-east-1',
  source: { kind: 'aurora-cluster' as const, id: 'omnirapeutic-production', partition: 'aws' as const },
  provider: 'aurora' as const,
};

beforeEach(() => {
  cw.reset();
  rds.reset();
  rds.on(DescribeDBClustersCommand).resolves({
    DBClusters: [{ LatestRestorableTime: new Date('2026-01-31T03:36:30Z') }],
  });
  rds.on(DescribeDBClusterSnapshotsCommand).resolves({
    DBClusterSnapshots: [
      { Status: 'available', SnapshotCreateTime: new Date('2026-01-30T03:10:00Z') },
      { Status: 'available', SnapshotCreateTime: new Date('2026-01-29T03:10:00Z') },
      { Status: 'creating', SnapshotCreateTime: new Date('2026-01-31T03:10:00Z') },
    ],
  });
});

const publish = (outcome: DrillOutcome, logger = memoryLogger()) =>
  publishMetrics({
    plan,
    report: report(outcome),
    logger,
    cloudwatch: new CloudWatchClient({ region: 'us-east-1' }),
    rds: new RDSClient({ region: 'us-east-1' }),
    now: () => now,
  });

test('one PutMetricData: report and posture metrics, dimension Source only, at the drill end', async () => {
  const result = await publish(passingOutcome);
  expect(result.status).toBe('published');
  const calls = cw.commandCalls(PutMetricDataCommand);
  expect(calls).toHaveLength(1);
  const input = calls[0]!.args[0].input;
  expect(input.Namespace).toBe('RestoreProof');
  const byName = Object.fromEntries(input.MetricData!.map((d) => [d.MetricName, d]));
  expect(Object.keys(byName).sort()).toEqual(
    [
      'ChecksFailed',
      'CleanupFailed',
      'DataLossSeconds',
      'DrillFailed',
      'DrillSucceeded',
      'EstimatedCostUSD',
      'HoursSinceLastPass',
      'PitrGapSeconds',
      'RestoreSeconds',
      'RtoMissed',
      'SnapshotAgeHours',
    ].sort(),
  );
  expect(byName.DrillFailed!.Value).toBe(0);
  expect(byName.HoursSinceLastPass).toMatchObject({ Value: 0, Unit: 'None' });
  expect(byName.PitrGapSeconds).toMatchObject({ Value: 210, Unit: 'Seconds' });
  expect(byName.SnapshotAgeHours).toMatchObject({ Value: 24.5, Unit: 'None' });
  expect(byName.RestoreSeconds).toMatchObject({ Value: 1315.999, Unit: 'Seconds' });
  for (const d of input.MetricData!) {
    expect(d.Dimensions).toEqual([{ Name: 'Source', Value: 'omnirapeutic-production' }]);
    expect(d.Timestamp).toEqual(new Date(passingOutcome.finishedAt));
  }
});

test('a failed drill: DrillFailed 1, ChecksFailed counts failures and errors, RtoMissed 1', async () => {
  await publish(failingOutcome);
  const data = cw.commandCalls(PutMetricDataCommand)[0]!.args[0].input.MetricData!;
  const value = (name: string) => data.find((d) => d.MetricName === name)?.Value;
  expect([value('DrillFailed'), value('DrillSucceeded'), value('ChecksFailed'), value('RtoMissed')]).toEqual([
    1, 0, 4, 1,
  ]);
});

test('unmeasured values are left out, not sent as zero', () => {
  const names = drillMetrics(report(erroredOutcome), {}).map((m) => m.name);
  expect(names).not.toContain('RestoreSeconds');
  expect(names).not.toContain('DataLossSeconds');
  expect(names).not.toContain('PitrGapSeconds');
  expect(names).toContain('DrillFailed');
});

test('a refused PutMetricData is a warning, never a throw', async () => {
  cw.on(PutMetricDataCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDenied' }));
  const logger = memoryLogger();
  const result = await publish(passingOutcome, logger);
  expect(result.status).toBe('failed');
  expect(logger.lines.join('\n')).toMatch(
    /warning: metrics: not published to RestoreProof \(AccessDenied: not authorized\); the drill's result stands/,
  );
});

test('a posture describe that fails leaves those two metrics out and publishes the rest', async () => {
  rds.on(DescribeDBClustersCommand).rejects(new Error('throttled'));
  const logger = memoryLogger();
  const result = await publish(passingOutcome, logger);
  expect(result.status).toBe('published');
  expect(result.metrics.map((m) => m.name)).not.toContain('PitrGapSeconds');
  expect(logger.lines.join('\n')).toMatch(/could not read the backup posture/);
});

test('without metrics-namespace nothing is called', async () => {
  const result = await publishMetrics({
    plan: { ...plan, metricsNamespace: undefined },
    report: report(passingOutcome),
    logger: memoryLogger(),
  });
  expect(result.status).toBe('skipped');
  expect(cw.calls()).toHaveLength(0);
});

test('every page of automated snapshots counts: the newest may be on the last page', async () => {
  rds.on(DescribeDBClusterSnapshotsCommand).callsFake((input: { Marker?: string }) =>
    input.Marker === 'page-2'
      ? {
          DBClusterSnapshots: [{ Status: 'available', SnapshotCreateTime: new Date('2026-01-31T01:40:00Z') }],
        }
      : {
          DBClusterSnapshots: [{ Status: 'available', SnapshotCreateTime: new Date('2026-01-29T03:10:00Z') }],
          Marker: 'page-2',
        },
  );
  const result = await publish(passingOutcome);
  expect(rds.commandCalls(DescribeDBClusterSnapshotsCommand)).toHaveLength(2);
  expect(result.metrics.find((m) => m.name === 'SnapshotAgeHours')?.value).toBe(2);
});

test('an RDS instance source: its restorable time and automated DB snapshots', async () => {
  rds.on(DescribeDBInstancesCommand).resolves({
    DBInstances: [{ LatestRestorableTime: new Date('2026-01-31T03:39:00Z') }],
  });
  rds.on(DescribeDBSnapshotsCommand).resolves({
    DBSnapshots: [{ Status: 'available', SnapshotCreateTime: new Date('2026-01-30T15:40:00Z') }],
  });
  const result = await publishMetrics({
    plan: { ...plan, source: { kind: 'rds-instance', id: 'billing-pg', partition: 'aws' } },
    report: report(passingOutcome),
    logger: memoryLogger(),
    cloudwatch: new CloudWatchClient({ region: 'us-east-1' }),
    rds: new RDSClient({ region: 'us-east-1' }),
    now: () => now,
  });
  expect(rds.commandCalls(DescribeDBInstancesCommand)[0]!.args[0].input).toEqual({
    DBInstanceIdentifier: 'billing-pg',
  });
  expect(rds.commandCalls(DescribeDBClustersCommand)).toHaveLength(0);
  const value = (name: string) => result.metrics.find((m) => m.name === name)?.value;
  expect([value('PitrGapSeconds'), value('SnapshotAgeHours')]).toEqual([60, 12]);
});

test('snapshots that cannot be listed leave the snapshot age out and keep the PITR gap', async () => {
  rds.on(DescribeDBClusterSnapshotsCommand).rejects(Object.assign(new Error('no'), { name: 'AccessDenied' }));
  const logger = memoryLogger();
  const result = await publish(passingOutcome, logger);
  const names = result.metrics.map((m) => m.name);
  expect(names).toContain('PitrGapSeconds');
  expect(names).not.toContain('SnapshotAgeHours');
  expect(logger.lines.join('\n')).toMatch(/could not list the automated snapshots \(AccessDenied\)/);
});
