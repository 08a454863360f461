/**
 * The bench's data: a realistic schema (uuid, text, numeric, timestamptz, jsonb; several tables) seeded with
 * N rows in total, and the server settings every bench runs with. Shared by validation.ts and profile.ts.
 */
import pg from 'pg';
import { LocalServer } from '../src/db/local-server.js';

export const TABLES = [
  { name: 'customers', share: 0.1 },
  { name: 'orders', share: 0.3 },
  { name: 'events', share: 0.45 },
  { name: 'documents', share: 0.15 },
];

export async function seed(url: string, rows: number): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const n = (name: string): number =>
    Math.max(1, Math.round(rows * TABLES.find((t) => t.name === name)!.share));
  await c.query(`
    CREATE TABLE customers (id uuid PRIMARY KEY, name text NOT NULL, email text, balance numeric(14, 2),
                            created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL);
    CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, customer_id uuid NOT NULL, amount numeric(12, 2) NOT NULL,
                         status text NOT NULL, payload jsonb, created_at timestamptz NOT NULL);
    CREATE TABLE events (id uuid PRIMARY KEY, kind text NOT NULL, value numeric, at timestamptz NOT NULL, data jsonb NOT NULL);
    CREATE TABLE documents (id bigint PRIMARY KEY, title text NOT NULL, body text NOT NULL, meta jsonb, created_at timestamptz NOT NULL);
    CREATE INDEX orders_customer_idx ON orders (customer_id);
    CREATE INDEX events_at_idx ON events (at);`);
  await c.query(`
    INSERT INTO customers SELECT md5('c' || g)::uuid, 'customer ' || g, 'c' || g || '@example.com', (g % 100000) / 7.0,
      timestamptz '2024-01-01' + g * interval '1 second', timestamptz '2024-06-01' + g * interval '1 second'
      FROM generate_series(1, ${n('customers')}) g`);
  await c.query(`
    INSERT INTO orders (customer_id, amount, status, payload, created_at)
    SELECT md5('c' || (1 + g % ${n('customers')}))::uuid, (g % 100000) / 100.0, (ARRAY['new', 'paid', 'shipped', 'closed'])[1 + g % 4],
      jsonb_build_object('items', 1 + g % 9, 'channel', CASE WHEN g % 2 = 0 THEN 'web' ELSE 'store' END, 'coupon', g % 13 = 0),
      timestamptz '2024-01-01' + g * interval '2 seconds'
      FROM generate_series(1, ${n('orders')}) g`);
  await c.query(`
    INSERT INTO events SELECT md5('e' || g)::uuid, (ARRAY['view', 'click', 'buy', 'login', 'logout'])[1 + g % 5], g / 3.0,
      timestamptz '2024-01-01' + g * interval '1 second',
      jsonb_build_object('session', md5(g::text), 'n', g, 'tags', jsonb_build_array('a', g % 10, 'b'))
      FROM generate_series(1, ${n('events')}) g`);
  await c.query(`
    INSERT INTO documents SELECT g, 'document ' || g, repeat(md5(g::text), 3), jsonb_build_object('v', g % 7, 'lang', 'en'),
      timestamptz '2024-01-01' + g * interval '3 seconds'
      FROM generate_series(1, ${n('documents')}) g`);
  await c.query('VACUUM ANALYZE');
  await c.end();
}

/** A local server with room for the bench's pages in memory, and a `prod` database seeded with `rows`. */
export async function seededServer(
  rows: number,
  workers: number,
): Promise<{ server: LocalServer; size: string }> {
  const server = await LocalServer.create({
    settings: {
      shared_buffers: "'1GB'",
      max_parallel_workers_per_gather: workers,
      max_wal_size: "'4GB'",
      checkpoint_timeout: "'30min'",
    },
  });
  await server.start();
  try {
    const admin = new pg.Client({ connectionString: server.url() });
    await admin.connect();
    await admin.query('CREATE DATABASE prod');
    await seed(server.url('prod'), rows);
    const { rows: size } = await admin.query<{ s: string }>(
      `SELECT pg_size_pretty(pg_database_size('prod')) AS s`,
    );
    await admin.end();
    return { server, size: size[0]!.s };
  } catch (error) {
    await server.destroy();
    throw error;
  }
}
