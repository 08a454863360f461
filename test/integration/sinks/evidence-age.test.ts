/**
 * HoursSinceLastPass from a real report chain: a failed drill publishes the hours since the last pass before
 * it, and the janitor's publish (every six hours) keeps the number growing between drills.
 */
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { memoryLogger } from '../../../src/log/logger.js';
import type { DrillOutcome } from '../../../src/model/types.js';
import { publishMetrics } from '../../../src/sinks/cloudwatch.js';
import { evidenceAgeMetrics, publishEvidenceAge } from '../../../src/sinks/evidence-age.js';
import { writeReport } from '../../../src/sinks/report-files.js';
import { failingOutcome, passingOutcome } from '../../fixtures/report/outcomes.js';
import { testKey, workspace } from '../../support/report-keys.js';

const cw = mockClient(CloudWatchClient);
beforeEach(() => cw.reset());

/** passingOutcome finishes 2026-01-31T03:31:20Z; failingOutcome 2026-02-01T04:52:10Z. */
async function chain(outcomes: DrillOutcome[]) {
  const { root, dir } = workspace();
  const written = [];
  for (const outcome of outcomes)
    written.push(
      await writeReport({
        plan: { reportDir: dir, signingKey: testKey },
        outcome,
        env: { GITHUB_WORKSPACE: root },
        now: new Date(outcome.finishedAt),
      }),
    );
  return { dir, written };
}

const sent = () =>
  cw.commandCalls(PutMetricDataCommand).flatMap((c) =>
    (c.args[0].input.MetricData ?? []).map((d) => ({
      name: d.MetricName,
      value: d.Value,
      source: d.Dimensions?.[0]?.Value,
      at: d.Timestamp,
    })),
  );

test('a failed drill publishes the hours since the last passing drill of its source, from the chain', async () => {
  const { dir, written } = await chain([passingOutcome, failingOutcome]);
  const result = await publishMetrics({
    plan: {
      metricsNamespace: 'RestoreProof',
      awsRegion: 'us-east-1',
      provider: 'local-pitr',
      reportDir: dir,
    },
    report: written[1]!.report,
    logger: memoryLogger(),
    cloudwatch: new CloudWatchClient({ region: 'us-east-1' }),
    now: () => new Date('2026-02-01T05:00:00Z'),
  });
  expect(result.status).toBe('published');
  // 2026-01-31T03:31:20Z to 2026-02-01T05:00:00Z: 25 h 28 min 40 s
  expect(sent().find((m) => m.name === 'HoursSinceLastPass')).toMatchObject({
    value: 25.48,
    source: 'omnirapeutic-production',
  });
});

test('the janitor publishes each source’s age at the time it runs, so silence after a pass still grows', async () => {
  const { dir } = await chain([passingOutcome, failingOutcome]);
  const logger = memoryLogger();
  const now = new Date('2026-02-08T09:31:20Z'); // eight days and six hours after the pass
  const metrics = await publishEvidenceAge({
    namespace: 'RestoreProof',
    region: 'us-east-1',
    reportDir: dir,
    logger,
    now: () => now,
    cloudwatch: new CloudWatchClient({ region: 'us-east-1' }),
  });
  expect(metrics.map((m) => m.value)).toEqual([198]);
  expect(sent()).toEqual([
    { name: 'HoursSinceLastPass', value: 198, source: 'omnirapeutic-production', at: now },
  ]);
  expect(logger.lines.join('\n')).toContain(
    'published HoursSinceLastPass to RestoreProof: omnirapeutic-production=198',
  );
});

test('a source that never passed counts from its first drill; an empty directory publishes nothing and says so', async () => {
  const { dir } = await chain([failingOutcome]);
  expect(await evidenceAgeMetrics(dir, new Date('2026-02-02T04:52:10Z'))).toEqual([
    {
      name: 'HoursSinceLastPass',
      value: 24,
      unit: 'None',
      dimensions: { Source: 'omnirapeutic-production' },
    },
  ]);
  const empty = workspace();
  const logger = memoryLogger();
  const metrics = await publishEvidenceAge({
    namespace: 'RestoreProof',
    region: 'us-east-1',
    reportDir: empty.dir,
    logger,
    cloudwatch: new CloudWatchClient({ region: 'us-east-1' }),
  });
  expect(metrics).toEqual([]);
  expect(cw.commandCalls(PutMetricDataCommand)).toHaveLength(0);
  expect(logger.lines.join('\n')).toMatch(/no drill reports in .* treats the silence as breaching/);
});

test('a CloudWatch refusal is a warning, never a throw', async () => {
  const { dir } = await chain([passingOutcome]);
  cw.on(PutMetricDataCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDenied' }));
  const logger = memoryLogger();
  const metrics = await publishEvidenceAge({
    namespace: 'RestoreProof',
    region: 'us-east-1',
    reportDir: dir,
    logger,
    cloudwatch: new CloudWatchClient({ region: 'us-east-1' }),
  });
  expect(metrics).toEqual([]);
  expect(logger.lines.at(-1)).toBe(
    'warning: metrics: HoursSinceLastPass not published to RestoreProof (AccessDenied: not authorized)',
  );
});
