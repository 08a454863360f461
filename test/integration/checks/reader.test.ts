/**
 * production-url on a reader (a streaming replica): the pinned restore point is what the reader's snapshot
 * shows, its last replayed commit, not its clock, so a lagging reader is not mistaken for missing data,
 * and the production pass is reported as having run on a reader.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { LocalServer, makeServerDir, runPgTool } from '../../../src/db/local-server.js';
import type { RestoreTestPlan } from '../../../src/inputs/plan-types.js';
import { validationPlan } from '../../support/validation-plan.js';
import { checkById as byId, copyTarget, withValidator } from '../../support/validation-run.js';
import { waitFor } from '../../support/wait-for.js';

let primary: LocalServer;
let replica: LocalServer;
const seedFile = fileURLToPath(new URL('../../fixtures/checks/seed.sql', import.meta.url));

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

const until = (what: string, ok: () => Promise<boolean>): Promise<void> =>
  waitFor(what, ok, { timeoutMs: 60_000, intervalMs: 50 });

beforeAll(async () => {
  primary = await LocalServer.create();
  await primary.start();
  await query(primary.url(), 'CREATE DATABASE prod');
  await query(primary.url('prod'), await readFile(seedFile, 'utf8'));
  await query(primary.url(), 'CREATE DATABASE copy TEMPLATE prod');
  // A streaming replica of it, as the postgres user: pg_basebackup -R writes standby.signal and primary_conninfo.
  const base = join(primary.dataDir, '..', 'replica');
  await makeServerDir(base);
  const dataDir = join(base, 'data');
  const runDir = await makeServerDir(join(base, 'run'));
  await runPgTool('pg_basebackup', [
    '-D',
    dataDir,
    '-h',
    '127.0.0.1',
    '-p',
    String(primary.port),
    '-U',
    'postgres',
    '-R',
    '-X',
    'stream',
    '-c',
    'fast',
    '--no-sync',
  ]);
  replica = new LocalServer({ dataDir, runDir });
  await replica.start();
}, 180_000);

afterAll(async () => {
  await replica?.stop();
  await primary?.destroy();
});

const plan = (productionUrl: string): RestoreTestPlan => validationPlan(productionUrl);

const target = (pinned: Date | undefined) => copyTarget(primary, pinned);

test('a reader that has replayed nothing since it started: no pin, compared by watermark after the restore', async () => {
  const [fresh] = await query<{ replayed: Date | null }>(
    replica.url(),
    'SELECT pg_last_xact_replay_timestamp() AS replayed',
  );
  expect(fresh!.replayed).toBeNull();
  await withValidator({ concurrency: 2, parallelWorkers: 0 }, async ({ validator, logger, signal }) => {
    const prepared = await validator.prepare(plan(replica.url('prod')), logger, signal);
    expect(prepared.pinnedTime).toBeUndefined();
    expect(logger.lines.join('\n')).toContain('has replayed no transaction since it started');
    // The provider restores to the source's latest restorable time; the copy is compared by watermark.
    const { checks } = await validator.validate(target(new Date()), logger, signal);
    expect(byId(checks, 'counts:public.orders').summary).toContain('updated_at <= restore point');
    expect(byId(checks, 'checksums:public.orders').status).toBe('pass');
    expect(byId(checks, 'posture:production-pass').status).toBe('pass');
  });
});

test('a lagging reader pins its last replayed commit, and the copy restored to it matches', async () => {
  // A commit the reader replays (in another database), so it has a replay position at all.
  await query(primary.url(), 'CREATE TABLE replayed (id int)');
  await until('the reader replays the marker', async () => {
    const rows = await query<{ ok: boolean }>(
      replica.url(),
      "SELECT to_regclass('public.replayed') IS NOT NULL AND pg_last_xact_replay_timestamp() IS NOT NULL AS ok",
    );
    return rows[0]!.ok;
  });
  const [paused] = await query<{ replayed: Date }>(
    replica.url(),
    'SELECT pg_wal_replay_pause(), pg_last_xact_replay_timestamp() AS replayed',
  );
  await until('replay is paused', async () => {
    const rows = await query<{ s: string }>(replica.url(), 'SELECT pg_get_wal_replay_pause_state() AS s');
    return rows[0]!.s === 'paused';
  });
  try {
    // The writer moves on; the reader lags behind it.
    await new Promise((r) => setTimeout(r, 20));
    const [inserted] = await query<{ written: Date }>(
      primary.url('prod'),
      `INSERT INTO orders (customer_id, amount, status, created_at, updated_at)
       VALUES (1, 5, 'open', now(), now()) RETURNING created_at AS written`,
    );
    await withValidator({ concurrency: 2, parallelWorkers: 0 }, async ({ validator, logger, signal }) => {
      const prepared = await validator.prepare(plan(replica.url('prod')), logger, signal);
      await prepared.productionPass;
      // Not the reader's clock (that would be after the write it has not replayed): its replay position.
      // (rounded up to the millisecond; pg hands back the replay time truncated to one)
      const sincePaused = prepared.pinnedTime!.getTime() - paused!.replayed.getTime();
      expect(sincePaused === 0 || sincePaused === 1).toBe(true);
      expect(prepared.pinnedTime!.getTime()).toBeLessThan(inserted!.written.getTime());
      const { checks } = await validator.validate(target(prepared.pinnedTime), logger, signal);
      expect(byId(checks, 'counts:public.orders').status).toBe('pass');
      expect(byId(checks, 'checksums:public.orders').status).toBe('pass');
      const posture = byId(checks, 'posture:production-pass');
      expect(posture.status).toBe('pass');
      expect(posture.summary).toMatch(/reader/);
    });
  } finally {
    await query(replica.url(), 'SELECT pg_wal_replay_resume()');
    await query(primary.url('prod'), `DELETE FROM orders WHERE id > 2999`);
  }
});
