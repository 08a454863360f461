import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { createValidator } from '../../../../src/checks/validation.js';
import { runDrill } from '../../../../src/drill/drill.js';
import { makeTempServerDir } from '../../../../src/db/local-server.js';
import { deleteEncounterObservations, seedDataset, writeActivity } from '../../../../src/demo/dataset.js';
import {
  archiveCurrentWal,
  startProduction,
  takeBaseBackup,
  type Production,
} from '../../../../src/demo/production.js';
import { memoryLogger } from '../../../../src/log/logger.js';
import { buildRestoreTestPlan } from '../../../../src/inputs/plan.js';
import { LocalPitrProvider } from '../../../../src/providers/local-pitr/provider.js';
import { newRunId } from '../../../../src/providers/ownership.js';
import type { CreatedResource } from '../../../../src/providers/provider.js';
import { runMain } from '../../../../src/engine/run.js';
import { runPost } from '../../../../src/engine/post.js';
import { readDrillState, STATE } from '../../../../src/drill/state.js';
import { systemClock, Timeline } from '../../../../src/time/timeline.js';
import { memoryState } from '../../../../src/drill/state.js';

const SIZE = { patients: 300, encountersPerPatient: 2, observationsPerEncounter: 3 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let base: string;
let production: Production;
let client: pg.Client;
let target: Date;
let deleted: { encounterId: number; deleted: number };
let beforeBackup: Date;

const postgresProcessesUnder = (dir: string): string[] =>
  execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes(dir) && /postgres|postmaster/.test(l));

beforeAll(async () => {
  base = await makeTempServerDir('restore-proof-pitr-test-');
  production = await startProduction(base);
  client = new pg.Client({ connectionString: production.url });
  await client.connect();
  await seedDataset(client, SIZE);
  beforeBackup = new Date(Date.now() - 1000);
  await takeBaseBackup(production, 'base-1');
  for (let n = 0; n < 5; n++) await writeActivity(client, SIZE.patients, n);
  await sleep(20);
  target = new Date((await client.query<{ t: Date }>('select clock_timestamp() as t')).rows[0]!.t);
  await sleep(20);
  for (let n = 5; n < 8; n++) await writeActivity(client, SIZE.patients, n);
  deleted = await deleteEncounterObservations(client, 7);
  await archiveCurrentWal(client, AbortSignal.timeout(60_000));
}, 120_000);

afterAll(async () => {
  await client?.end().catch(() => undefined);
  await production?.server.stop();
  if (base) await rm(base, { recursive: true, force: true });
});

const planFor = (extra: Record<string, string>) =>
  buildRestoreTestPlan({
    provider: 'local-pitr',
    'backup-dir': production.backupDir,
    'wal-archive-dir': production.archiveDir,
    'source-url': production.url,
    'ssl-mode': 'disable',
    'timeout-minutes': '5',
    ...extra,
  });

test('resolve reads the window from the backup history file and the last archived commit', async () => {
  const provider = new LocalPitrProvider({ workDir: join(base, 'work') });
  const resolved = await provider.resolve(planFor({ 'restore-type': 'latest' }));
  expect(resolved.source.identifier).toBe(`127.0.0.1:${production.server.port}/clinic`);
  expect(resolved.source.engine).toBe('postgres');
  expect(resolved.source.engineVersion).toMatch(/^\d+$/);
  expect(resolved.backups.map((b) => b.name)).toEqual(['base-1']);
  expect(resolved.backups[0]!.consistentFrom).toBe('history');
  expect(resolved.source.earliestRestorableTime!.getTime()).toBeLessThanOrEqual(target.getTime());
  expect(resolved.source.latestRestorableTime!.getTime()).toBeGreaterThan(target.getTime());
});

test('a point-in-time drill restores the rows deleted after the target, then leaves nothing behind', async () => {
  const workDir = join(base, 'work');
  const provider = new LocalPitrProvider({ workDir });
  const logger = memoryLogger();
  const plan = planFor({
    'restore-type': 'point-in-time',
    'restore-time': target.toISOString(),
    cleanup: 'never',
  });
  const state = memoryState();
  const { outcome, target: copy } = await runDrill({ plan, provider, state, logger });
  expect(outcome.error).toBeUndefined();
  expect(outcome.result).toBe('pass');
  expect(copy).toBeDefined();
  expect(copy!.targetTime).toBe(target.toISOString());
  expect(copy!.connection).toMatchObject({
    host: '127.0.0.1',
    user: 'postgres',
    database: 'clinic',
    sslMode: 'disable',
  });
  const names = outcome.restore.phases.map((p) => p.name);
  expect(names).toEqual(expect.arrayContaining(['restore', 'recovery', 'first-query']));
  expect(outcome.restore.seconds).toBeGreaterThan(0);

  const dir = join(workDir, copy!.restoredCluster);
  try {
    const restored = new pg.Client({ ...copy!.connection, ssl: false });
    await restored.connect();
    const count = async (c: pg.Client, sql: string, args: unknown[] = []) =>
      Number((await c.query<{ n: string }>(sql, args)).rows[0]!.n);
    expect(await count(restored, 'select count(*) as n from observations where encounter_id = $1', [7])).toBe(
      deleted.deleted,
    );
    expect(await count(client, 'select count(*) as n from observations where encounter_id = $1', [7])).toBe(
      0,
    );
    // writes before the target are in, writes after it are not
    expect(
      await count(restored, 'select count(*) as n from encounters where kind = $1 and id > $2', [
        'outpatient',
        600,
      ]),
    ).toBe(5);
    expect(await count(restored, 'select pg_is_in_recovery()::int as n')).toBe(0);
    await restored.end();
    expect(postgresProcessesUnder(dir).length).toBeGreaterThan(0);
  } finally {
    // Everything the drill recorded: the copy's directory and, where its path is too deep for a socket,
    // the short socket directory beside it.
    const cleaned = await provider.cleanup(
      readDrillState(state).resources,
      copy!.restoredCluster.replace('restore-proof-', ''),
      logger,
    );
    expect(cleaned.status).toBe('deleted');
  }
  expect(existsSync(dir)).toBe(false);
  expect(postgresProcessesUnder(dir)).toEqual([]);
  // production's archive was not written to by the copy (no timeline 2)
  expect(readdirSync(production.archiveDir).filter((f) => f.startsWith('00000002'))).toEqual([]);
}, 120_000);

test('random picks an instant inside the window; snapshot names a base backup', async () => {
  const provider = new LocalPitrProvider({ random: () => 0.5 });
  const random = await provider.resolve(
    planFor({ 'restore-type': 'point-in-time', 'restore-time': 'random' }),
  );
  const { earliestRestorableTime: earliest, latestRestorableTime: latest } = random.source;
  expect(random.restoreTime!.getTime()).toBeGreaterThanOrEqual(earliest!.getTime());
  expect(random.restoreTime!.getTime()).toBeLessThanOrEqual(latest!.getTime());
  const snapshot = await provider.resolve(planFor({ 'restore-type': 'snapshot' }));
  expect(snapshot.snapshotId).toBe('base-1');
  await expect(
    provider.resolve(planFor({ 'restore-type': 'snapshot', 'snapshot-id': 'base-9' })),
  ).rejects.toThrow(/input 'snapshot-id' names no base backup in backup-dir \(have: base-1\)/);
});

test.each([
  ['latest', 0],
  ['snapshot', SIZE.observationsPerEncounter],
])(
  'a %s drill restores, answers and cleans up',
  async (type, observationsOfEncounter7) => {
    const workDir = join(base, `work-${type}`);
    const provider = new LocalPitrProvider({ workDir });
    const plan = planFor({ 'restore-type': type, cleanup: 'never' });
    const state = memoryState();
    const { outcome, target: copy } = await runDrill({
      plan,
      provider,
      state,
      logger: memoryLogger(),
    });
    expect(outcome.error).toBeUndefined();
    expect(outcome.result).toBe('pass');
    const runId = copy!.restoredCluster.replace('restore-proof-', '');
    try {
      const restored = new pg.Client({ ...copy!.connection, ssl: false });
      await restored.connect();
      const { rows } = await restored.query<{ n: string }>(
        'select count(*) as n from observations where encounter_id = 7',
      );
      await restored.end();
      // latest replays the deletion too; the base backup predates it
      expect(Number(rows[0]!.n)).toBe(observationsOfEncounter7);
      if (type === 'snapshot') expect(copy!.snapshotId).toBe('base-1');
      else expect(new Date(copy!.targetTime!).getTime()).toBeGreaterThan(target.getTime());
    } finally {
      await provider.cleanup(readDrillState(state).resources, runId, memoryLogger());
    }
    expect(readdirSync(workDir)).toEqual([]);
  },
  120_000,
);

test('latest against a quiet source: production pinned at T, restored to the end of the archive, proven equal', async () => {
  const provider = new LocalPitrProvider({ workDir: join(base, 'work-pinned'), archiveWaitMs: 1500 });
  const logger = memoryLogger();
  const plan = planFor({ 'restore-type': 'latest' });
  const { outcome } = await runDrill({
    plan,
    provider,
    validator: createValidator(),
    state: memoryState(),
    logger,
  });
  expect(outcome.error).toBeUndefined();
  expect(logger.lines.join('\n')).toMatch(
    /no commit after .* reached the WAL archive within 2s; restoring to the end/,
  );
  const counts = outcome.checks.filter((c) => c.category === 'counts' || c.category === 'checksums');
  expect(counts.length).toBeGreaterThanOrEqual(8);
  expect(counts.every((c) => c.status === 'pass')).toBe(true);
  expect(outcome.result).toBe('pass');
  expect(outcome.restore.phases.map((p) => p.name)).toContain('archive-wait');
  expect(readdirSync(join(base, 'work-pinned'))).toEqual([]);
}, 120_000);

test('the post step stops and deletes a running copy from saved state alone', async () => {
  const workDir = join(base, 'work-post');
  const provider = new LocalPitrProvider({ workDir });
  const plan = planFor({ 'restore-type': 'latest' });
  const state = memoryState();
  const runId = newRunId(new Date());
  state.save(STATE.runId, runId);
  state.save(STATE.provider, 'local-pitr');
  state.save(STATE.cleanupPolicy, 'always');
  const resources: CreatedResource[] = [];
  const copy = await provider.restore({
    plan,
    resolved: await provider.resolve(plan),
    runId,
    expiresAt: new Date(Date.now() + 3600_000),
    timeline: new Timeline(),
    signal: AbortSignal.timeout(60_000),
    logger: memoryLogger(),
    clock: systemClock,
    record: async (r) => {
      resources.push(r);
      state.save(STATE.resources, JSON.stringify(resources));
    },
  });
  const dir = join(workDir, copy.restoredCluster);
  expect(postgresProcessesUnder(dir).length).toBeGreaterThan(0);
  // a fresh process: only the state, no provider object
  const code = await runPost({
    inputs: {},
    env: {},
    state,
    logger: memoryLogger(),
    setOutput: () => undefined,
  });
  expect(code).toBe(0);
  expect(existsSync(dir)).toBe(false);
  expect(postgresProcessesUnder(dir)).toEqual([]);
}, 120_000);

test('cleanup refuses a directory that is not the run’s own', async () => {
  const provider = new LocalPitrProvider();
  const logger = memoryLogger();
  const out = await provider.cleanup(
    [{ kind: 'local-server', id: production.backupDir, runId: '2601010000-abcdef' }],
    '2601010000-abcdef',
    logger,
  );
  expect(out.status).toBe('failed');
  expect(out.resources[0]!.error).toMatch(/refusing/);
  expect(existsSync(production.backupDir)).toBe(true);
});

test('a restore time before the base backup is one input error, and nothing is created', async () => {
  const workDir = join(base, 'work-early');
  const logger = memoryLogger();
  const annotations: string[] = [];
  const code = await runMain(
    {
      inputs: {
        provider: 'local-pitr',
        'backup-dir': production.backupDir,
        'wal-archive-dir': production.archiveDir,
        'source-url': production.url,
        'ssl-mode': 'disable',
        'restore-type': 'point-in-time',
        'restore-time': new Date(beforeBackup.getTime() - 3600_000).toISOString(),
        'report-dir': join(base, 'reports-early'),
      },
      env: {},
      state: memoryState(),
      logger,
      setOutput: () => undefined,
      annotate: (level, message) => annotations.push(`${level}: ${message}`),
    },
    { provider: () => new LocalPitrProvider({ workDir }) },
  );
  expect(code).toBe(2);
  const errors = logger.lines.filter((l) => l.startsWith('error:'));
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatch(
    /input 'restore-time' must lie inside the restorable window of .*: .* \.\. .*; got '/,
  );
  // Said once: in the runner the logger's error line is the annotation (core.error); nothing repeats it.
  expect(annotations.filter((a) => a.includes('restore-time'))).toEqual([]);
  expect(existsSync(workDir) ? readdirSync(workDir) : []).toEqual([]);
}, 60_000);
