/**
 * Every kind of relation a database holds, validated copy against production on a real PostgreSQL 15:
 * a partitioned table (partitioned index, default partition), an inheritance parent and child, an unlogged
 * table, materialized views (populated, with a btree index, and one WITH NO DATA), a table with a
 * generated column, awkward names (quotes, dots, spaces, upper case, and x."y.z" beside "x.y".z), and a
 * foreign table when postgres_fdw is available. A clean copy passes every check (or skips with its reason);
 * a corrupted row in each kind that is compared is caught, and only there.
 */
import pg from 'pg';
import { LocalServer } from '../../../src/db/local-server.js';
import { createValidator } from '../../../src/checks/validation.js';
import { memoryLogger } from '../../../src/log/logger.js';
import type { ValidationResult } from '../../../src/checks/validator.js';
import type { CheckResult, Target } from '../../../src/model/types.js';
import type { RestoreTestPlan } from '../../../src/inputs/plan-types.js';
import { validationPlan } from '../../support/validation-plan.js';

let server: LocalServer;
let admin: pg.Client;
let fdw = false;

const ODD = `"Odd.Schema"."Table ""quoted"" Name"`;
const ODD_KEY = `"Odd.Schema"."Table ""quoted"" Name"`;

const SEED = `
  CREATE TABLE events (id bigint, at timestamptz NOT NULL, kind text, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
  CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
  CREATE TABLE events_default PARTITION OF events DEFAULT;
  CREATE INDEX events_kind ON events (kind);
  INSERT INTO events SELECT g, timestamptz '2025-03-01' + g * interval '1 day', 'k' || (g % 5) FROM generate_series(1, 200) g;
  INSERT INTO events SELECT g, timestamptz '2027-01-01' + g * interval '1 hour', 'late' FROM generate_series(1, 40) g;

  CREATE TABLE animals (id int PRIMARY KEY, name text);
  CREATE TABLE dogs (breed text) INHERITS (animals);
  INSERT INTO animals SELECT g, 'animal ' || g FROM generate_series(1, 30) g;
  INSERT INTO dogs SELECT g, 'dog ' || g, 'breed ' || (g % 3) FROM generate_series(100, 120) g;

  CREATE UNLOGGED TABLE scratch (id serial PRIMARY KEY, v text);
  INSERT INTO scratch (v) SELECT 'v' || g FROM generate_series(1, 10) g;

  CREATE MATERIALIZED VIEW event_counts AS SELECT kind, count(*) AS n, max(at) AS newest FROM events GROUP BY kind;
  CREATE UNIQUE INDEX event_counts_kind ON event_counts (kind);
  CREATE MATERIALIZED VIEW later AS SELECT id, name FROM animals WITH NO DATA;
  CREATE INDEX later_id ON later (id);

  CREATE TABLE lines (id int PRIMARY KEY, qty int NOT NULL, price numeric(10, 2) NOT NULL,
                      total numeric GENERATED ALWAYS AS (qty * price) STORED);
  INSERT INTO lines SELECT g, g % 7 + 1, g * 1.25 FROM generate_series(1, 50) g;

  CREATE SCHEMA "Odd.Schema";
  CREATE TABLE ${ODD} ("Id" int PRIMARY KEY, "a.b c" text, "UPPER" int);
  INSERT INTO ${ODD} SELECT g, 'value ' || g, g * 2 FROM generate_series(1, 20) g;
  CREATE TABLE "Odd.Schema"."child of odd" (id int PRIMARY KEY, odd_id int REFERENCES ${ODD} ("Id"));
  INSERT INTO "Odd.Schema"."child of odd" SELECT g, g FROM generate_series(1, 20) g;

  CREATE SCHEMA x;
  CREATE SCHEMA "x.y";
  CREATE TABLE x."y.z" (id int PRIMARY KEY, v text);
  CREATE TABLE "x.y".z (id int PRIMARY KEY, v text);
  INSERT INTO x."y.z" SELECT g, 'same ' || g FROM generate_series(1, 10) g;
  INSERT INTO "x.y".z SELECT g, 'same ' || g FROM generate_series(1, 10) g;
`;

/** A foreign server nobody listens on: a drill that read the foreign table would fail to. */
const FOREIGN = (port: number): string => `
  CREATE EXTENSION postgres_fdw;
  CREATE SERVER elsewhere FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '127.0.0.1', port '${port}', dbname 'nowhere');
  CREATE USER MAPPING FOR CURRENT_USER SERVER elsewhere OPTIONS (user 'nobody');
  CREATE FOREIGN TABLE remote_orders (id int, amount numeric) SERVER elsewhere OPTIONS (table_name 'orders');
`;

beforeAll(async () => {
  server = await LocalServer.create();
  await server.start();
  admin = new pg.Client({ connectionString: server.url() });
  await admin.connect();
  const { rows } = await admin.query<{ n: string }>(
    `SELECT count(*)::text AS n FROM pg_available_extensions WHERE name = 'postgres_fdw'`,
  );
  fdw = rows[0]!.n === '1';
  await admin.query('CREATE DATABASE prod');
  const prod = new pg.Client({ connectionString: server.url('prod') });
  await prod.connect();
  try {
    await prod.query(SEED);
    // Port 1 on the loopback: nothing listens there.
    if (fdw) await prod.query(FOREIGN(1));
  } finally {
    await prod.end();
  }
});

afterAll(async () => {
  await admin?.end().catch(() => undefined);
  await server?.destroy();
});

function target(overrides: Partial<Target> = {}): Target {
  return {
    provider: 'aurora',
    restoredCluster: 'restore-proof-test',
    restoreType: 'latest',
    source: { identifier: 'prod', engine: 'aurora-postgresql' },
    copy: {},
    connection: {
      host: '127.0.0.1',
      port: server.port,
      database: 'copy',
      user: 'postgres',
      password: '',
      sslMode: 'disable',
    },
    ...overrides,
  };
}

/** A fresh copy of production (CREATE DATABASE ... TEMPLATE), then the case's damage. */
async function makeCopy(...mutations: string[]): Promise<void> {
  await admin.query('DROP DATABASE IF EXISTS copy WITH (FORCE)');
  await admin.query('CREATE DATABASE copy TEMPLATE prod');
  if (mutations.length === 0) return;
  const copy = new pg.Client({ connectionString: server.url('copy') });
  await copy.connect();
  try {
    for (const sql of mutations) await copy.query(sql);
  } finally {
    await copy.end();
  }
}

async function drill(
  planOverrides: Partial<RestoreTestPlan> = {},
  targetOverrides: Partial<Target> = {},
): Promise<ValidationResult> {
  const logger = memoryLogger();
  const validator = createValidator({ concurrency: 2, parallelWorkers: 0 });
  const signal = new AbortController().signal;
  try {
    const p = validationPlan(server.url('prod'), planOverrides);
    const prepared = await validator.prepare(p, logger, signal);
    const t = target({ restoreType: p.restoreType, ...targetOverrides });
    if (prepared.pinnedTime && !t.targetTime) t.targetTime = prepared.pinnedTime.toISOString();
    return await validator.validate(t, logger, signal);
  } finally {
    await validator.close();
  }
}

const byId = (checks: CheckResult[], id: string): CheckResult => {
  const c = checks.find((x) => x.id === id);
  if (!c) throw new Error(`no check ${id}; have ${checks.map((x) => x.id).join(', ')}`);
  return c;
};
/** Checks that did not pass or skip, but the production pass's posture (a warn: these tests read the writer). */
const bad = (checks: CheckResult[]): CheckResult[] =>
  checks.filter((c) => c.status !== 'pass' && c.status !== 'skip' && c.id !== 'posture:production-pass');
const failing = (checks: CheckResult[]): string[] =>
  checks.filter((c) => c.status === 'fail').map((c) => c.id);

/** Relations whose rows are compared: each must pass counts and checksums on a clean copy. */
const COMPARED = [
  'public.events_2025',
  'public.events_default',
  'public.animals',
  'public.dogs',
  'public.event_counts',
  'public.lines',
  ODD_KEY,
  `"Odd.Schema"."child of odd"`,
  'x."y.z"',
  '"x.y".z',
];

test('a clean copy of every relation kind passes, and what is not compared says why', async () => {
  await makeCopy();
  const { checks, dataLoss } = await drill();
  expect(bad(checks)).toEqual([]);
  for (const key of COMPARED) {
    expect(byId(checks, `counts:${key}`)).toMatchObject({ status: 'pass' });
    expect(byId(checks, `checksums:${key}`)).toMatchObject({ status: 'pass' });
  }
  // Inheritance parent: its own rows only (ONLY), its child's counted once, on the child.
  expect(byId(checks, 'counts:public.animals')).toMatchObject({ measured: 30 });
  expect(byId(checks, 'counts:public.dogs')).toMatchObject({ measured: 21 });
  // Partitions are counted once, on the partitions; the partitioned parent holds no rows of its own.
  expect(byId(checks, 'counts:public.events_2025')).toMatchObject({ measured: 200 });
  expect(byId(checks, 'counts:public.events_default')).toMatchObject({ measured: 40 });
  expect(checks.some((c) => c.id === 'counts:public.events')).toBe(false);
  expect(byId(checks, 'counts:public.event_counts')).toMatchObject({ measured: 6 });
  // Not compared, each with its reason.
  for (const family of ['counts', 'checksums']) {
    expect(byId(checks, `${family}:public.scratch`)).toMatchObject({ status: 'skip' });
    expect(byId(checks, `${family}:public.scratch`).summary).toMatch(/unlogged table.*not a backup failure/);
    expect(byId(checks, `${family}:public.later`)).toMatchObject({ status: 'skip' });
    expect(byId(checks, `${family}:public.later`).summary).toMatch(/materialized view not populated/);
    if (fdw) {
      expect(byId(checks, `${family}:public.remote_orders`)).toMatchObject({ status: 'skip' });
      expect(byId(checks, `${family}:public.remote_orders`).summary).toMatch(/foreign table/);
    }
  }
  // Integrity: every readable relation read (the foreign server is never contacted), every btree index
  // checked, including those of materialized views; partitioned indexes (no storage) are not an error.
  const read = byId(checks, 'integrity:read');
  expect(read).toMatchObject({ status: 'pass', measured: COMPARED.length });
  expect(byId(checks, 'integrity:amcheck')).toMatchObject({ status: 'pass' });
  expect(byId(checks, 'integrity:foreign-keys')).toMatchObject({ status: 'pass' });
  expect(byId(checks, 'integrity:sequences')).toMatchObject({ status: 'pass' });
  for (const kind of ['tables', 'columns', 'indexes', 'views', 'constraints'])
    expect(byId(checks, `schema:${kind}`)).toMatchObject({ status: 'pass' });
  expect(dataLoss).toMatchObject({ seconds: 0, behind: [], unmeasured: [] });
});

test('a corrupted row in each kind of relation is caught, and only there', async () => {
  await makeCopy(
    // The materialized view alone differs (same row count): refreshed while a base row was changed, the
    // row then put back.
    `UPDATE events SET kind = 'k2' WHERE id = 1 AND at < '2026-01-01'`,
    `REFRESH MATERIALIZED VIEW event_counts`,
    `UPDATE events SET kind = 'k1' WHERE id = 1 AND at < '2026-01-01'`,
    `UPDATE events SET kind = 'k9' WHERE id = 7 AND at < '2026-01-01'`,
    `UPDATE events_default SET kind = 'later' WHERE id = 3`,
    `UPDATE ONLY animals SET name = 'animal X' WHERE id = 5`,
    `UPDATE dogs SET breed = 'breed X' WHERE id = 101`,
    `UPDATE lines SET qty = qty + 1 WHERE id = 9`,
    `UPDATE ${ODD} SET "a.b c" = 'changed' WHERE "Id" = 4`,
    `UPDATE x."y.z" SET v = 'changed' WHERE id = 2`,
    `UPDATE scratch SET v = 'changed' WHERE id = 1`,
  );
  const { checks } = await drill();
  expect(failing(checks).sort()).toEqual(
    [
      'checksums:public.events_2025',
      'checksums:public.events_default',
      'checksums:public.animals',
      'checksums:public.dogs',
      'checksums:public.event_counts',
      'checksums:public.lines',
      `checksums:${ODD_KEY}`,
      'checksums:x."y.z"',
    ].sort(),
  );
  expect(byId(checks, 'checksums:"x.y".z')).toMatchObject({ status: 'pass' });
  expect(byId(checks, `checksums:"Odd.Schema"."child of odd"`)).toMatchObject({ status: 'pass' });
  // A materialized view's difference still fails, and names the one cause that is not the restore's.
  expect(byId(checks, 'checksums:public.event_counts').summary).toContain('REFRESH without CONCURRENTLY');
  // Unlogged: not compared whatever it holds, and said so.
  expect(byId(checks, 'checksums:public.scratch')).toMatchObject({ status: 'skip' });
});

test('a materialized view populated on production and not on the copy fails', async () => {
  await makeCopy(
    `DROP MATERIALIZED VIEW event_counts`,
    `CREATE MATERIALIZED VIEW event_counts AS SELECT kind, count(*) AS n, max(at) AS newest FROM events GROUP BY kind WITH NO DATA`,
    `CREATE UNIQUE INDEX event_counts_kind ON event_counts (kind)`,
  );
  const { checks } = await drill();
  const counts = byId(checks, 'counts:public.event_counts');
  expect(counts).toMatchObject({ status: 'fail' });
  expect(counts.summary).toContain('populated on production, not on the copy');
});

test('at a past point in time a materialized view is compared as drift: equal passes, a difference warns', async () => {
  const restorePoint = new Date(Date.now() - 1000);
  const pit = (): Promise<ValidationResult> =>
    drill(
      { restoreType: 'point-in-time', restoreTime: restorePoint },
      { restoreType: 'point-in-time', targetTime: restorePoint.toISOString() },
    );
  await makeCopy();
  const clean = await pit();
  expect(byId(clean.checks, 'checksums:public.event_counts')).toMatchObject({ status: 'pass' });
  expect(byId(clean.checks, 'counts:public.event_counts').summary).toContain('no watermark column');

  await makeCopy(`DELETE FROM events WHERE kind = 'late'`, `REFRESH MATERIALIZED VIEW event_counts`);
  const refreshed = await pit();
  const sums = byId(refreshed.checks, 'checksums:public.event_counts');
  expect(sums).toMatchObject({ status: 'warn' });
  expect(sums.summary).toContain('drift');
});
