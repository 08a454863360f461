/**
 * amcheck against a real PostgreSQL when two drills check one database at once: a drill never drops the
 * extension another drill is using, and amcheck vanishing mid-check is an error, never a failing index.
 */
import pg from 'pg';
import { LocalServer } from '../../../src/db/local-server.js';
import { openSession } from '../../../src/db/session.js';
import { amcheckCheck, foreignKeysCheck } from '../../../src/checks/integrity.js';
import type { ConnectionSettings } from '../../../src/model/types.js';

let server: LocalServer;
let admin: pg.Client;

beforeAll(async () => {
  server = await LocalServer.create();
  await server.start();
  admin = new pg.Client({ connectionString: server.url() });
  await admin.connect();
  await admin.query('CREATE DATABASE app');
  const app = new pg.Client({ connectionString: server.url('app') });
  await app.connect();
  await app.query('CREATE TABLE items (id int PRIMARY KEY, name text)');
  await app.query('CREATE INDEX items_name ON items (name)');
  await app.query(`INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 1000) g`);
  await app.end();
});

afterAll(async () => {
  await admin?.end().catch(() => undefined);
  await server?.destroy();
});

const settings = (): ConnectionSettings => ({
  host: '127.0.0.1',
  port: server.port,
  database: 'app',
  user: 'postgres',
  password: '',
  sslMode: 'disable',
});
const open = (): Promise<pg.Client> => openSession(settings(), { parallelWorkers: 0 });

type Run = <T>(
  items: T[],
  fn: (client: pg.Client, item: T) => Promise<string | undefined>,
) => Promise<(string | undefined)[]>;

/** Runs the items on one session, after `before` resolves. */
const runAfter =
  (before: () => Promise<unknown>): Run =>
  async (items, fn) => {
    await before();
    const client = await open();
    try {
      const out: (string | undefined)[] = [];
      for (const item of items) out.push(await fn(client, item));
      return out;
    } finally {
      await client.end();
    }
  };

async function installed(): Promise<boolean> {
  const app = new pg.Client({ connectionString: server.url('app') });
  await app.connect();
  try {
    return (await app.query(`SELECT 1 FROM pg_extension WHERE extname = 'amcheck'`)).rowCount === 1;
  } finally {
    await app.end();
  }
}

afterEach(async () => {
  const app = new pg.Client({ connectionString: server.url('app') });
  await app.connect();
  await app.query('DROP EXTENSION IF EXISTS amcheck');
  await app.end();
});

test('the drill that created amcheck does not drop it while another drill uses it', async () => {
  // Drill A creates amcheck; while A checks, drill B starts and finds it installed; B's checks run only
  // after A has finished (and, before the fix, dropped the extension under B).
  let bStarted!: () => void;
  const bReady = new Promise<void>((resolve) => (bStarted = resolve));
  let b: Promise<Awaited<ReturnType<typeof amcheckCheck>>> | undefined;
  let aFinished!: () => void;
  const aDone = new Promise<void>((resolve) => (aFinished = resolve));

  const a = amcheckCheck(
    open,
    runAfter(async () => {
      b = amcheckCheck(
        open,
        runAfter(async () => {
          bStarted();
          await aDone;
        }),
      );
      await bReady;
    }),
  ).finally(() => aFinished());

  const ra = await a;
  const rb = await b!;
  expect(ra.status).toBe('pass');
  expect(rb).toMatchObject({ status: 'pass', measured: 2, expected: 2 });
  expect(ra.summary).toContain('left installed: another drill uses it');
  expect(await installed()).toBe(true);
});

test('amcheck dropped by someone else mid-check is an error, not failing indexes', async () => {
  const r = await amcheckCheck(
    open,
    runAfter(async () => {
      const app = new pg.Client({ connectionString: server.url('app') });
      await app.connect();
      await app.query('DROP EXTENSION amcheck');
      await app.end();
    }),
  );
  expect(r.status).toBe('error');
  expect(r.summary).toContain('dropped by another session');
});

test('a drill alone drops the amcheck it created, and never one it found', async () => {
  const alone = await amcheckCheck(
    open,
    runAfter(async () => undefined),
  );
  expect(alone.status).toBe('pass');
  expect(await installed()).toBe(false);

  const app = new pg.Client({ connectionString: server.url('app') });
  await app.connect();
  await app.query('CREATE EXTENSION amcheck');
  await app.end();
  const found = await amcheckCheck(
    open,
    runAfter(async () => undefined),
  );
  expect(found.status).toBe('pass');
  expect(await installed()).toBe(true);
});

test("rows of an inheritance child are not orphans of the parent's foreign key", async () => {
  const app = new pg.Client({ connectionString: server.url('app') });
  await app.connect();
  try {
    await app.query('CREATE TABLE owners (id int PRIMARY KEY)');
    await app.query('CREATE TABLE pets (id int, owner_id int REFERENCES owners)');
    // Foreign keys are not inherited: the archive may hold any owner_id.
    await app.query('CREATE TABLE pets_archive () INHERITS (pets)');
    await app.query('INSERT INTO owners VALUES (1)');
    await app.query('INSERT INTO pets VALUES (1, 1)');
    await app.query('INSERT INTO pets_archive VALUES (2, 99)');
    const check = (): ReturnType<typeof foreignKeysCheck> =>
      open().then((client) =>
        foreignKeysCheck(
          client,
          runAfter(async () => undefined),
          {},
          () => false,
        ).finally(() => client.end()),
      );
    expect(await check()).toMatchObject({ status: 'pass', measured: 0 });

    // A real orphan in the parent itself is still found.
    await app.query('SET session_replication_role = replica');
    await app.query('INSERT INTO pets VALUES (3, 42)');
    const orphan = await check();
    expect(orphan.status).toBe('fail');
    expect(orphan.summary).toContain('public.pets.pets_owner_id_fkey');
  } finally {
    await app.end();
  }
});
