/**
 * Validation sessions against a real PostgreSQL: row security never hides rows silently, settings that
 * change a value's text form are pinned, and every session is polite (lock_timeout, statement_timeout) and
 * visible (application_name with the run id).
 */
import pg from 'pg';
import { LocalServer } from '../../../src/db/local-server.js';
import { readTables, type TableInfo } from '../../../src/db/catalog.js';
import { fingerprintTable } from '../../../src/db/fingerprint.js';
import { openSession, safeError, stopOnAbort, type SessionOptions } from '../../../src/db/session.js';
import { compareTable, type Side } from '../../../src/checks/data.js';
import type { ConnectionSettings } from '../../../src/model/types.js';
import { waitFor } from '../../support/wait-for.js';

let server: LocalServer;
let admin: pg.Client;

const settings = (database: string, user = 'postgres'): ConnectionSettings => ({
  host: '127.0.0.1',
  port: server.port,
  database,
  user,
  password: '',
  sslMode: 'disable',
});
const session: SessionOptions = { parallelWorkers: 0 };

async function sql(database: string, ...statements: string[]): Promise<void> {
  const c = new pg.Client({ connectionString: server.url(database) });
  await c.connect();
  try {
    for (const s of statements) await c.query(s);
  } finally {
    await c.end();
  }
}

async function fingerprint(
  database: string,
  table: string,
  user = 'postgres',
  options: SessionOptions = session,
): Promise<{ count: bigint; sum: bigint }> {
  const client = await openSession(settings(database, user), options);
  try {
    const info = (await readTables(client)).find((t) => t.key === table);
    if (!info) throw new Error(`no table ${table}`);
    return await fingerprintTable(client, info);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  server = await LocalServer.create();
  await server.start();
  admin = new pg.Client({ connectionString: server.url() });
  await admin.connect();
  await admin.query('CREATE DATABASE prod');
});

afterAll(async () => {
  await admin?.end().catch(() => undefined);
  await server?.destroy();
});

test('a table row security would hide is an error naming the table and the fix, never a pass', async () => {
  await sql(
    'prod',
    'CREATE ROLE reader LOGIN',
    'CREATE TABLE accounts (id int PRIMARY KEY, owner text)',
    `INSERT INTO accounts VALUES (1, 'alice'), (2, 'bob')`,
    'ALTER TABLE accounts ENABLE ROW LEVEL SECURITY',
    'CREATE POLICY own_rows ON accounts USING (owner = current_user)',
    'GRANT SELECT ON accounts TO reader',
  );
  // The owner (here a superuser) reads every row.
  expect((await fingerprint('prod', 'public.accounts')).count).toBe(2n);

  // A non-owner without BYPASSRLS saw 0 rows on both sides, and the counts passed.
  const side = async (): Promise<Side> => {
    try {
      return { ok: await fingerprintTable(await reader(), accountsInfo!) };
    } catch (error) {
      return { error: safeError(error) };
    }
  };
  const clients: pg.Client[] = [];
  const reader = async (): Promise<pg.Client> => {
    const c = await openSession(settings('prod', 'reader'), session);
    clients.push(c);
    return c;
  };
  const accountsInfo: TableInfo | undefined = (await readTables(await reader())).find(
    (t) => t.key === 'public.accounts',
  );
  try {
    const production = await side();
    const copy = await side();
    const [counts, sums] = compareTable(
      'public.accounts',
      { kind: 'snapshot', at: new Date() },
      production,
      copy,
    );
    expect(counts.status).toBe('error');
    expect(sums.status).toBe('error');
    expect(counts.summary).toContain('public.accounts');
    expect(counts.summary).toContain('connect as the table owner or a role with BYPASSRLS');
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
});

test('a regclass column prints alike on both sides whatever their search_path', async () => {
  await sql(
    'prod',
    'CREATE SCHEMA app',
    'CREATE TABLE app.things (id int)',
    'CREATE TABLE registry (id int PRIMARY KEY, rel regclass)',
    `INSERT INTO registry VALUES (1, 'app.things')`,
  );
  await admin.query('CREATE DATABASE copy_path TEMPLATE prod');
  await admin.query('ALTER DATABASE copy_path SET search_path = app, public');
  const prod = await fingerprint('prod', 'public.registry');
  const copy = await fingerprint('copy_path', 'public.registry');
  expect(copy.count).toBe(1n);
  expect(copy.sum).toBe(prod.sum);
});

test('keys are unambiguous: x."y.z" and "x.y".z are two tables', async () => {
  await sql(
    'prod',
    'CREATE SCHEMA x',
    'CREATE SCHEMA "x.y"',
    'CREATE TABLE x."y.z" (id int)',
    'CREATE TABLE "x.y".z (id int)',
  );
  const client = await openSession(settings('prod'), session);
  try {
    const keys = (await readTables(client)).map((t) => t.key);
    expect(keys).toEqual(expect.arrayContaining(['x."y.z"', '"x.y".z', 'public.registry']));
    expect(new Set(keys).size).toBe(keys.length);
  } finally {
    await client.end();
  }
});

test('an inheritance parent counts only its own rows; its children count theirs', async () => {
  await sql(
    'prod',
    'CREATE TABLE measurements (id int, v int)',
    'CREATE TABLE measurements_2024 () INHERITS (measurements)',
    'INSERT INTO measurements VALUES (1, 1)',
    'INSERT INTO measurements_2024 VALUES (2, 2), (3, 3)',
  );
  expect((await fingerprint('prod', 'public.measurements')).count).toBe(1n);
  expect((await fingerprint('prod', 'public.measurements_2024')).count).toBe(2n);
});

test('a session shows itself in pg_stat_activity and bounds its lock waits and statements', async () => {
  const client = await openSession(settings('prod'), {
    ...session,
    runId: 'run-4711',
    statementTimeoutMs: 90_000,
    lockTimeoutMs: 300,
  });
  try {
    const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    const { rows } = await admin.query<{ application_name: string }>(
      'SELECT application_name FROM pg_stat_activity WHERE pid = $1',
      [pid],
    );
    expect(rows[0]?.application_name).toBe('restore-proof run-4711');
    const show = async (name: string): Promise<string> =>
      (await client.query<Record<string, string>>(`SHOW ${name}`)).rows[0]![name]!;
    expect(await show('statement_timeout')).toBe('90s');
    expect(await show('lock_timeout')).toBe('300ms');

    // A table locked by someone else: the read gives up after lock_timeout instead of queueing.
    const holder = new pg.Client({ connectionString: server.url('prod') });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE public.registry IN ACCESS EXCLUSIVE MODE');
      const info = { schema: 'public', name: 'registry', key: 'public.registry' } as const;
      await expect(
        fingerprintTable(client, {
          ...info,
          persistence: 'p',
          columns: [],
          primaryKey: [],
          sequences: [],
          estimatedRows: 0,
        }),
      ).rejects.toMatchObject({ code: '55P03' });
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
    }
  } finally {
    await client.end();
  }
});

test('without options a session still has a lock_timeout and the plain application name', async () => {
  const client = await openSession(settings('prod'), session);
  try {
    const lock = (await client.query<{ lock_timeout: string }>('SHOW lock_timeout')).rows[0]!.lock_timeout;
    expect(lock).toBe('5s');
    const name = (await client.query<{ n: string }>('SELECT current_setting($1) AS n', ['application_name']))
      .rows[0]!.n;
    expect(name).toBe('restore-proof');
  } finally {
    await client.end();
  }
});

test('on abort no statement starts: the running one is cancelled and the next, already queued, never reaches the server', async () => {
  // The next statement would wait behind a migration's lock: started after the abort, it would hold a
  // session on production until its lock_timeout, out of reach of the cancel already sent.
  await sql('prod', 'CREATE TABLE abort_next (id int)');
  const holder = new pg.Client({ connectionString: server.url('prod') });
  await holder.connect();
  await holder.query('BEGIN');
  await holder.query('LOCK TABLE abort_next IN ACCESS EXCLUSIVE MODE');
  const client = await openSession(settings('prod'), { ...session, lockTimeoutMs: 60_000 });
  const controller = new AbortController();
  try {
    const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    stopOnAbort(client, controller.signal);
    const running = client.query('SELECT pg_sleep(30)').then(
      () => 'finished',
      () => 'stopped',
    );
    const next = client.query('SELECT count(*) FROM abort_next').then(
      () => 'ran',
      () => 'refused',
    );
    const activity = async () =>
      (
        await admin.query<{ query: string; wait: string | null }>(
          'SELECT query, wait_event_type AS wait FROM pg_stat_activity WHERE pid = $1',
          [pid],
        )
      ).rows;
    await waitFor('the first statement running', async () =>
      (await activity()).some((r) => r.query.includes('pg_sleep')),
    );
    controller.abort();
    const seen: string[] = [];
    await waitFor(
      'the session gone from the server',
      async () => {
        const rows = await activity();
        seen.push(...rows.map((r) => r.query));
        return rows.length === 0;
      },
      { timeoutMs: 10_000 },
    );
    expect(seen.filter((q) => q.includes('abort_next'))).toEqual([]);
    expect(await running).toBe('stopped');
    expect(await next).toBe('refused');
  } finally {
    controller.abort();
    await holder.query('ROLLBACK').catch(() => undefined);
    await holder.end();
    await client.end().catch(() => undefined);
  }
});
