/**
 * npm run bench [-- --rows N] [-- --concurrency C] [-- --workers W] [-- --repeat R]
 *
 * Builds a realistic schema (uuid, text, numeric, timestamptz, jsonb; several tables; N rows in total,
 * default 5 million) in two databases of one local PostgreSQL server, then measures on the same data:
 *   floor        SELECT count(*) over every table, both sides
 *   pg row hash  sum(hash_record_extended(row, 0)) per table, both sides: PostgreSQL's own row hash, the
 *                engine's limit for a server-side checksum (weaker than ours: it folds equal-comparing values)
 *   restore-proof  full validation (counts + checksums + schema), both sides, through the real Validator
 *   data-diff    data-diff's own checksum query (see data-diff.ts: every column normalized as data-diff
 *                does, '|'-joined, md5 as int, summed), both sides, two ways: one scan per table (its cost
 *                per row, the kindest reading), and as data-diff runs it (key range, then 32 key segments)
 * and prints their ratios, the server's CPU seconds in each phase (read from /proc: work done, which
 * other processes on a shared machine do not stretch as they stretch wall time), the peak RSS of this
 * process during each phase, and the bytes it received from the database. Every phase uses the same pool
 * (C queries at a time per side, both sides at once) and the same server-side parallelism (W workers per
 * query). With --repeat R the phases run R rounds, interleaved, and each figure is the median.
 */
import { tmpdir } from 'node:os';
import pg from 'pg';
import { seededServer, TABLES } from './data.js';
import { postmasterPid, serverCpuSeconds } from './cpu.js';
import {
  keyRangeSql,
  readDataDiffTables,
  segmentSqls,
  wholeTableSql,
  BISECTION_FACTOR,
} from './data-diff.js';
import { createValidator } from '../src/checks/validation.js';
import { ceilingNotBefore } from '../src/db/snapshot.js';
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
  /** Server CPU seconds, when /proc can be read. */
  cpu?: number;
  peakRssMb: number;
  bytes: number;
}

async function measure(postmaster: number, fn: () => Promise<void>): Promise<Measure> {
  clients.clear();
  global.gc?.();
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  const cpu0 = serverCpuSeconds(postmaster);
  const started = process.hrtime.bigint();
  try {
    await fn();
  } finally {
    clearInterval(sampler);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  // A backend whose connection just closed may still be exiting: its time counts once it is reaped.
  await new Promise((resolve) => setTimeout(resolve, 200));
  const cpu1 = serverCpuSeconds(postmaster);
  peak = Math.max(peak, process.memoryUsage().rss);
  return {
    seconds,
    cpu: cpu0 !== undefined && cpu1 !== undefined ? cpu1 - cpu0 : undefined,
    peakRssMb: peak / 1024 / 1024,
    bytes: bytesReceived(),
  };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** The median of each figure over the rounds (peak RSS: the highest). */
function summary(ms: Measure[]): Measure {
  const cpus = ms.map((m) => m.cpu).filter((c): c is number => c !== undefined);
  return {
    seconds: median(ms.map((m) => m.seconds)),
    cpu: cpus.length === ms.length ? median(cpus) : undefined,
    peakRssMb: Math.max(...ms.map((m) => m.peakRssMb)),
    bytes: median(ms.map((m) => m.bytes)),
  };
}

/** Runs the queries on one database, `concurrency` at a time, each session with `workers` parallel workers. */
async function pool(
  url: string,
  concurrency: number,
  workers: number,
  sqls: string[],
): Promise<pg.QueryResult[]> {
  const results: pg.QueryResult[] = new Array(sqls.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, sqls.length) }, async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        await c.query(`SET max_parallel_workers_per_gather = ${workers}; SET jit = off`);
        while (next < sqls.length) {
          const i = next++;
          results[i] = await c.query(sqls[i]!);
        }
      } finally {
        await c.end();
      }
    }),
  );
  return results;
}

/** One query per table (public's ordinary tables), on both sides at once. */
async function eachTable(
  urls: string[],
  concurrency: number,
  workers: number,
  sql: (table: { name: string }) => string,
): Promise<void> {
  await Promise.all(
    urls.map(async (url) => {
      const meta = new pg.Client({ connectionString: url });
      await meta.connect();
      const { rows } = await meta.query<{ name: string }>(
        `SELECT relname AS name FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' ORDER BY 1`,
      );
      await meta.end();
      await pool(url, concurrency, workers, rows.map(sql));
    }),
  );
}

/** data-diff's checksum in one scan per table, both sides at once. */
async function dataDiffScan(urls: string[], concurrency: number, workers: number): Promise<void> {
  await Promise.all(
    urls.map(async (url) => {
      const meta = new pg.Client({ connectionString: url });
      await meta.connect();
      const tables = await readDataDiffTables(meta);
      await meta.end();
      await pool(url, concurrency, workers, tables.map(wholeTableSql));
    }),
  );
}

/** data-diff as it runs on equal tables: each table's key range, then its 32 segments' checksums. */
async function dataDiffSegmented(urls: string[], concurrency: number, workers: number): Promise<void> {
  await Promise.all(
    urls.map(async (url) => {
      const meta = new pg.Client({ connectionString: url });
      await meta.connect();
      const tables = await readDataDiffTables(meta);
      await meta.end();
      const ranges = await pool(url, concurrency, workers, tables.map(keyRangeSql));
      const segments = tables.flatMap((t, i) => {
        const [min, max] = Object.values(ranges[i]!.rows[0] as Record<string, string>);
        return segmentSqls(t, min!, max!);
      });
      await pool(url, concurrency, workers, segments);
    }),
  );
}

const countSql = (t: { name: string }): string => `SELECT count(*) FROM "${t.name}"`;

const pgRowHashSql = (t: { name: string }): string =>
  `SELECT count(*), sum(pg_catalog.hash_record_extended(t, 0)) FROM "${t.name}" t`;

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const log = (line: string): void => void process.stdout.write(`${line}\n`);
  const t0 = Date.now();
  const { server, size } = await seededServer(args.rows, args.workers);
  try {
    const admin = new pg.Client({ connectionString: server.url() });
    await admin.connect();
    await admin.query('CREATE DATABASE copy TEMPLATE prod');
    await admin.end();
    log(
      `seeded ${args.rows} rows in ${TABLES.length} tables (${size} per database) in ${((Date.now() - t0) / 1000).toFixed(1)}s`,
    );

    const urls = [server.url('prod'), server.url('copy')];
    // Warm both databases' pages into memory so no phase pays for the first read.
    await eachTable(urls, args.concurrency, args.workers, countSql);

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
    // From the start of the phase to the moment the production pass may read its first table (its ceiling):
    // no table is read on either side before it (the copy side needs the ceiling too), and in a latest drill
    // that moment passes while the copy restores, so it is not part of reading.
    const idleMs: number[] = [];
    const validation = async (): Promise<void> => {
      const started = Date.now();
      const validator = createValidator({
        concurrency: args.concurrency,
        parallelWorkers: args.workers,
        checksFile: { checks: [], amcheck: false, 'foreign-keys': { enabled: false } },
      });
      const signal = new AbortController().signal;
      const prepared = await validator.prepare(plan, quiet, signal);
      if (prepared.pinnedTime)
        idleMs.push(Math.max(0, ceilingNotBefore(prepared.pinnedTime).getTime() - started));
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

    const postmaster = postmasterPid(server.dataDir);
    const phases: [string, () => Promise<void>][] = [
      ['floor: count(*), both sides', () => eachTable(urls, args.concurrency, args.workers, countSql)],
      [
        'pg row hash (hash_record_extended)',
        () => eachTable(urls, args.concurrency, args.workers, pgRowHashSql),
      ],
      ['restore-proof validation, both', validation],
      ['data-diff checksum, one scan', () => dataDiffScan(urls, args.concurrency, args.workers)],
      [
        `data-diff as run (${BISECTION_FACTOR} segments)`,
        () => dataDiffSegmented(urls, args.concurrency, args.workers),
      ],
    ];
    const rounds: Measure[][] = phases.map(() => []);
    for (let r = 0; r < args.repeat; r++) {
      for (const [i, [, fn]] of phases.entries()) rounds[i]!.push(await measure(postmaster, fn));
    }
    const [floor, rowHash, ours, dataDiff, dataDiffRun] = rounds.map(summary) as [
      Measure,
      Measure,
      Measure,
      Measure,
      Measure,
    ];
    if (failing.length) log(`warning: validation reported ${failing.join(', ')}`);

    const fixed = (n: number | undefined, digits: number, width: number): string =>
      (n === undefined ? '-' : n.toFixed(digits)).padStart(width);
    const idle = idleMs.length ? median(idleMs) / 1000 : 0;
    const reading: Measure = { ...ours, seconds: ours.seconds - idle };
    log(
      `rows ${args.rows}, ${args.concurrency} queries at a time per side, ${args.workers} parallel workers per query, median of ${args.repeat}`,
    );
    log(
      `${'phase'.padEnd(36)} ${'wall s'.padStart(8)} ${'server CPU s'.padStart(13)} ${'peak RSS MB'.padStart(12)} ${'bytes received'.padStart(15)}`,
    );
    for (const [i, [name]] of phases.entries()) {
      const m = [floor, rowHash, ours, dataDiff, dataDiffRun][i]!;
      log(
        `${name.padEnd(36)} ${fixed(m.seconds, 2, 8)} ${fixed(m.cpu, 2, 13)} ${fixed(m.peakRssMb, 1, 12)} ${String(m.bytes).padStart(15)}`,
      );
      if (m === ours && idle > 0) {
        log(
          `${'  of which waiting for the ceiling'.padEnd(36)} ${fixed(idle, 2, 8)}   (fixed, not per row; passes while the copy restores)`,
        );
        log(
          `${'  of which reading'.padEnd(36)} ${fixed(reading.seconds, 2, 8)}   (the figure the ratios use)`,
        );
      }
    }
    const ratio = (a: Measure, b: Measure): string => {
      const cpu =
        a.cpu !== undefined && b.cpu !== undefined && b.cpu > 0 ? `, CPU ${(a.cpu / b.cpu).toFixed(2)}x` : '';
      return `${(a.seconds / b.seconds).toFixed(2)}x (wall${cpu})`;
    };
    log(`validation / floor                 ${ratio(reading, floor)}`);
    log(`validation / pg row hash           ${ratio(reading, rowHash)}  goal <= 1.5x`);
    log(`data-diff one scan / validation    ${ratio(dataDiff, reading)}  goal >= 3x`);
    log(`data-diff as run / validation      ${ratio(dataDiffRun, reading)}`);
    log(
      `data-diff one scan / pg row hash   ${ratio(dataDiff, rowHash)}  (what matching PostgreSQL's own row hash would give)`,
    );
    if (idle > 0)
      log(
        `with the wait: validation / pg row hash ${ratio(ours, rowHash)}, data-diff one scan / validation ${ratio(dataDiff, ours)}`,
      );
    log(`validation peak RSS                ${ours.peakRssMb.toFixed(1)} MB  (goal < 150 MB, flat in rows)`);
    log(`validation bytes                   ${ours.bytes}  (goal: independent of rows)`);
  } finally {
    await server.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).message}\n`);
  process.exit(1);
});
