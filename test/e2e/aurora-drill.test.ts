/**
 * The built action, driven as the runner drives it, against moto_server (through the fault proxy) and a real
 * PostgreSQL standing in for the restored cluster's endpoint (restored-host / restored-port).
 */
import { DescribeDBClustersCommand, type RDSClient } from '@aws-sdk/client-rds';
import { createSourceCluster, leftovers, motoClient, sourceFingerprint } from '../support/aurora-fixture.js';
import {
  auroraDrillInputs,
  MUTATING,
  stepErrors as errors,
  useDrillServers,
} from '../support/drill-servers.js';
import { runStep, type StepResult } from '../support/runner.js';
import { tempDir } from '../support/temp-dir.js';
import { interruptWhenRecorded } from '../support/wait-for.js';

const servers = useDrillServers();
let rds: RDSClient;
let before: string;

beforeAll(() => {
  rds = motoClient(servers.moto.endpoint);
});

beforeEach(async () => {
  await createSourceCluster(rds);
  before = await sourceFingerprint(rds);
});

afterEach(async () => {
  expect(await leftovers(rds)).toEqual([]);
  expect(await sourceFingerprint(rds)).toEqual(before);
});

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return auroraDrillInputs(servers.server, { 'report-dir': tempDir('reports'), ...extra });
}

const env = (): NodeJS.ProcessEnv => servers.env();

function expectPassingDrill(r: StepResult): void {
  if (r.code !== 0) process.stdout.write(`main step output:\n${r.stdout}\n${r.stderr}\n`);
  expect(errors(r)).toEqual([]);
  expect(r.code).toBe(0);
  expect(r.outputs.result).toBe('pass');
  expect(r.outputs['restored-cluster']).toMatch(/^restore-proof-[a-z0-9]+-[a-f0-9]{6}$/);
  expect(Number(r.outputs['restore-seconds'])).toBeGreaterThan(0);
  const resources = JSON.parse(r.state.resources!) as { kind: string; id: string }[];
  expect(resources.map((x) => x.kind).sort()).toEqual(['cluster', 'instance']);
  expect(r.state['cleaned-up']).toBe('done');
}

test('latest restore: restores, connects, deletes, and the post step finds nothing left', async () => {
  const main = await runStep('main', { inputs: inputs(), env: env() });
  expectPassingDrill(main);
  expect(main.stdout).toMatch(/first query on 127\.0\.0\.1:\d+: answered/);
  expect(servers.proxy.calls).toContain('RestoreDBClusterToPointInTime');
  expect(servers.proxy.calls.filter((c) => c === 'DeleteDBInstance' || c === 'DeleteDBCluster')).toHaveLength(
    2,
  );
  process.stdout.write(`whole drill against moto (latest, built action): ${main.ms} ms\n`);

  const post = await runStep('post', { inputs: inputs(), env: env(), state: main.state });
  expect(post.code).toBe(0);
  expect(post.stdout).toContain('main already cleaned up');
});

test('point-in-time restore to an instant inside the window', async () => {
  const source = (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'prod-db' })))
    .DBClusters![0]!;
  const time = source.EarliestRestorableTime!.toISOString();
  const main = await runStep('main', {
    inputs: inputs({ 'restore-type': 'point-in-time', 'restore-time': time }),
    env: env(),
  });
  expectPassingDrill(main);
  expect(main.stdout).toContain(`to ${time}`);
});

test('point-in-time restore to a random instant', async () => {
  const main = await runStep('main', {
    inputs: inputs({ 'restore-type': 'point-in-time', 'restore-time': 'random' }),
    env: env(),
  });
  expectPassingDrill(main);
});

test('snapshot restore from the newest automated snapshot', async () => {
  const main = await runStep('main', { inputs: inputs({ 'restore-type': 'snapshot' }), env: env() });
  expectPassingDrill(main);
  expect(servers.proxy.calls).toContain('RestoreDBClusterFromSnapshot');
  expect(main.stdout).toMatch(/from snapshot rds:prod-db-/);
});

test('a restore-time outside the restorable window is refused before anything is created', async () => {
  const main = await runStep('main', {
    inputs: inputs({ 'restore-type': 'point-in-time', 'restore-time': '2020-01-01T00:00:00Z' }),
    env: env(),
  });
  expect(main.code).toBe(2);
  expect(errors(main)).toHaveLength(1);
  expect(errors(main)[0]).toMatch(/input 'restore-time' must lie inside the restorable window of prod-db/);
  expect(servers.proxy.calls.filter((c) => MUTATING.test(c))).toEqual([]);
});

test('a missing source cluster is a clear error naming it', async () => {
  const main = await runStep('main', { inputs: inputs({ 'source-cluster': 'no-such-db' }), env: env() });
  expect(main.code).toBe(2);
  expect(errors(main).join('\n')).toMatch(
    /input 'source-cluster' names no DB cluster in us-east-1; got 'no-such-db'/,
  );
  expect(servers.proxy.calls.filter((c) => MUTATING.test(c))).toEqual([]);
});

test('a failing CreateDBInstance fails the drill and still deletes the cluster', async () => {
  servers.proxy.rules.push({
    kind: 'fail',
    action: 'CreateDBInstance',
    code: 'InsufficientDBInstanceCapacity',
  });
  const main = await runStep('main', { inputs: inputs(), env: env() });
  expect(main.code).toBe(3);
  expect(main.outputs.result).toBe('error');
  expect(errors(main).join('\n')).toMatch(/InsufficientDBInstanceCapacity/);
  expect(servers.proxy.calls).toContain('DeleteDBCluster');
});

test('cancellation mid-wait: SIGINT deletes at once, main exits within the grace period, post cleans the rest', async () => {
  servers.proxy.rules.push({ kind: 'hold', resource: 'cluster', status: 'creating' });
  const { onSpawn, signalled } = interruptWhenRecorded('cluster', 'cancel');
  const main = await runStep('main', { inputs: inputs(), env: env(), onSpawn });
  await signalled; // throws, naming what it waited for, when main never recorded its cluster
  expect(main.signal).toBeNull();
  expect(main.code).toBe(130);
  expect(main.outputs.result).toBe('cancelled');
  expect(main.stdout).toMatch(/cancelled/);
  const post = await runStep('post', { inputs: inputs(), env: env(), state: main.state });
  expect(post.code).toBe(0);
});

test('post step alone after main was killed outright deletes what main created', async () => {
  servers.proxy.rules.push({ kind: 'hold', resource: 'instance', status: 'creating' });
  const { onSpawn, signalled } = interruptWhenRecorded('instance', 'kill');
  const main = await runStep('main', { inputs: inputs(), env: env(), onSpawn });
  await signalled;
  expect(main.signal).toBe('SIGKILL');
  const left = await leftovers(rds);
  expect(left.map((r) => r.split(' ')[0]).sort()).toEqual(['cluster', 'instance']);
  servers.proxy.rules.length = 0;
  const post = await runStep('post', { inputs: inputs(), env: env(), state: main.state });
  expect(post.code).toBe(0);
  expect(post.stdout).toMatch(/post: cleaning up run/);
  for (const resource of left) expect(post.stdout).toContain(resource);
});
