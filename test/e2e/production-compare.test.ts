/**
 * The comparison is real: the built action compares the copy against a production that is another server
 * (the same rows loaded on both), so a drill on equal content passes, and the same drill after one row was
 * changed on production fails with the data check naming the table, and no row value in anything it wrote.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RDSClient } from '@aws-sdk/client-rds';
import { createSourceCluster, leftovers, motoClient } from '../support/aurora-fixture.js';
import { auroraDrillInputs, onDatabase, useDrillServers } from '../support/drill-servers.js';
import { runStep, type StepResult } from '../support/runner.js';
import { tempDir } from '../support/temp-dir.js';

/** Row values that must never leave the database: what both sides hold, and what production is changed to. */
const ROW_VALUE = 'ROWVALUE-4c1d8e';
const CHANGED_VALUE = 'CHANGED-ON-PROD-91b7';
const SEEDED_AT = new Date().toISOString();

const servers = useDrillServers({
  production: true,
  seed: async (app) => {
    await app.query(`create table visits (
      id bigint primary key, note text not null, amount numeric(10,2) not null, updated_at timestamptz not null)`);
    await app.query(
      `insert into visits select g, $1 || '-' || g, g * 1.25, $2 from generate_series(1, 400) g`,
      [ROW_VALUE, SEEDED_AT],
    );
    await app.query(`create table codes (code text primary key, label text not null)`);
    await app.query(`insert into codes select 'C' || g, $1 || '-label-' || g from generate_series(1, 50) g`, [
      ROW_VALUE,
    ]);
  },
});
let rds: RDSClient;

beforeAll(() => {
  rds = motoClient(servers.moto.endpoint);
});

beforeEach(async () => {
  await createSourceCluster(rds);
});

afterEach(async () => {
  expect(await leftovers(rds)).toEqual([]);
});

interface WrittenReport {
  result: string;
  checks: { id: string; status: string; summary: string }[];
}

async function drill(): Promise<{ r: StepResult; report: WrittenReport; dir: string }> {
  const dir = tempDir('compare');
  const r = await runStep('main', {
    inputs: auroraDrillInputs(servers.server, {
      'production-url': servers.productionUrl(),
      'report-dir': dir,
    }),
    env: servers.env(),
  });
  const json = readdirSync(dir).find((f) => f.endsWith('.json'));
  if (!json) throw new Error(`no report written; main said:\n${r.stdout}\n${r.stderr}`);
  return { r, report: JSON.parse(readFileSync(join(dir, json), 'utf8')), dir };
}

const status = (report: WrittenReport, id: string): string | undefined =>
  report.checks.find((c) => c.id === id)?.status;

/** Every text a person or an auditor can read, searched for row values. */
function rowValuesIn(r: StepResult, dir: string): string[] {
  const texts: [string, string][] = [
    ['stdout', r.stdout],
    ['stderr', r.stderr],
    ['step summary', r.summary],
    ['outputs', JSON.stringify(r.outputs)],
    ...readdirSync(dir).map((f): [string, string] => [f, readFileSync(join(dir, f), 'utf8')]),
  ];
  return texts
    .filter(([, text]) => text.includes(ROW_VALUE) || text.includes(CHANGED_VALUE))
    .map(([where]) => where);
}

test('equal content on production and the copy: the data checks compare and pass', async () => {
  const { r, report, dir } = await drill();
  if (r.code !== 0) process.stdout.write(`main step output:\n${r.stdout}\n${r.stderr}\n`);
  expect(r.code).toBe(0);
  expect(report.result).toBe('pass');
  for (const table of ['public.visits', 'public.codes']) {
    expect(status(report, `counts:${table}`)).toBe('pass');
    expect(status(report, `checksums:${table}`)).toBe('pass');
  }
  expect(rowValuesIn(r, dir)).toEqual([]);
});

test('one row changed on production: the drill fails on that table, naming it and no row value', async () => {
  await onDatabase(servers.production!, 'app', (c) =>
    c.query(`update visits set note = $1 where id = 7`, [CHANGED_VALUE]),
  );
  try {
    const { r, report, dir } = await drill();
    expect(r.code).toBe(1);
    expect(report.result).toBe('fail');
    expect(status(report, 'checksums:public.visits')).toBe('fail');
    // Narrowed to the table that differs: the other one still compares equal.
    expect(status(report, 'checksums:public.codes')).toBe('pass');
    // One error annotation, the failed data check, naming the table.
    const errors = r.stdout.split('\n').filter((l) => l.startsWith('::error'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^::error title=restore-proof%3A checksums%3Apublic\.visits failed,.*::content differs/,
    );
    expect(rowValuesIn(r, dir)).toEqual([]);
  } finally {
    await onDatabase(servers.production!, 'app', (c) =>
      c.query(`update visits set note = $1 || '-7' where id = 7`, [ROW_VALUE]),
    );
  }
});
