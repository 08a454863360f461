/**
 * npx tsc -p tsconfig.check.json && node build/bench/profile.js [--rows N] [--repeat R]
 * (npm run bench compiles it too)
 *
 * Where the row hash spends its time, per column and per table, on the bench's data (data.ts): each
 * expression is summed over a table by one backend without parallel workers, and timed by that backend's
 * CPU time (/proc/PID/schedstat), so other processes on the machine do not distort the figures. Rounds are
 * interleaved and each figure is the median of R.
 *
 * Per column: its text form hashed, what row-hash.ts hashes (typed, int8, binary or text form), and
 * data-diff's normalization of it (the string it feeds md5; see data-diff.ts). Per table: a scan alone,
 * PostgreSQL's row hash (hash_record_extended), ours (the chain), one hash over a length-prefixed
 * concatenation of the same column forms (the alternative to a chain), and data-diff's checksum.
 */
import pg from 'pg';
import { seededServer } from './data.js';
import { backendCpuNs } from './cpu.js';
import { normalize, readDataDiffTables, type DataDiffTable } from './data-diff.js';
import { readTables, type ColumnInfo, type TableInfo } from '../src/db/catalog.js';
import { columnHashSql, hashKind, rowHashSql } from '../src/db/row-hash.js';
import { sessionSql } from '../src/db/session.js';

function parseArgs(argv: string[]): { rows: number; repeat: number } {
  const args = { rows: 1_000_000, repeat: 3 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split('=');
    const n = Number((inline ?? argv[++i])?.replace(/_/g, ''));
    if (!Number.isFinite(n) || n < 1) throw new Error(`${flag}: expected a positive number`);
    if (flag === '--rows') args.rows = Math.floor(n);
    else if (flag === '--repeat') args.repeat = Math.floor(n);
    else throw new Error(`unknown flag ${flag} (accepts --rows, --repeat)`);
  }
  return args;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** The text a column contributes to the concatenation alternative: what row-hash.ts hashes, as text. */
function hashInput(column: ColumnInfo, ref: string): string {
  const kind = hashKind(column);
  const t = column.baseType;
  if (kind === 'binary') return `pg_catalog.encode(pg_catalog.${t}_send((${ref})::pg_catalog.${t}), 'hex')`;
  return `(${ref})::pg_catalog.text`;
}

/** One hash over every column's input, each length-prefixed (NULL as '-'): unambiguous, but built as a string. */
function concatHashSql(client: pg.Client, table: TableInfo): string {
  const parts = table.columns.map((c) => {
    const x = hashInput(c, `t.${client.escapeIdentifier(c.name)}`);
    return `coalesce(pg_catalog.octet_length(${x})::pg_catalog.text || ':' || ${x}, '-')`;
  });
  return `pg_catalog.hashtextextended(${parts.join(' || ')}, 0)`;
}

interface Probe {
  table: string;
  label: string;
  expr: string;
  samples: number[];
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const log = (line: string): void => void process.stdout.write(`${line}\n`);
  const { server, size } = await seededServer(args.rows, 0);
  try {
    const client = new pg.Client({ connectionString: server.url('prod') });
    await client.connect();
    await client.query(sessionSql({ parallelWorkers: 0 }));
    const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    const tables = await readTables(client);
    const ddTables = new Map<string, DataDiffTable>(
      (await readDataDiffTables(client)).map((t) => [t.name, t]),
    );
    const counts = new Map<string, number>();
    const probes: Probe[] = [];
    const probe = (table: string, label: string, expr: string): void =>
      void probes.push({ table, label, expr, samples: [] });
    for (const t of tables) {
      counts.set(
        t.name,
        Number((await client.query(`SELECT count(*) AS n FROM ${t.name}`)).rows[0].n as string),
      );
      probe(t.name, 'scan alone', '0::int8');
      probe(t.name, 'pg row hash', 'pg_catalog.hash_record_extended(t, 0)');
      probe(t.name, 'ours: chain', rowHashSql(client, t.columns, 't'));
      probe(t.name, 'one hash over a concatenation', concatHashSql(client, t));
      const dd = ddTables.get(t.name)!;
      const ddColumns = dd.columns.map(
        (c) => `coalesce(coalesce(${normalize(c)}, '<null>')::varchar, '<null>')`,
      );
      probe(
        t.name,
        'data-diff checksum',
        `('x' || substring(md5((${ddColumns.join(` || '|' || `)})), 21))::bit(48)::bigint - 140737488355327`,
      );
      for (const c of t.columns) {
        const ref = `t.${client.escapeIdentifier(c.name)}`;
        const textForm = `pg_catalog.hashtextextended(coalesce((${ref})::pg_catalog.text, ''), 0)`;
        probe(t.name, `${c.name} ${c.type}: text form`, textForm);
        probe(t.name, `${c.name} ${c.type}: ours (${hashKind(c)})`, columnHashSql(c, ref, 0));
        const ddc = dd.columns.find((d) => d.name === c.name)!;
        probe(t.name, `${c.name} ${c.type}: data-diff normalized`, `octet_length(${normalize(ddc)})`);
      }
    }
    for (let r = 0; r < args.repeat; r++) {
      for (const p of probes) {
        const before = backendCpuNs(pid);
        await client.query(`SELECT sum(${p.expr}) FROM ${p.table} t`);
        p.samples.push(backendCpuNs(pid) - before);
      }
    }
    await client.end();

    log(
      `${args.rows} rows (${size}), one backend, no parallel workers, backend CPU, median of ${args.repeat}`,
    );
    log(
      `${'table / expression'.padEnd(58)} ${'CPU ms'.padStart(9)} ${'ns/row'.padStart(8)} ${'over scan'.padStart(10)}`,
    );
    for (const t of tables) {
      const n = counts.get(t.name)!;
      const scan = median(probes.find((p) => p.table === t.name && p.label === 'scan alone')!.samples);
      log(`${t.name} (${n} rows)`);
      for (const p of probes.filter((q) => q.table === t.name)) {
        const ns = median(p.samples);
        const over = p.label === 'scan alone' ? '' : ((ns - scan) / n).toFixed(0);
        log(
          `  ${p.label.padEnd(56)} ${(ns / 1e6).toFixed(1).padStart(9)} ${(ns / n).toFixed(0).padStart(8)} ${over.padStart(10)}`,
        );
      }
    }
  } finally {
    await server.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench profile failed: ${(error as Error).message}\n`);
  process.exit(1);
});
