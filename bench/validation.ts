/**
 * npm run bench [-- --rows N] [-- --concurrency C] [-- --workers W]
 *
 * Builds a realistic schema (uuid, text, numeric, timestamptz, jsonb; several tables; N rows in total,
 * default 5 million) in two databases of one local PostgreSQL server, then measures on the same data:
 *   floor        SELECT count(*) over every table, both sides
 *   pg row hash  sum(hash_record_extended(row, 0)) per table, both sides: PostgreSQL's own row hash, the
 *                engine's limit for a server-side checksum (weaker than ours: it folds equal-comparing values)
 *   restore-proof  full validation (counts + checksums + schema), both sides, through the real Validator
 *   data-diff    sum(('x' || substring(md5(row_text), 21))::bit(48)::bigint) per table, both sides
 * and prints their ratios, the peak RSS of this process during each phase, and the bytes it received
 * from the database. Every phase uses the same pool (C tables at a time per side, both sides at once)
 * and the same server-side parallelism (W workers per query).
 */
import { tmpdir } from 'node:os';
import pg from 'pg';
import { LocalServer } from '../src/db/local-server.js';
import { createValidator } from '../src/checks/validation.js';
import { streamLogger } from '../src/log/logger.js';
import type { Target } from '../src/model/types.js';
import { buildRestoreTestPlan } from '../src/inputs/plan.js';

interface Args {
  rows: number;
  concurrency: number;
  workers: number;
  repeat: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { rows: 5_000_000, concurrency: 4, workers: 2, repeat: 1 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split('=');
    const value = inline ?? argv[++i];
    const n = Number(value?.replace(/_/g, ''));
    if (!Number.isFinite(n) || n < 0) throw new Error(`${flag}: expected a number`);
    if (flag === '--rows') args.rows = Math.floor(n);
    else if (flag === '--concurrency') args.concurrency = Math.max(1, Math.floor(n));
    else if (flag === '--workers') args.workers = Math.floor(n);
    else if (flag === '--repeat') args.repeat = Math.max(1, Math.floor(n));
    else throw new Error(`unknown flag ${flag} (accepts --rows, --concurrency, --workers, --repeat)`);
  }
  return args;
}

/** Every pg.Client this process opens, so the bytes it received can be summed per phase. */
const clients = new Set<pg.Client>();
const originalConnect = pg.Client.prototype.connect;
pg.Client.prototype.connect = function (this: pg.Client, ...rest: unknown[]) {
  clients.add(this);
  return (originalConnect as unknown as (...a: unknown[]) => Promise<void>).apply(this, rest);
} as unknown as typeof pg.Client.prototype.connect;
const bytesReceived = (): number => {
  let n = 0;
  for (const c of clients)
    n +=
      (c as unknown as { connection?: { stream?: { bytesRead?: number } } }).connection?.stream?.bytesRead ??
      0;
  return n;
};

interface Measure {
  seconds: number;
  peakRssMb: number;
  bytes: number;
}

async function measure(fn: () => Promise<void>): Promise<Measure> {
  clients.clear();
  global.gc?.();
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  const started = process.hrtime.bigint();
  try {
    await fn();
  } finally {
    clearInterval(sampler);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  peak = Math.max(peak, process.memoryUsage().rss);
  return { seconds, peakRssMb: peak / 1024 / 1024, bytes: bytesReceived() };
}

const TABLES = [
  { name: 'customers', share: 0.1 },
  { name: 'orders', share: 0.3 },
  { name: 'events', share: 0.45 },
  { name: 'documents', share: 0.15 },
];

async function seed(url: string, rows: number): Promise<void> {
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

async function eachTable(
  urls: string[],
  concurrency: number,
  workers: number,
  sql: (table: { name: string; columns: string[] }) => string,
): Promise<void> {
  await Promise.all(
    urls.map(async (url) => {
      const meta = new pg.Client({ connectionString: url });
      await meta.connect();
      const { rows } = await meta.query<{ name: string; columns: string[] }>(`
        SELECT c.relname AS name, array_agg(a.attname::text ORDER BY a.attnum) AS columns
          FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
         WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' GROUP BY 1 ORDER BY 1`);
      await meta.end();
      let next = 0;
      await Promise.all(
        Array.from({ length: Math.min(concurrency, rows.length) }, async () => {
          const c = new pg.Client({ connectionString: url });
          await c.connect();
          await c.query(`SET max_parallel_workers_per_gather = ${workers}; SET jit = off`);
          while (next < rows.length) {
            const table = rows[next++]!;
            await c.query(sql(table));
          }
          await c.end();
        }),
      );
    }),
  );
}

const pgRowHashSql = (t: { name: string }): string =>
  `SELECT count(*), sum(pg_catalog.hash_record_extended(t, 0)) FROM "${t.name}" t`;

const dataDiffSql = (t: { name: string; columns: string[] }): string =>
  `SELECT sum(('x' || substring(md5(concat(${t.columns.map((c) => `"${c}"::text`).join(', ')})), 21))::bit(48)::bigint) FROM "${t.name}"`;

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const log = (line: string): void => void process.stdout.write(`${line}\n`);
  const server = await LocalServer.create({
    settings: {
      shared_buffers: "'1GB'",
      max_parallel_workers_per_gather: args.workers,
      max_wal_size: "'4GB'",
      checkpoint_timeout: "'30min'",
    },
  });
  await server.start();
  try {
    const admin = new pg.Client({ connectionString: server.url() });
    await admin.connect();
    await admin.query('CREATE DATABASE prod');
    const t0 = Date.now();
    await seed(server.url('prod'), args.rows);
    await admin.query('CREATE DATABASE copy TEMPLATE prod');
    const { rows: size } = await admin.query<{ s: string }>(
      `SELECT pg_size_pretty(pg_database_size('prod')) AS s`,
    );
    await admin.end();
    log(
      `seeded ${args.rows} rows in ${TABLES.length} tables (${size[0]!.s} per database) in ${((Date.now() - t0) / 1000).toFixed(1)}s`,
    );

    const urls = [server.url('prod'), server.url('copy')];
    // Warm both databases' pages into memory so no phase pays for the first read.
    await eachTable(urls, args.concurrency, args.workers, (t) => `SELECT count(*) FROM "${t.name}"`);

    const plan = buildRestoreTestPlan(
      {
        provider: 'local-pitr',
        'backup-dir': tmpdir(),
        'wal-archive-dir': tmpdir(),
        'production-url': server.url('prod'),
        'ssl-mode': 'disable',
        'max-restore-minutes': '60',
        'max-data-loss-minutes': '60',
        'timeout-minutes': '60',
        cadence: 'bench',
      },
      {},
    );
    const target: Target = {
      provider: 'local-pitr',
      restoredCluster: 'restore-proof-bench',
      restoreType: 'latest',
      source: { identifier: 'bench', engine: 'postgres' },
      copy: {},
      connection: {
        host: '127.0.0.1',
        port: server.port,
        database: 'copy',
        user: 'postgres',
        password: '',
        sslMode: 'disable',
      },
    };
    const quiet = streamLogger(() => undefined);
    let failing: string[] = [];
    const validation = async (): Promise<void> => {
      const validator = createValidator({
        concurrency: args.concurrency,
        parallelWorkers: args.workers,
        checksFile: { checks: [], amcheck: false, 'foreign-keys': { enabled: false } },
      });
      const signal = new AbortController().signal;
      const prepared = await validator.prepare(plan, quiet, signal);
      const out = await validator.validate(
        { ...target, targetTime: prepared.pinnedTime?.toISOString() },
        quiet,
        signal,
      );
      await validator.close();
      failing = out.checks
        .filter((c) => c.status !== 'pass' && c.status !== 'skip')
        .map((c) => `${c.id} ${c.status}`);
    };

    const best = async (fn: () => Promise<void>): Promise<Measure> => {
      let result: Measure | undefined;
      for (let i = 0; i < args.repeat; i++) {
        const m = await measure(fn);
        if (!result || m.seconds < result.seconds) result = m;
      }
      return result!;
    };
    const floor = await best(() =>
      eachTable(urls, args.concurrency, args.workers, (t) => `SELECT count(*) FROM "${t.name}"`),
    );
    const rowHash = await best(() => eachTable(urls, args.concurrency, args.workers, pgRowHashSql));
    const ours = await best(validation);
    const dataDiff = await best(() => eachTable(urls, args.concurrency, args.workers, dataDiffSql));
    if (failing.length) log(`warning: validation reported ${failing.join(', ')}`);

    const row = (name: string, m: Measure): string =>
      `${name.padEnd(34)} ${m.seconds.toFixed(2).padStart(8)} s  ${m.peakRssMb.toFixed(1).padStart(7)} MB peak RSS  ${String(m.bytes).padStart(10)} bytes received`;
    log(
      `rows ${args.rows}, ${args.concurrency} tables at a time per side, ${args.workers} parallel workers per query, best of ${args.repeat}`,
    );
    log(row('floor: count(*), both sides', floor));
    log(row('pg row hash (hash_record_extended)', rowHash));
    log(row('restore-proof validation, both', ours));
    log(row('data-diff md5 checksum, both', dataDiff));
    log(`validation / floor      ${(ours.seconds / floor.seconds).toFixed(2)}x`);
    log(`validation / pg row hash ${(ours.seconds / rowHash.seconds).toFixed(2)}x  (goal <= 1.5x)`);
    log(`data-diff / validation  ${(dataDiff.seconds / ours.seconds).toFixed(2)}x  (goal >= 3x)`);
    log(
      `data-diff / pg row hash ${(dataDiff.seconds / rowHash.seconds).toFixed(2)}x  (what matching PostgreSQL's own row hash would give)`,
    );
    log(`validation peak RSS     ${ours.peakRssMb.toFixed(1)} MB  (goal < 150 MB, flat in rows)`);
    log(`validation bytes        ${ours.bytes}  (goal: independent of rows)`);
  } finally {
    await server.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).message}\n`);
  process.exit(1);
});
