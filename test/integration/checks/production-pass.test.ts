/**
 * Production is touched lightly: the latest drill's production pass (a REPEATABLE READ snapshot) ends
 * before the restore wait, a DDL on production is not blocked while the copy restores, a table that
 * stays locked is retried once and then reported as not compared, and a pass whose connections are
 * killed says so per table instead of claiming a comparison.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { LocalServer } from '../../../src/db/local-server.js';
import { parseChecksFile } from '../../../src/inputs/checks-file-schema.js';
import type { PreparedValidation } from '../../../src/checks/validator.js';
import type { RestoreTestPlan } from '../../../src/inputs/plan-types.js';
import { validationPlan } from '../../support/validation-plan.js';
import { checkById as byId, copyTarget, withValidator } from '../../support/validation-run.js';
import { waitFor } from '../../support/wait-for.js';

let server: LocalServer;
let admin: pg.Client;
let prod: pg.Client;

const seedFile = fileURLToPath(new URL('../../fixtures/checks/seed.sql', import.meta.url));
/** Sessions of the drill (application_name restore-proof...), never the test's own. */
const DRILL = "application_name LIKE 'restore-proof%' AND datname = 'prod'";

beforeAll(async () => {
  server = await LocalServer.create();
  await server.start();
  admin = new pg.Client({ connectionString: server.url() });
  await admin.connect();
  await admin.query('CREATE DATABASE prod');
  // A short lock_timeout for every session of the drill (the session sets its own; this one is the floor).
  await admin.query(`ALTER DATABASE prod SET lock_timeout = '300ms'`);
  const seed = new pg.Client({ connectionString: server.url('prod') });
  await seed.connect();
  await seed.query(await readFile(seedFile, 'utf8'));
  await seed.end();
  await admin.query('CREATE DATABASE copy TEMPLATE prod');
  prod = new pg.Client({ connectionString: server.url('prod'), application_name: 'test-admin' });
  await prod.connect();
});

afterAll(async () => {
  await prod?.end().catch(() => undefined);
  await admin?.end().catch(() => undefined);
  await server?.destroy();
});

function plan(overrides: Partial<RestoreTestPlan> = {}): RestoreTestPlan {
  return validationPlan(server.url('prod'), overrides);
}

const target = (pinned: Date | undefined) => copyTarget(server, pinned);

const checksFile = parseChecksFile(`
checks:
  - name: orders-total
    query: SELECT count(*), sum(amount) FROM orders
    expect: { matches-production: true }
`);

async function drillSessions(): Promise<
  { pid: number; state: string; xact: boolean; wait: string | null }[]
> {
  const { rows } = await admin.query<{ pid: number; state: string; xact: boolean; wait: string | null }>(
    `SELECT pid, state, xact_start IS NOT NULL AS xact, wait_event_type AS wait FROM pg_stat_activity WHERE ${DRILL}`,
  );
  return rows;
}

/** Runs `fn` with a production session of its own (a migration holding locks), rolled back and closed after. */
async function withLocker(fn: (locker: pg.Client) => Promise<void>): Promise<void> {
  const locker = new pg.Client({ connectionString: server.url('prod'), application_name: 'test-locker' });
  await locker.connect();
  try {
    await fn(locker);
  } finally {
    await locker.query('ROLLBACK').catch(() => undefined);
    await locker.end();
  }
}

/** Waits until a session of the drill waits on a lock (failing, so named, when none ever does). */
const untilDrillWaitsOnLock = (): Promise<void> =>
  waitFor(
    'a drill session waiting on a lock',
    async () => (await drillSessions()).some((s) => s.wait === 'Lock'),
    {
      intervalMs: 20,
    },
  );

/** The pass has ended: its snapshot is released and no drill session is left on production. */
async function passEnded(prepared: PreparedValidation): Promise<void> {
  expect(prepared.productionPass).toBeDefined();
  await prepared.productionPass;
}

test('while the copy restores, production holds no drill transaction and a DDL goes through', async () => {
  await withValidator(
    { concurrency: 2, parallelWorkers: 0, checksFile },
    async ({ validator, logger, signal }) => {
      const prepared = await validator.prepare(plan(), logger, signal);
      expect(prepared.pinnedTime).toBeInstanceOf(Date);
      await passEnded(prepared);
      // The simulated restore wait: production is the application's again.
      expect(await drillSessions()).toEqual([]);
      await prod.query(`SET lock_timeout = '3s'`);
      const ddlStarted = process.hrtime.bigint();
      await prod.query('ALTER TABLE customers ADD COLUMN during_restore int');
      await prod.query('ALTER TABLE orders ADD COLUMN during_restore int');
      await prod.query('ALTER TABLE customers DROP COLUMN during_restore');
      await prod.query('ALTER TABLE orders DROP COLUMN during_restore');
      const ddlMs = Number(process.hrtime.bigint() - ddlStarted) / 1e6;
      await prod.query('RESET lock_timeout');
      // The figures for the record (not asserted: the machine is shared).
      const pass = logger.lines.find((l) => /production pass read/.test(l)) ?? '';
      process.stdout.write(
        `production pass: ${/in (\d+) ms/.exec(pass)?.[1] ?? '?'} ms in its snapshot; four DDLs on production during the restore wait: ${ddlMs.toFixed(1)} ms in all\n`,
      );

      // What the copy is judged against was read in that pass: a changed row is still narrowed to its bucket.
      const copy = new pg.Client({ connectionString: server.url('copy') });
      await copy.connect();
      await copy.query('UPDATE orders SET amount = amount + 1 WHERE id = 7');
      await copy.end();
      try {
        const { checks } = await validator.validate(target(prepared.pinnedTime), logger, signal);
        expect(byId(checks, 'checksums:public.orders').summary).toMatch(
          /1 primary key hash bucket differ \(\d+\); row count 0/,
        );
        expect(byId(checks, 'checksums:public.customers').status).toBe('pass');
        expect(byId(checks, 'custom:orders-total').status).toBe('fail');
        expect(await drillSessions()).toEqual([]);
      } finally {
        const fix = new pg.Client({ connectionString: server.url('copy') });
        await fix.connect();
        await fix.query('UPDATE orders SET amount = amount - 1 WHERE id = 7');
        await fix.end();
      }
    },
  );
});

test('during the pass a DDL on a table already read goes through: a table is locked only while it is read', async () => {
  // No lock_timeout for this case: the pass waits on tags (read last) for as long as the locker holds it.
  await admin.query(`ALTER DATABASE prod SET lock_timeout = 0`);
  try {
    await withLocker((locker) =>
      withValidator({ concurrency: 1, parallelWorkers: 0 }, async ({ validator, logger, signal }) => {
        await locker.query('BEGIN');
        await locker.query('LOCK TABLE tags IN ACCESS EXCLUSIVE MODE');
        const prepared = await validator.prepare(plan(), logger, signal);
        await untilDrillWaitsOnLock();
        // The pass is still running (waiting on tags); customers and orders were read before it.
        await prod.query(`SET lock_timeout = '3s'`);
        await prod.query('ALTER TABLE customers ADD COLUMN during_pass int');
        await prod.query('ALTER TABLE customers DROP COLUMN during_pass');
        await prod.query('RESET lock_timeout');
        await locker.query('ROLLBACK');
        await passEnded(prepared);
        expect(await drillSessions()).toEqual([]);
      }),
    );
  } finally {
    await admin.query(`ALTER DATABASE prod SET lock_timeout = '300ms'`);
    await prod.query('RESET lock_timeout').catch(() => undefined);
  }
});

test('a table locked on production is retried once, then reported as not compared with the reason', async () => {
  await withLocker((locker) =>
    withValidator(
      { concurrency: 2, parallelWorkers: 0, lockRetryDelayMs: 0 },
      async ({ validator, logger, signal }) => {
        // A migration holds the table for longer than the lock_timeout, twice over.
        await locker.query('BEGIN');
        await locker.query('LOCK TABLE tags IN ACCESS EXCLUSIVE MODE');
        const prepared = await validator.prepare(plan(), logger, signal);
        await passEnded(prepared);
        await locker.query('ROLLBACK');
        const { checks } = await validator.validate(target(prepared.pinnedTime), logger, signal);
        const tags = byId(checks, 'checksums:public.tags');
        expect(tags.status).toBe('warn');
        expect(tags.summary).toMatch(/not compared/);
        expect(tags.summary).toMatch(/lock/);
        expect(tags.summary).toMatch(/retried once/);
        expect(byId(checks, 'counts:public.tags').status).toBe('warn');
        // The other tables were compared in the same snapshot.
        expect(byId(checks, 'checksums:public.orders').status).toBe('pass');
        expect(byId(checks, 'checksums:public.customers').status).toBe('pass');
      },
    ),
  );
});

test('a lock released before the retry: the table is compared', async () => {
  await withLocker((locker) =>
    withValidator({ concurrency: 1, parallelWorkers: 0 }, async ({ validator, logger, signal }) => {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE customers IN ACCESS EXCLUSIVE MODE');
      const prepared = await validator.prepare(plan(), logger, signal);
      // Released once the first attempt has timed out (customers is read first; orders is read after it).
      await waitFor(
        'the pass logging the lock on customers',
        () => logger.lines.some((l) => /lock/i.test(l) && /customers/.test(l)),
        { intervalMs: 20 },
      );
      await locker.query('ROLLBACK');
      await passEnded(prepared);
      const { checks } = await validator.validate(target(prepared.pinnedTime), logger, signal);
      expect(logger.lines.join('\n')).toMatch(/retr/i);
      expect(byId(checks, 'checksums:public.customers').status).toBe('pass');
    }),
  );
});

test('production killing the pass mid-way: the table read on it is not compared, never claimed', async () => {
  // No lock_timeout for this case: the pass waits on the lock until production kills it.
  await admin.query(`ALTER DATABASE prod SET lock_timeout = 0`);
  try {
    await withLocker((locker) =>
      withValidator({ concurrency: 1, parallelWorkers: 0 }, async ({ validator, logger, signal }) => {
        await locker.query('BEGIN');
        await locker.query('LOCK TABLE orders IN ACCESS EXCLUSIVE MODE');
        const prepared = await validator.prepare(plan(), logger, signal);
        await untilDrillWaitsOnLock();
        // Every session of the drill: the snapshot's own connection and the one waiting on orders.
        const { rowCount } = await admin.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE ${DRILL}`,
        );
        expect(rowCount).toBeGreaterThan(0);
        await locker.query('ROLLBACK');
        await prepared.productionPass;
        const { checks } = await validator.validate(target(prepared.pinnedTime), logger, signal);
        const orders = byId(checks, 'checksums:public.orders');
        expect(orders.status).not.toBe('pass');
        expect(orders.summary).toMatch(/not compared/);
        expect(byId(checks, 'counts:public.orders').status).not.toBe('pass');
        expect(await drillSessions()).toEqual([]);
      }),
    );
  } finally {
    await admin.query(`ALTER DATABASE prod SET lock_timeout = '300ms'`);
  }
});

test('idle_in_transaction_session_timeout on production does not end the snapshot mid-pass', async () => {
  await admin.query(`ALTER DATABASE prod SET idle_in_transaction_session_timeout = '200ms'`);
  try {
    await withLocker((locker) =>
      withValidator(
        { concurrency: 1, parallelWorkers: 0, lockRetryDelayMs: 1000 },
        async ({ validator, logger, signal }) => {
          await locker.query('SET idle_in_transaction_session_timeout = 0');
          // orders waits past lock_timeout and is retried a second later: the pass outlives the 200 ms timeout.
          await locker.query('BEGIN');
          await locker.query('LOCK TABLE orders IN ACCESS EXCLUSIVE MODE');
          const prepared = await validator.prepare(plan(), logger, signal);
          await passEnded(prepared);
          await locker.query('ROLLBACK');
          const { checks } = await validator.validate(target(prepared.pinnedTime), logger, signal);
          // Read after the snapshot's connection sat 200 ms in its transaction: still inside the snapshot.
          expect(byId(checks, 'checksums:public.tags').status).toBe('pass');
          expect(byId(checks, 'checksums:public.customers').status).toBe('pass');
          const orders = byId(checks, 'checksums:public.orders');
          expect(orders.status).toBe('warn');
          expect(orders.summary).toContain('stayed locked past lock_timeout (retried once)');
          expect(await drillSessions()).toEqual([]);
        },
      ),
    );
  } finally {
    await admin.query(`ALTER DATABASE prod RESET idle_in_transaction_session_timeout`);
  }
});

test('the production pass reports how long it ran and where, and warns on the writer', async () => {
  await withValidator({ concurrency: 2, parallelWorkers: 0 }, async ({ validator, logger, signal }) => {
    const prepared = await validator.prepare(plan(), logger, signal);
    await passEnded(prepared);
    const { checks } = await validator.validate(target(prepared.pinnedTime), logger, signal);
    const posture = byId(checks, 'posture:production-pass');
    expect(posture.status).toBe('warn');
    expect(posture.summary).toMatch(/writer/);
    expect(posture.summary).toMatch(/reader/);
    expect(typeof posture.measured).toBe('number');
  });
});
