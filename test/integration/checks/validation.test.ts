import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { LocalServer } from '../../../src/db/local-server.js';
import { createValidator, type ValidatorOptions } from '../../../src/checks/validation.js';
import { objectiveChecks } from '../../../src/checks/objectives.js';
import { parseChecksFile } from '../../../src/inputs/checks-file-schema.js';
import { memoryLogger } from '../../../src/log/logger.js';
import type { ValidationResult } from '../../../src/checks/validator.js';
import type { CheckResult, Target } from '../../../src/model/types.js';
import { copyTarget } from '../../support/validation-run.js';
import type { RestoreTestPlan } from '../../../src/inputs/plan-types.js';
import { validationPlan } from '../../support/validation-plan.js';

const SENTINEL = 'SENTINEL-9f3c2a71';
let server: LocalServer;
let admin: pg.Client;

const seedFile = fileURLToPath(new URL('../../fixtures/checks/seed.sql', import.meta.url));

beforeAll(async () => {
  server = await LocalServer.create();
  await server.start();
  admin = new pg.Client({ connectionString: server.url() });
  await admin.connect();
  await admin.query('CREATE DATABASE prod');
  const prod = new pg.Client({ connectionString: server.url('prod') });
  await prod.connect();
  await prod.query(await readFile(seedFile, 'utf8'));
  await prod.end();
});

afterAll(async () => {
  await admin?.end().catch(() => undefined);
  await server?.destroy();
});

function plan(overrides: Partial<RestoreTestPlan> = {}): RestoreTestPlan {
  return validationPlan(server.url('prod'), overrides);
}

function target(overrides: Partial<Target> = {}): Target {
  return { ...copyTarget(server, undefined), ...overrides };
}

/** A fresh copy of production (CREATE DATABASE ... TEMPLATE), then the case's damage. */
async function makeCopy(...mutations: string[]): Promise<void> {
  await admin.query('DROP DATABASE IF EXISTS copy WITH (FORCE)');
  await admin.query('CREATE DATABASE copy TEMPLATE prod');
  if (mutations.length === 0) return;
  const copy = new pg.Client({ connectionString: server.url('copy') });
  await copy.connect();
  for (const sql of mutations) await copy.query(sql);
  await copy.end();
}

async function drill(
  planOverrides: Partial<RestoreTestPlan> = {},
  targetOverrides: Partial<Target> = {},
  options: ValidatorOptions = {},
): Promise<ValidationResult & { pinnedTime?: Date; lines: string[] }> {
  const logger = memoryLogger();
  const validator = createValidator({ concurrency: 2, parallelWorkers: 0, ...options });
  const signal = new AbortController().signal;
  try {
    const p = plan(planOverrides);
    const prepared = await validator.prepare(p, logger, signal);
    const t = target({ restoreType: p.restoreType, ...targetOverrides });
    if (prepared.pinnedTime && !t.targetTime) t.targetTime = prepared.pinnedTime.toISOString();
    const out = await validator.validate(t, logger, signal);
    return { ...out, pinnedTime: prepared.pinnedTime, lines: logger.lines };
  } finally {
    await validator.close();
  }
}

const byId = (checks: CheckResult[], id: string): CheckResult => {
  const c = checks.find((x) => x.id === id);
  if (!c) throw new Error(`no check ${id}; have ${checks.map((x) => x.id).join(', ')}`);
  return c;
};
/** Checks that did not pass, but the production pass's posture (a warn: these tests read the writer). */
const bad = (checks: CheckResult[]): CheckResult[] =>
  checks.filter((c) => c.status !== 'pass' && c.status !== 'skip' && c.id !== 'posture:production-pass');

test('a clean copy passes with no warn', async () => {
  await makeCopy();
  const { checks, newestDataAt, dataLoss, pinnedTime } = await drill();
  expect(bad(checks)).toEqual([]);
  expect(byId(checks, 'posture:production-pass')).toMatchObject({ status: 'warn' });
  // Closed to every role but the drill's own (none other can log in here).
  expect(byId(checks, 'access:copy-closed')).toMatchObject({ status: 'pass', measured: 0 });
  expect(dataLoss).toMatchObject({ seconds: 0, behind: [], unmeasured: [] });
  for (const id of [
    'counts:public.orders',
    'checksums:public.orders',
    'checksums:public.customers',
    'checksums:public.tags',
    'schema:indexes',
    'schema:columns',
    'access:roles',
    'access:table-privileges',
    'integrity:read',
    'integrity:amcheck',
    'integrity:sequences',
    'integrity:foreign-keys',
  ]) {
    expect(byId(checks, id).status).toBe('pass');
  }
  expect(byId(checks, 'counts:public.scratch')).toMatchObject({ status: 'skip' });
  expect(byId(checks, 'counts:public.scratch').summary).toContain('unlogged');
  for (const c of checks) expect(c.durationMs).toBeGreaterThanOrEqual(0);
  expect(newestDataAt).toBeDefined();
  const objectives = objectiveChecks({
    restoreSeconds: 120,
    targetTime: pinnedTime,
    newestDataAt,
    dataLoss,
    restorableWaitSeconds: 30,
    maxRestoreMinutes: 60,
    maxDataLossMinutes: 5,
  });
  expect(objectives.checks.map((c) => c.status)).toEqual(['pass', 'pass']);
  expect(objectives.rpo).toMatchObject({ measuredSeconds: 30, met: true });
});

test('a quiet production, its newest row a day old: an identical copy lost nothing', async () => {
  await admin.query('DROP DATABASE IF EXISTS quiet WITH (FORCE)');
  await admin.query('CREATE DATABASE quiet TEMPLATE prod');
  const quiet = new pg.Client({ connectionString: server.url('quiet') });
  await quiet.connect();
  await quiet.query(
    "UPDATE orders SET created_at = created_at - interval '1 day', updated_at = updated_at - interval '1 day'",
  );
  await quiet.query("UPDATE customers SET created_at = created_at - interval '1 day'");
  await quiet.end();
  await admin.query('DROP DATABASE IF EXISTS copy WITH (FORCE)');
  await admin.query('CREATE DATABASE copy TEMPLATE quiet');
  const { checks, newestDataAt, dataLoss, pinnedTime } = await drill({
    production: validationPlan(server.url('quiet')).production,
  });
  expect(bad(checks)).toEqual([]);
  const inputs = {
    restoreSeconds: 100,
    targetTime: pinnedTime,
    newestDataAt,
    restorableWaitSeconds: 5,
    maxRestoreMinutes: 60,
    maxDataLossMinutes: 5,
  };
  const measured = objectiveChecks({ ...inputs, dataLoss });
  expect(measured.checks[1]).toMatchObject({ id: 'objectives:rpo', status: 'pass', measured: 5 });
  expect(measured.dataLossSeconds).toBe(5);
  // From the copy alone the day-old newest row is only an upper bound: said, and not a fail.
  const bound = objectiveChecks(inputs);
  expect(bound.checks[1].status).toBe('warn');
  expect(bound.checks[1].summary).toContain('at most');
  expect(bound.dataLossSeconds).toBeGreaterThan(86_400);
  await admin.query('DROP DATABASE quiet WITH (FORCE)');
});

test.each([
  ['a deleted row', ['DELETE FROM orders WHERE id = 5'], ['counts:public.orders', 'checksums:public.orders']],
  [
    'a changed value with the same row count',
    ['UPDATE orders SET amount = amount + 1 WHERE id = 7'],
    ['checksums:public.orders'],
  ],
  ['a dropped index', ['DROP INDEX orders_status_idx'], ['schema:indexes']],
  [
    'a changed column type',
    ['ALTER TABLE customers ALTER COLUMN email TYPE varchar(200)'],
    ['schema:columns'],
  ],
  ['a missing role grant', ['REVOKE SELECT ON orders FROM reporting'], ['access:table-privileges']],
  ['a sequence behind its column', ["SELECT setval('orders_id_seq', 10)"], ['integrity:sequences']],
  [
    'an orphaned foreign key',
    [
      'ALTER TABLE orders DISABLE TRIGGER ALL',
      'UPDATE orders SET customer_id = 99999 WHERE id = 11',
      'ALTER TABLE orders ENABLE TRIGGER ALL',
    ],
    ['integrity:foreign-keys'],
  ],
  [
    'a changed row in a table without a primary key',
    ["UPDATE tags SET weight = 0 WHERE label = 'tag 3'"],
    ['checksums:public.tags'],
  ],
])('catches %s', async (_name, mutations, failing) => {
  await makeCopy(...mutations);
  const { checks, lines } = await drill();
  for (const id of failing) expect(byId(checks, id).status).toBe('fail');
  // Nothing else fails for the wrong reason.
  const expectedIds = new Set(failing);
  const others = bad(checks).filter((c) => !expectedIds.has(c.id));
  if (_name === 'an orphaned foreign key') {
    expect(others.map((c) => c.id)).toEqual(['checksums:public.orders']);
  } else {
    expect(others).toEqual([]);
  }
  expect(JSON.stringify(checks)).not.toContain(SENTINEL);
  expect(lines.join('\n')).not.toContain(SENTINEL);
});

test('a changed value is narrowed to its primary-key bucket (production bucketed in its one pass)', async () => {
  await makeCopy('UPDATE orders SET amount = amount + 1 WHERE id = 7');
  const { checks } = await drill();
  const c = byId(checks, 'checksums:public.orders');
  expect(c.summary).toMatch(/1 primary key hash bucket differ \(\d+\); row count 0/);
  expect(byId(checks, 'counts:public.orders').status).toBe('pass');
});

test('a copy older than the restore point loses data above target', async () => {
  // The copy lacks the last two hours of writes: it is older than the restore point.
  await makeCopy(
    "DELETE FROM orders WHERE created_at > now() - interval '120 minutes'",
    "DELETE FROM customers WHERE created_at > now() - interval '120 minutes'",
  );
  const { checks, newestDataAt, dataLoss, pinnedTime } = await drill();
  expect(byId(checks, 'counts:public.orders').status).toBe('fail');
  expect(dataLoss?.behind.map((b) => b.table)).toEqual(['public.orders']);
  const objectives = objectiveChecks({
    restoreSeconds: 100,
    targetTime: pinnedTime,
    newestDataAt,
    dataLoss,
    restorableWaitSeconds: 5,
    maxRestoreMinutes: 60,
    maxDataLossMinutes: 5,
  });
  const rpo = objectives.checks[1];
  expect(rpo.id).toBe('objectives:rpo');
  expect(rpo.status).toBe('fail');
  // The copy lacks production's last two hours of orders (one a minute).
  expect(objectives.dataLossSeconds).toBeGreaterThan(7000);
  expect(objectives.rpo.met).toBe(false);
});

test('sentinel row values never reach a check result or a log line', async () => {
  await makeCopy(
    `UPDATE customers SET name = name || 'x' WHERE name = '${SENTINEL}'`,
    `UPDATE orders SET payload = jsonb_build_object('note', '${SENTINEL}-changed') WHERE id = 50`,
  );
  const checksFile = parseChecksFile(`
checks:
  - name: sentinel-text
    query: SELECT name FROM customers WHERE id = 1
    expect: { equals: "nope" }
  - name: sentinel-cast
    query: SELECT name::int FROM customers WHERE id = 1
    expect: { min: 1 }
  - name: sentinel-production
    query: SELECT name, email FROM customers ORDER BY id LIMIT 3
    expect: { matches-production: true }
`);
  const { checks, lines } = await drill(
    { smokeCommand: `psql -X -At -c "SELECT name FROM customers WHERE id = 1"; psql -X -At -c "SELECT 1/0"` },
    {},
    { checksFile },
  );
  expect(byId(checks, 'checksums:public.customers').status).toBe('fail');
  expect(byId(checks, 'custom:sentinel-text').status).toBe('fail');
  expect(byId(checks, 'custom:sentinel-cast').status).toBe('error');
  expect(byId(checks, 'custom:sentinel-production').status).toBe('fail');
  expect(byId(checks, 'smoke:command').status).toBe('fail');
  const everything = JSON.stringify(checks) + '\n' + lines.join('\n');
  expect(everything).not.toContain(SENTINEL);
  expect(everything).not.toContain('9f3c2a71');
});

test('custom checks and the smoke command run against the copy', async () => {
  await makeCopy();
  const checksFile = parseChecksFile(`
checks:
  - name: orders-count
    query: SELECT count(*) FROM orders
    expect: { equals: 2999 }
  - name: open-orders
    query: SELECT count(*) FROM open_orders
    expect: { min: 100, max: 2000 }
  - name: totals-match
    query: SELECT customer_id, order_total(customer_id) FROM orders GROUP BY 1 ORDER BY 1
    expect: { matches-production: true }
`);
  const { checks } = await drill(
    {
      smokeCommand:
        'test "$PGDATABASE" = copy && test -n "$DATABASE_URL" && psql -X -q -c "SELECT 1" >/dev/null',
    },
    {},
    { checksFile },
  );
  expect(byId(checks, 'custom:orders-count')).toMatchObject({ status: 'pass', measured: 2999 });
  expect(byId(checks, 'custom:open-orders').status).toBe('pass');
  expect(byId(checks, 'custom:totals-match').status).toBe('pass');
  expect(byId(checks, 'smoke:command')).toMatchObject({ status: 'pass', measured: 0 });
});

test('a past point in time compares rows up to the restore point while production moves on', async () => {
  await makeCopy();
  const restorePoint = new Date(Date.now() - 1000);
  const prod = new pg.Client({ connectionString: server.url('prod') });
  await prod.connect();
  try {
    // Production moves on after the restore point.
    await prod.query(
      `INSERT INTO orders (customer_id, amount, status, created_at, updated_at) VALUES (1, 5, 'open', now(), now())`,
    );
    await prod.query(`INSERT INTO tags VALUES ('late tag', 1, true)`);
    const { checks } = await drill(
      { restoreType: 'point-in-time', restoreTime: restorePoint },
      { restoreType: 'point-in-time', targetTime: restorePoint.toISOString() },
    );
    expect(byId(checks, 'checksums:public.orders').status).toBe('pass');
    expect(byId(checks, 'counts:public.orders').summary).toContain('updated_at <= restore point');
    const tags = byId(checks, 'checksums:public.tags');
    expect(tags.status).toBe('warn');
    expect(byId(checks, 'counts:public.tags')).toMatchObject({ status: 'warn', measured: 50, expected: 51 });
  } finally {
    await prod.query(`DELETE FROM orders WHERE created_at > now() - interval '1 hour' AND payload IS NULL`);
    await prod.query(`DELETE FROM tags WHERE label = 'late tag'`);
    await prod.query(`SELECT setval('orders_id_seq', (SELECT max(id) FROM orders))`);
    await prod.end();
  }
});

test('a past point in time: NULL watermarks and restore-day dates are counted as not compared; rows deleted after it warn, changed rows fail', async () => {
  // One connection per statement: the copy is made from production as a template, which needs it idle.
  const setup = {
    query: async (sql: string, params: unknown[] = []): Promise<void> => {
      const c = new pg.Client({ connectionString: server.url('prod') });
      await c.connect();
      await c.query(sql, params).finally(() => c.end());
    },
  };
  const restorePoint = new Date(Date.now() - 60_000);
  try {
    // events: a nullable created_at-style watermark; visits: a date watermark (created_on).
    await setup.query(`CREATE TABLE events (id int PRIMARY KEY, kind text, created_at timestamptz)`);
    await setup.query(
      `INSERT INTO events SELECT g, 'k' || g, CASE WHEN g % 10 = 0 THEN NULL ELSE now() - interval '2 days' + g * interval '1 minute' END FROM generate_series(1, 100) g`,
    );
    await setup.query(`CREATE TABLE visits (id int PRIMARY KEY, created_on date NOT NULL)`);
    await setup.query(`INSERT INTO visits SELECT g, $1::date - (g % 3) FROM generate_series(1, 30) g`, [
      restorePoint.toISOString().slice(0, 10),
    ]);
    await makeCopy('UPDATE events SET kind = kind WHERE id = 1');
    // After the restore point, production: deletes two events (the plan's scenario 1) and records a visit
    // dated the restore day.
    await setup.query('DELETE FROM events WHERE id IN (3, 4)');
    await setup.query(`INSERT INTO visits VALUES (31, $1::date)`, [restorePoint.toISOString().slice(0, 10)]);
    const pit = async (): Promise<CheckResult[]> =>
      (
        await drill(
          { restoreType: 'point-in-time', restoreTime: restorePoint },
          { restoreType: 'point-in-time', targetTime: restorePoint.toISOString() },
        )
      ).checks;
    let checks = await pit();
    const events = byId(checks, 'checksums:public.events');
    expect(events.status).toBe('warn');
    expect(events.summary).toContain('only extra rows on the copy');
    expect(events.summary).toContain('10 rows with NULL created_at on the copy not compared');
    expect(events.summary).toContain('10 rows with NULL created_at on production not compared');
    expect(byId(checks, 'counts:public.events')).toMatchObject({
      status: 'warn',
      measured: 90,
      expected: 88,
    });
    const visits = byId(checks, 'checksums:public.visits');
    expect(visits.status).toBe('pass');
    expect(byId(checks, 'counts:public.visits').summary).toMatch(
      /\d+ rows on the copy dated the restore day not compared/,
    );

    // A changed row still fails, deletions after the restore point or not.
    await makeCopy("UPDATE events SET kind = 'changed' WHERE id = 7");
    checks = await pit();
    expect(byId(checks, 'checksums:public.events').status).toBe('fail');
  } finally {
    await setup.query('DROP TABLE IF EXISTS events, visits');
  }
});

test('without production-url the comparisons skip with the reason and the copy checks still run', async () => {
  await makeCopy("SELECT setval('orders_id_seq', 10)");
  const { checks } = await drill({ production: undefined });
  expect(byId(checks, 'counts:public.orders')).toMatchObject({ status: 'skip', measured: 2999 });
  expect(byId(checks, 'counts:public.orders').summary).toContain('no production-url');
  expect(byId(checks, 'schema:all').status).toBe('skip');
  expect(byId(checks, 'integrity:sequences').status).toBe('fail');
  expect(byId(checks, 'integrity:read').status).toBe('pass');
});

test('an unreachable copy is an error check, not a throw', async () => {
  const { checks } = await drill(
    { production: undefined },
    {
      connection: {
        host: '127.0.0.1',
        port: 1,
        database: 'copy',
        user: 'postgres',
        password: 'pw-secret-1',
        sslMode: 'disable',
      },
    },
  );
  const c = byId(checks, 'integrity:connect');
  expect(c.status).toBe('error');
  expect(JSON.stringify(checks)).not.toContain('pw-secret-1');
});
