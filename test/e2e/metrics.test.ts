/**
 * metrics-namespace through the built action against moto (RDS and CloudWatch on one endpoint): the drill's
 * PutMetricData lands in moto and is read back with ListMetrics and GetMetricData, dimension Source.
 */
import { CloudWatchClient, GetMetricDataCommand, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { leftovers, REGION } from '../support/aurora-fixture.js';
import { useCopyDrill } from '../support/copy-drill.js';
import { runStep } from '../support/runner.js';
import { tempDir } from '../support/temp-dir.js';

const drill = useCopyDrill();
afterEach(async () => {
  expect(await leftovers(drill.rds)).toEqual([]);
});

const inputs = (extra: Record<string, string> = {}) => ({
  command: 'restore-test',
  'source-cluster': 'prod-db',
  'aws-region': REGION,
  'restored-host': '127.0.0.1',
  'restored-port': String(drill.server.port),
  'ssl-mode': 'disable',
  'timeout-minutes': '2',
  'metrics-namespace': 'RestoreProof/Test',
  'report-dir': tempDir('reports'),
  ...extra,
});
const cloudwatch = () =>
  new CloudWatchClient({
    region: REGION,
    endpoint: drill.moto.endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });

test('a passing drill publishes its metrics, read back from CloudWatch', async () => {
  const main = await runStep('main', { inputs: inputs(), env: drill.env() });
  if (main.code !== 0) process.stdout.write(`${main.stdout}\n${main.stderr}\n`);
  expect(main.code).toBe(0);
  expect(main.stdout).toMatch(/metrics: published \d+ to RestoreProof\/Test \(Source=prod-db\)/);

  const listed = await cloudwatch().send(new ListMetricsCommand({ Namespace: 'RestoreProof/Test' }));
  const names = (listed.Metrics ?? []).map((m) => m.MetricName).sort();
  expect(names).toEqual(
    expect.arrayContaining([
      'ChecksFailed',
      'DrillFailed',
      'DrillSucceeded',
      'EstimatedCostUSD',
      'PitrGapSeconds',
      'RestoreSeconds',
    ]),
  );
  for (const m of listed.Metrics ?? []) expect(m.Dimensions).toEqual([{ Name: 'Source', Value: 'prod-db' }]);

  const end = new Date(Date.now() + 60_000);
  const start = new Date(Date.now() - 3_600_000);
  const query = (id: string, name: string) => ({
    Id: id,
    MetricStat: {
      Metric: {
        Namespace: 'RestoreProof/Test',
        MetricName: name,
        Dimensions: [{ Name: 'Source', Value: 'prod-db' }],
      },
      Period: 60,
      Stat: 'Maximum',
    },
  });
  const data = await cloudwatch().send(
    new GetMetricDataCommand({
      StartTime: start,
      EndTime: end,
      MetricDataQueries: [query('failed', 'DrillFailed'), query('restore', 'RestoreSeconds')],
    }),
  );
  const values = Object.fromEntries((data.MetricDataResults ?? []).map((r) => [r.Id, r.Values]));
  expect(values.failed).toEqual([0]);
  expect(values.restore![0]).toBeCloseTo(Number(main.outputs['restore-seconds']), 1);
});

test('a CloudWatch that cannot be reached is a warning; the drill still passes', async () => {
  const main = await runStep('main', {
    inputs: inputs(),
    env: drill.env({ AWS_ENDPOINT_URL_CLOUDWATCH: 'http://127.0.0.1:9' }),
  });
  expect(main.code).toBe(0);
  expect(main.outputs.result).toBe('pass');
  expect(main.stdout).toMatch(
    /::warning::metrics: not published to RestoreProof\/Test .*the drill's result stands/,
  );
});

test('HoursSinceLastPass: 0 from a passing drill, then the janitor publishes the age from the same reports', async () => {
  const reportDir = tempDir('reports');
  const main = await runStep('main', { inputs: inputs({ 'report-dir': reportDir }), env: drill.env() });
  expect(main.code).toBe(0);
  const janitor = await runStep('main', {
    inputs: {
      command: 'janitor',
      'aws-region': REGION,
      'metrics-namespace': 'RestoreProof/Test',
      'report-dir': reportDir,
    },
    env: drill.env(),
  });
  expect(janitor.code).toBe(0);
  expect(janitor.stdout).toMatch(
    /metrics: published HoursSinceLastPass to RestoreProof\/Test: prod-db=\d+(\.\d+)?/,
  );

  const data = await cloudwatch().send(
    new GetMetricDataCommand({
      StartTime: new Date(Date.now() - 3_600_000),
      EndTime: new Date(Date.now() + 60_000),
      MetricDataQueries: [
        {
          Id: 'age',
          MetricStat: {
            Metric: {
              Namespace: 'RestoreProof/Test',
              MetricName: 'HoursSinceLastPass',
              Dimensions: [{ Name: 'Source', Value: 'prod-db' }],
            },
            Period: 60,
            Stat: 'SampleCount',
          },
        },
      ],
    }),
  );
  // the drill's 0 and the janitor's sample (the drill just passed: both under an hour)
  const counts = data.MetricDataResults?.[0]?.Values ?? [];
  expect(counts.reduce((a, b) => a + b, 0)).toBe(2);
});
