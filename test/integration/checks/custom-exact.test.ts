/**
 * Custom checks compare exactly, on a real PostgreSQL 15 through the validator's own sessions: values a
 * JavaScript Date or float would merge (timestamps a microsecond apart, integers beyond 2^53, a float's
 * last digit) are told apart by matches-production, and equals / min / max are exact decimals.
 */
import pg from 'pg';
import { LocalServer } from '../../../src/db/local-server.js';
import { openSession } from '../../../src/db/session.js';
import { customChecks, runOnProduction } from '../../../src/checks/custom.js';
import type { CustomCheck } from '../../../src/inputs/checks-file-schema.js';
import type { ConnectionSettings } from '../../../src/model/types.js';

let server: LocalServer;

const TABLES = `
  CREATE TABLE readings (id int PRIMARY KEY, at timestamptz, local_at timestamp, t time, span interval,
                         big bigint, amount numeric, ratio float8, small float4, stamps timestamptz[]);
`;
const ROW = {
  at: `'2026-03-01 10:00:00.000001+00'`,
  local_at: `'2026-03-01 10:00:00.000001'`,
  t: `'10:00:00.000001'`,
  span: `'1 second 1 microsecond'`,
  big: `9007199254740993`,
  amount: `12345678901234567890.123`,
  ratio: `0.1::float8 + 0.2::float8`,
  small: `0.1::float4`,
  stamps: `ARRAY['2026-03-01 10:00:00.000001+00'::timestamptz]`,
};
/** The copy's value per column: what a millisecond Date, a float or Number() cannot tell from production's. */
const NEAR: Record<keyof typeof ROW, string> = {
  at: `'2026-03-01 10:00:00.000002+00'`,
  local_at: `'2026-03-01 10:00:00.000002'`,
  t: `'10:00:00.000002'`,
  span: `'1 second 2 microseconds'`,
  big: `9007199254740992`,
  amount: `12345678901234567890.124`,
  ratio: `0.3::float8`,
  small: `0.10000001::float4`,
  stamps: `ARRAY['2026-03-01 10:00:00.000002+00'::timestamptz]`,
};
const COLUMNS = Object.keys(ROW) as (keyof typeof ROW)[];

function settings(database: string): ConnectionSettings {
  return {
    host: '127.0.0.1',
    port: server.port,
    database,
    user: 'postgres',
    password: '',
    sslMode: 'disable',
  };
}

beforeAll(async () => {
  server = await LocalServer.create();
  await server.start();
  const admin = new pg.Client({ connectionString: server.url() });
  await admin.connect();
  try {
    for (const db of ['prod', 'copy']) {
      await admin.query(`CREATE DATABASE ${db}`);
      const c = new pg.Client({ connectionString: server.url(db) });
      await c.connect();
      try {
        await c.query(TABLES);
        await c.query(
          `INSERT INTO readings VALUES (1, ${COLUMNS.map((k) => ROW[k]).join(', ')}), (2, ${COLUMNS.map((k) => ROW[k]).join(', ')})`,
        );
        // On the copy, row 2 is near production's in every column: each column's check must see it.
        if (db === 'copy') {
          await c.query(
            `UPDATE readings SET ${COLUMNS.map((k) => `${k} = ${NEAR[k]}`).join(', ')} WHERE id = 2`,
          );
        }
      } finally {
        await c.end();
      }
    }
  } finally {
    await admin.end();
  }
});

afterAll(async () => {
  await server?.destroy();
});

/** Runs the checks as a drill does: production in its session, then the copy, judged together. */
async function judge(checks: CustomCheck[]): Promise<Map<string, string>> {
  const production = await openSession(settings('prod'), { parallelWorkers: 0 });
  const copy = await openSession(settings('copy'), { parallelWorkers: 0 });
  try {
    const custom = await runOnProduction(production, checks, false);
    const results = await customChecks(copy, checks, { custom }, true);
    return new Map(results.map((r) => [r.id.replace(/^custom:/, ''), r.status]));
  } finally {
    await production.end();
    await copy.end();
  }
}

test('matches-production tells apart values a JavaScript Date or float would merge, column by column', async () => {
  const checks: CustomCheck[] = COLUMNS.flatMap((k) => [
    {
      name: `${k}-near`,
      query: `SELECT ${k} FROM readings ORDER BY id`,
      expect: { 'matches-production': true },
    },
    {
      name: `${k}-same`,
      query: `SELECT ${k} FROM readings WHERE id = 1`,
      expect: { 'matches-production': true },
    },
  ]);
  const statuses = await judge(checks);
  for (const k of COLUMNS) {
    expect([k, statuses.get(`${k}-near`)]).toEqual([k, 'fail']);
    expect([k, statuses.get(`${k}-same`)]).toEqual([k, 'pass']);
  }
});

test('equals, min and max are exact decimals: beyond 2^53, at numeric scale, and a float sum', async () => {
  const q = (column: string, id = 2): string => `SELECT ${column} FROM readings WHERE id = ${id}`;
  const statuses = await judge([
    { name: 'big-exact', query: q('big', 1), expect: { equals: '9007199254740993' } },
    { name: 'big-off-by-one', query: q('big'), expect: { equals: '9007199254740993' } },
    { name: 'big-near-number', query: q('big', 1), expect: { equals: 9007199254740992 } },
    { name: 'amount-exact', query: q('amount', 1), expect: { equals: '12345678901234567890.123' } },
    { name: 'amount-scale', query: `SELECT 1.50::numeric(4, 2)`, expect: { equals: 1.5 } },
    { name: 'amount-off', query: q('amount'), expect: { equals: '12345678901234567890.123' } },
    { name: 'ratio-sum', query: q('ratio', 1), expect: { equals: 0.3 } },
    { name: 'ratio-exact', query: q('ratio', 1), expect: { equals: 0.30000000000000004 } },
    { name: 'big-max', query: q('big', 1), expect: { max: 9007199254740992 } },
    { name: 'amount-min', query: q('amount'), expect: { min: 0 } },
    { name: 'flag', query: `SELECT count(*) = 2 FROM readings`, expect: { equals: true } },
  ]);
  expect(Object.fromEntries(statuses)).toEqual({
    'big-exact': 'pass',
    'big-off-by-one': 'fail',
    // 9007199254740993 read as a JavaScript number would be 9007199254740992.
    'big-near-number': 'fail',
    'amount-exact': 'pass',
    'amount-scale': 'pass',
    'amount-off': 'fail',
    'ratio-sum': 'fail',
    'ratio-exact': 'pass',
    'big-max': 'fail',
    'amount-min': 'pass',
    flag: 'pass',
  });
});
