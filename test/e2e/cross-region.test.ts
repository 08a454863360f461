/**
 * The regional-outage drill (target-region), driven through the built action against one moto_server that
 * serves both regions (the client's region selects): the source cluster lives in us-east-1, its snapshot is
 * copied to us-west-2, restored there, validated against a real PostgreSQL (restored-host), and both the
 * copy and the cluster are deleted in us-west-2.
 */
import { readFileSync } from 'node:fs';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateDBClusterSnapshotCommand, type RDSClient } from '@aws-sdk/client-rds';
import {
  createSourceCluster,
  leftovers,
  motoClient,
  REGION,
  sourceFingerprint,
} from '../support/aurora-fixture.js';
import { MUTATING, stepErrors as errors, useDrillServers } from '../support/drill-servers.js';
import { parseFileCommands, runStep } from '../support/runner.js';
import { tempDir } from '../support/temp-dir.js';

const TARGET = 'us-west-2';
const servers = useDrillServers();
let east: RDSClient;
let west: RDSClient;
let before: string;
let targetKey: string;
let manualSnapshotArn: string;

beforeAll(() => {
  east = motoClient(servers.moto.endpoint, REGION);
  west = motoClient(servers.moto.endpoint, TARGET);
});

beforeEach(async () => {
  await createSourceCluster(east);
  // moto looks a snapshot ARN up by its last ':'-separated part, so the automated snapshot's ARN
  // (…:cluster-snapshot:rds:prod-db-…) cannot be copied there; the tests point it at a manual one.
  const manual = await east.send(
    new CreateDBClusterSnapshotCommand({
      DBClusterIdentifier: 'prod-db',
      DBClusterSnapshotIdentifier: 'prod-db-before-drill',
    }),
  );
  manualSnapshotArn = manual.DBClusterSnapshot!.DBClusterSnapshotArn!;
  const kms = new KMSClient({
    region: TARGET,
    endpoint: servers.moto.endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
  targetKey = (await kms.send(new CreateKeyCommand({ Description: 'drill copies' }))).KeyMetadata!.Arn!;
  before = await sourceFingerprint(east);
});

afterEach(async () => {
  expect(await leftovers(west)).toEqual([]);
  expect(await leftovers(east)).toEqual([]);
  expect(await sourceFingerprint(east)).toEqual(before);
});

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return {
    command: 'restore-test',
    'source-cluster': 'prod-db',
    'aws-region': REGION,
    'target-region': TARGET,
    'target-kms-key-id': targetKey,
    'restored-host': '127.0.0.1',
    'restored-port': String(servers.server.port),
    'ssl-mode': 'disable',
    'timeout-minutes': '2',
    cadence: 'annual',
    'report-dir': tempDir('reports'),
    ...extra,
  };
}

const env = (): NodeJS.ProcessEnv => servers.env();

/** Stands the newest automated snapshot's ARN in for the manual one moto can copy (see beforeEach). */
const copyableArn = (): void => {
  servers.proxy.rules.push({
    kind: 'rewrite',
    action: 'DescribeDBClusterSnapshots',
    element: 'DBClusterSnapshotArn',
    value: manualSnapshotArn,
  });
};

test('latest: copies the newest snapshot to us-west-2, restores and validates there, deletes both there', async () => {
  copyableArn();
  const main = await runStep('main', { inputs: inputs(), env: env() });
  if (main.code !== 0) process.stdout.write(`main step output:\n${main.stdout}\n${main.stderr}\n`);
  expect(errors(main)).toEqual([]);
  expect(main.code).toBe(0);
  expect(main.outputs.result).toBe('pass');
  expect(main.stdout).toMatch(/copying snapshot arn:aws:rds:us-east-1:\d+:cluster-snapshot:\S+ to us-west-2/);
  expect(main.stdout).toMatch(
    /restoring restore-proof-\S+ in us-west-2 from snapshot restore-proof-\S+-snap/,
  );
  expect(main.stdout).toMatch(/cleanup: snapshot restore-proof-\S+-snap in us-west-2 deleted/);

  const resources = JSON.parse(main.state.resources!) as { kind: string; id: string; region: string }[];
  expect(resources.map((r) => [r.kind, r.region])).toEqual([
    ['snapshot', TARGET],
    ['cluster', TARGET],
    ['instance', TARGET],
  ]);
  expect(main.state['cleaned-up']).toBe('done');
  const deletes = servers.proxy.calls.filter((c) => /^Delete/.test(c));
  expect(deletes).toEqual(['DeleteDBInstance', 'DeleteDBCluster', 'DeleteDBClusterSnapshot']);

  const report = JSON.parse(readFileSync(main.outputs['report-json']!, 'utf8')) as {
    restore: { phases: { name: string; seconds: number }[]; snapshotId: string };
  };
  const phases = report.restore.phases.map((p) => p.name);
  expect(phases).toContain('snapshot-copy');
  expect(phases.indexOf('snapshot-copy')).toBeLessThan(phases.indexOf('restore-request'));
  expect(report.restore.snapshotId).toBe(manualSnapshotArn);
  process.stdout.write(`cross-region drill against moto (built action): ${main.ms} ms\n`);
});

test('an encrypted source without target-kms-key-id is one input error, before anything is created', async () => {
  const main = await runStep('main', { inputs: inputs({ 'target-kms-key-id': '' }), env: env() });
  expect(main.code).toBe(2);
  expect(errors(main)).toHaveLength(1);
  expect(errors(main)[0]).toMatch(
    /input 'target-kms-key-id' is required: snapshot \S+ of prod-db is encrypted, and its key does not reach us-west-2/,
  );
  expect(servers.proxy.calls.filter((c) => MUTATING.test(c))).toEqual([]);
});

test('point-in-time across regions is refused, naming restore-type', async () => {
  const main = await runStep('main', {
    inputs: inputs({ 'restore-type': 'point-in-time', 'restore-time': 'random' }),
    env: env(),
  });
  expect(main.code).toBe(2);
  expect(errors(main)).toHaveLength(1);
  expect(errors(main)[0]).toMatch(/input 'restore-type' accepts latest or snapshot with target-region/);
  // The plan refuses it before the engine makes any AWS call at all.
  expect(servers.proxy.calls).toEqual([]);
});

test('post step after a kill mid-copy deletes the copied snapshot in us-west-2', async () => {
  const main = await runStep('main', {
    inputs: inputs({ 'restore-type': 'snapshot', 'snapshot-id': 'prod-db-before-drill' }),
    env: env(),
    onSpawn: (child, files) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        // Once the copy is requested, hold it at 'copying'; kill main while it waits on it.
        if (
          /copying snapshot/.test(out) &&
          !servers.proxy.rules.some((r) => r.kind === 'rewrite' && r.element === 'Status')
        ) {
          servers.proxy.rules.push({
            kind: 'rewrite',
            action: 'DescribeDBClusterSnapshots',
            element: 'Status',
            value: 'copying',
          });
        }
        const state = parseFileCommands(readFileSync(files.state, 'utf8'));
        if (/snapshot copy \S+ in us-west-2: copying/.test(out) && state.resources?.includes('"snapshot"')) {
          child.kill('SIGKILL');
        }
      });
    },
  });
  expect(main.signal).toBe('SIGKILL');
  expect(servers.proxy.calls).not.toContain('RestoreDBClusterFromSnapshot');
  expect(await leftovers(west)).toEqual([expect.stringMatching(/^snapshot restore-proof-\S+-snap$/)]);

  servers.proxy.rules.length = 0;
  const post = await runStep('post', { inputs: inputs(), env: env(), state: main.state });
  expect(post.code).toBe(0);
  expect(post.stdout).toMatch(/cleanup: snapshot restore-proof-\S+-snap in us-west-2 deleted/);
});
