/**
 * RDS for PostgreSQL sources that are not Aurora (source-instance), driven through the built action against
 * moto_server (through the fault proxy) and a real PostgreSQL standing in for the restored instance.
 */
import { DescribeDBSnapshotsCommand, type RDSClient } from '@aws-sdk/client-rds';
import {
  createSourceInstance,
  leftovers,
  motoClient,
  REGION,
  sourceInstanceFingerprint,
} from '../support/aurora-fixture.js';
import { MUTATING, stepErrors as errors, useDrillServers } from '../support/drill-servers.js';
import { runStep, type StepResult } from '../support/runner.js';
import { tempDir } from '../support/temp-dir.js';

const servers = useDrillServers();
let rds: RDSClient;
let before: string;

beforeAll(() => {
  rds = motoClient(servers.moto.endpoint);
});

beforeEach(async () => {
  await createSourceInstance(rds);
  before = await sourceInstanceFingerprint(rds);
});

afterEach(async () => {
  expect(await leftovers(rds)).toEqual([]);
  expect(await sourceInstanceFingerprint(rds)).toEqual(before);
  // No automated backup of a drill's copy outlives it.
  const snapshots = (await rds.send(new DescribeDBSnapshotsCommand({}))).DBSnapshots ?? [];
  expect(snapshots.map((s) => s.DBSnapshotIdentifier).filter((id) => id?.includes('restore-proof'))).toEqual(
    [],
  );
});

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return {
    command: 'restore-test',
    'source-instance': 'prod-pg',
    'aws-region': REGION,
    'restored-host': '127.0.0.1',
    'restored-port': String(servers.server.port),
    'ssl-mode': 'disable',
    'timeout-minutes': '2',
    'report-dir': tempDir('reports'),
    ...extra,
  };
}

const env = (): NodeJS.ProcessEnv => servers.env();

function expectPassingDrill(r: StepResult, restoreCall: string): void {
  if (r.code !== 0) process.stdout.write(`main step output:\n${r.stdout}\n${r.stderr}\n`);
  expect(errors(r)).toEqual([]);
  expect(r.code).toBe(0);
  expect(r.outputs.result).toBe('pass');
  expect(r.outputs['restored-cluster']).toMatch(/^restore-proof-[a-z0-9]+-[a-f0-9]{6}$/);
  const resources = JSON.parse(r.state.resources!) as { kind: string; id: string; region: string }[];
  expect(resources).toEqual([
    expect.objectContaining({ kind: 'instance', id: r.outputs['restored-cluster'], region: REGION }),
  ]);
  expect(r.state['cleaned-up']).toBe('done');
  expect(servers.proxy.calls).toContain(restoreCall);
  expect(servers.proxy.calls).not.toContain('CreateDBInstance');
  expect(servers.proxy.calls.filter((c) => /^Delete/.test(c))).toEqual(['DeleteDBInstance']);
}

test('latest: restores the instance to its latest restorable time, validates, deletes it', async () => {
  const main = await runStep('main', { inputs: inputs(), env: env() });
  expectPassingDrill(main, 'RestoreDBInstanceToPointInTime');
  expect(main.stdout).toMatch(
    /restoring instance restore-proof-\S+ from prod-pg to the latest restorable time/,
  );
  expect(main.stdout).toMatch(/first query on 127\.0\.0\.1:\d+: answered/);
  process.stdout.write(`instance drill against moto (latest, built action): ${main.ms} ms\n`);
});

test('point-in-time: a random instant inside the restorable window', async () => {
  const main = await runStep('main', {
    inputs: inputs({ 'restore-type': 'point-in-time', 'restore-time': 'random' }),
    env: env(),
  });
  expectPassingDrill(main, 'RestoreDBInstanceToPointInTime');
  expect(main.stdout).toMatch(/from prod-pg to \d{4}-\d\d-\d\dT/);
});

test('point-in-time outside the window is refused before anything is created', async () => {
  const main = await runStep('main', {
    inputs: inputs({ 'restore-type': 'point-in-time', 'restore-time': '2020-01-01T00:00:00Z' }),
    env: env(),
  });
  expect(main.code).toBe(2);
  expect(errors(main)).toHaveLength(1);
  expect(errors(main)[0]).toMatch(/input 'restore-time' must lie inside the restorable window of prod-pg/);
  expect(servers.proxy.calls.filter((c) => MUTATING.test(c))).toEqual([]);
});

test('snapshot: the newest automated DB snapshot', async () => {
  const main = await runStep('main', { inputs: inputs({ 'restore-type': 'snapshot' }), env: env() });
  expectPassingDrill(main, 'RestoreDBInstanceFromDBSnapshot');
  expect(main.stdout).toMatch(/from snapshot rds:prod-pg-/);
});

test('a non-PostgreSQL instance is refused, naming source-instance', async () => {
  await createSourceInstance(rds, 'prod-mysql', 'mysql');
  const main = await runStep('main', { inputs: inputs({ 'source-instance': 'prod-mysql' }), env: env() });
  expect(main.code).toBe(2);
  expect(errors(main)).toHaveLength(1);
  expect(errors(main)[0]).toMatch(
    /input 'source-instance' accepts an RDS for PostgreSQL instance \(engine postgres\); this one runs mysql/,
  );
  expect(servers.proxy.calls.filter((c) => MUTATING.test(c))).toEqual([]);
});
