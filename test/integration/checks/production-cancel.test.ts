/**
 * Cancel leaves nothing running on production. A production pass is started against a real PostgreSQL,
 * caught mid-statement (a custom check sleeping on production; a table read waiting behind a DDL's lock),
 * and the drill's signal is aborted: within a short bound, pg_stat_activity on production shows no session
 * of the drill (application_name restore-proof...). Closing a connection is not enough for that: a backend
 * busy in a statement does not notice its client is gone until it next talks to it, so the statement must
 * be cancelled on the server.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createValidator } from '../../../src/checks/validation.js';
import { LocalServer } from '../../../src/db/local-server.js';
import { parseChecksFile } from '../../../src/inputs/checks-file-schema.js';
import type { RestoreTestPlan } from '../../../src/inputs/plan-types.js';
import { memoryLogger } from '../../../src/log/logger.js';
import { validationPlan } from '../../support/validation-plan.js';
import { copyTarget } from '../../support/validation-run.js';

let server: LocalServer;
let admin: pg.Client;

const seedFile = fileURLToPath(new URL('../../fixtures/checks/seed.sql', import.meta.url));
const DRILL = "application_name LIKE 'restore-proof%' AND datname = 'prod'";
/** How long the drill's sessions may take to leave production after the abort. */
const GONE_WITHIN_MS = 2_000;

beforeAll(async () => {
  server = await LocalServer.create();
  await server.start();
  admin = new pg.Client({ connectionString: server.url() });
  await admin.connect();
  await admin.query('CREATE DATABASE prod');
  const seed = new pg.Client({ connectionString: server.url('prod') });
  await seed.connect();
  await seed.query(await readFile(seedFile, 'utf8'));
  await seed.end();
  await admin.query('CREATE DATABASE copy TEMPLATE prod');
});

afterAll(async () => {
  // Whatever a failed case left running is ended, so the server stops cleanly.
  await admin
    ?.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE ${DRILL}`)
    .catch(() => undefined);
  await admin?.end().catch(() => undefined);
  await server?.destroy();
});

const plan = (overrides: Partial<RestoreTestPlan> = {}): RestoreTestPlan =>
  validationPlan(server.url('prod'), overrides);

interface Session {
  pid: number;
  state: string | null;
  wait: string | null;
  query: string;
}

async function drillSessions(): Promise<Session[]> {
  const { rows } = await admin.query<Session>(
    `SELECT pid, state, wait_event_type AS wait, query FROM pg_stat_activity WHERE ${DRILL}`,
  );
  return rows;
}

/** Polls until `found` holds for some drill session; fails after `ms`. */
async function whenSession(found: (s: Session) => boolean, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if ((await drillSessions()).some(found)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no drill session ${what} on production within ${ms} ms`);
}

/** The drill's sessions on production once they have had GONE_WITHIN_MS to leave (none, or those left). */
async function leftOnProduction(): Promise<Session[]> {
  const deadline = Date.now() + GONE_WITHIN_MS;
  let left = await drillSessions();
  while (left.length && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    left = await drillSessions();
  }
  return left;
}

test('cancel during a latest pass: a custom check sleeping on production is cancelled, no drill session is left', async () => {
  const checksFile = parseChecksFile(`
checks:
  - name: slow-on-production
    query: SELECT pg_sleep(60)::text
    expect: { matches-production: true }
`);
  const validator = createValidator({ concurrency: 1, parallelWorkers: 0, checksFile, runId: 'cancel-test' });
  const controller = new AbortController();
  try {
    const prepared = await validator.prepare(plan(), memoryLogger(), controller.signal);
    expect(prepared.pinnedTime).toBeInstanceOf(Date);
    await whenSession(
      (s) => s.state === 'active' && s.query.includes('pg_sleep(60)'),
      'sleeping in pg_sleep',
    );
    controller.abort(new Error('cancelled by the test'));
    expect(await leftOnProduction()).toEqual([]);
  } finally {
    controller.abort();
    await validator.close();
  }
});

test('cancel during a table read waiting behind a lock: the waiting statement is cancelled, not left to lock_timeout', async () => {
  // A migration holds orders; the pass's read of orders waits for it (up to lock_timeout).
  const locker = new pg.Client({ connectionString: server.url('prod'), application_name: 'test-locker' });
  await locker.connect();
  await locker.query('BEGIN');
  await locker.query('LOCK TABLE orders IN ACCESS EXCLUSIVE MODE');
  const validator = createValidator({ concurrency: 2, parallelWorkers: 0, runId: 'cancel-test' });
  const controller = new AbortController();
  try {
    // A past restore point: production is read live, after the restore (the same cancellation applies).
    await validator.prepare(plan({ restoreType: 'point-in-time' }), memoryLogger(), controller.signal);
    const validation = validator
      .validate(
        {
          ...copyTarget(server, undefined),
          restoreType: 'point-in-time',
          targetTime: new Date().toISOString(),
        },
        memoryLogger(),
        controller.signal,
      )
      .catch((e: Error) => e);
    await whenSession((s) => s.wait === 'Lock', 'waiting for a lock');
    controller.abort(new Error('cancelled by the test'));
    expect(await leftOnProduction()).toEqual([]);
    await validation;
  } finally {
    controller.abort();
    await locker.query('ROLLBACK').catch(() => undefined);
    await locker.end().catch(() => undefined);
    await validator.close();
  }
});
