/**
 * Nothing leaked: full drills (pass, fail, error) through the built action, with every secret input set and a
 * sentinel string planted in the data, compared against a production server of its own holding the same
 * rows. stdout, stderr, the step summary, the outputs and every report file are scanned for the secrets, the
 * copy's reset password and the sentinel.
 */
import { generateKeyPairSync } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RDSClient } from '@aws-sdk/client-rds';
import { createSourceCluster, leftovers, motoClient, REGION } from '../support/aurora-fixture.js';
import { useDrillServers } from '../support/drill-servers.js';
import { runStep, type StepResult } from '../support/runner.js';
import { tempDir } from '../support/temp-dir.js';

const SENTINEL = 'SENTINEL-PHI-7f3a9c2e';
const DB_PASSWORD = 'Pr0d-Reader-Passw0rd-5e1d';
const GITHUB_TOKEN = 'ghs_FAKEtoken0123456789abcdefABCDEF0123';
const SIGNING_KEY = generateKeyPairSync('ed25519')
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();
const KEY_BODY = SIGNING_KEY.split('\n').filter((l) => l && !l.startsWith('-----'));

// One instant for both servers' rows, so production and the copy hold the same content.
const SEEDED_AT = new Date().toISOString();
const servers = useDrillServers({
  production: true,
  seed: async (app) => {
    await app.query(
      `create table patients (id bigint primary key, name text not null, notes jsonb, updated_at timestamptz default now())`,
    );
    await app.query(
      `insert into patients select g, $1 || '-' || g, jsonb_build_object('note', $1), $2 from generate_series(1, 500) g`,
      [SENTINEL, SEEDED_AT],
    );
  },
});
let rds: RDSClient;

beforeAll(() => {
  rds = motoClient(servers.moto.endpoint);
});

beforeEach(async () => {
  await createSourceCluster(rds);
});

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  const dir = tempDir('secrets');
  const checks = join(dir, 'checks.yml');
  writeFileSync(
    checks,
    [
      'checks:',
      '  - name: patient-name',
      '    query: select name from patients order by id limit 1',
      "    expect: { equals: 'someone else' }",
      '  - name: patient-count',
      '    query: select count(*) from patients',
      '    expect: { matches-production: true }',
      '',
    ].join('\n'),
  );
  return {
    'source-cluster': 'prod-db',
    'aws-region': REGION,
    database: 'app',
    'restored-host': '127.0.0.1',
    'restored-port': String(servers.server.port),
    'ssl-mode': 'disable',
    'timeout-minutes': '1',
    'production-url': servers.productionUrl({ password: DB_PASSWORD }),
    'signing-key': SIGNING_KEY,
    'github-token': GITHUB_TOKEN,
    'checks-file': checks,
    'report-dir': join(dir, 'reports'),
    ...extra,
  };
}

const env = () => servers.env();

/** Every text the drill produced that a person or an auditor can read, with where it came from. */
function surfaces(r: StepResult, reportDir: string): [string, string][] {
  const out: [string, string][] = [
    // The runner masks what ::add-mask:: registers; those lines themselves are the registration.
    [
      'stdout',
      r.stdout
        .split('\n')
        .filter((l) => !l.startsWith('::add-mask::'))
        .join('\n'),
    ],
    ['stderr', r.stderr],
    ['step summary', r.summary],
    ['outputs', JSON.stringify(r.outputs)],
  ];
  for (const f of readdirSync(reportDir))
    out.push([`report file ${f}`, readFileSync(join(reportDir, f), 'utf8')]);
  return out;
}

function expectNoLeak(r: StepResult, reportDir: string): void {
  const masked = r.stdout
    .split('\n')
    .filter((l) => l.startsWith('::add-mask::'))
    .map((l) => l.slice('::add-mask::'.length));
  const resetPassword = masked.find((m) => /^[A-Za-z0-9_-]{32}$/.test(m));
  expect(resetPassword).toBeDefined(); // the copy's password was registered as a secret
  expect(masked).toEqual(expect.arrayContaining([DB_PASSWORD, GITHUB_TOKEN]));
  const secrets = [SENTINEL, DB_PASSWORD, GITHUB_TOKEN, resetPassword!, ...KEY_BODY];
  const leaks: string[] = [];
  for (const [where, text] of surfaces(r, reportDir)) {
    for (const secret of secrets)
      if (text.includes(secret)) leaks.push(`${where} holds ${secret.slice(0, 12)}…`);
  }
  expect(leaks).toEqual([]);
}

test('a passing drill leaks nothing', async () => {
  const i = inputs();
  // The custom check on a patient's name is the one failure we plant on purpose: drop it for the pass case.
  writeFileSync(
    i['checks-file']!,
    'checks:\n  - name: patient-count\n    query: select count(*) from patients\n    expect: { matches-production: true }\n',
  );
  const r = await runStep('main', { inputs: i, env: env() });
  if (r.outputs.result !== 'pass') process.stdout.write(r.stdout);
  expect(r.outputs.result).toBe('pass');
  expect(readdirSync(i['report-dir']!).filter((f) => f.endsWith('.json'))).toHaveLength(1);
  // The rows holding the sentinel were compared against production's, not skipped.
  const report = JSON.parse(
    readFileSync(
      join(
        i['report-dir']!,
        readdirSync(i['report-dir']!).find((f) => f.endsWith('.json'))!,
      ),
      'utf8',
    ),
  );
  const checksums = report.checks.find((c: { id: string }) => c.id === 'checksums:public.patients');
  expect(checksums?.status).toBe('pass');
  expectNoLeak(r, i['report-dir']!);
});

test('a failing drill (a check on row values, a smoke command that prints secrets) leaks nothing', async () => {
  const i = inputs({
    'smoke-command': `echo "$PGPASSWORD $DATABASE_URL"; psql -At -c "select name from patients limit 3"; exit 3`,
  });
  const r = await runStep('main', { inputs: i, env: env() });
  expect(r.code).toBe(1);
  expect(r.outputs.result).toBe('fail');
  const json = readdirSync(i['report-dir']!).find((f) => f.endsWith('.json'))!;
  const report = JSON.parse(readFileSync(join(i['report-dir']!, json), 'utf8'));
  const status = (id: string) => report.checks.find((c: { id: string }) => c.id === id)?.status;
  expect(status('custom:patient-name')).toBe('fail');
  expect(status('smoke:command')).toBe('fail');
  expectNoLeak(r, i['report-dir']!);
});

test('an errored drill (CreateDBInstance refused) leaks nothing', async () => {
  servers.proxy.rules.push({
    kind: 'fail',
    action: 'CreateDBInstance',
    code: 'InsufficientDBInstanceCapacity',
  });
  const i = inputs();
  const r = await runStep('main', { inputs: i, env: env() });
  expect(r.code).toBe(3);
  // No copy was reached, so no password was reset: scan for everything else.
  const leaks = surfaces(r, i['report-dir']!).filter(([, text]) =>
    [SENTINEL, DB_PASSWORD, GITHUB_TOKEN, ...KEY_BODY].some((s) => text.includes(s)),
  );
  expect(leaks.map(([where]) => where)).toEqual([]);
  expect(await leftovers(rds)).toEqual([]);
});
