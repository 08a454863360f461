/**
 * Safe for production and for patients, through the built action against moto_server (through the fault
 * proxy) and a real PostgreSQL: the report says when the copy preloads production's scheduler (pg_cron),
 * restore-parameter-group replaces the group the copy is restored with (read back from the copy moto made),
 * and posture:production-pass states the load bounds the production pass ran under.
 */
import { readFileSync } from 'node:fs';
import { CreateDBClusterCommand, CreateDBInstanceCommand, type RDSClient } from '@aws-sdk/client-rds';
import { KMS_KEY, leftovers, motoClient, preloadGroup, REGION } from '../support/aurora-fixture.js';
import { startDrillServers, stepErrors as errors, type DrillServers } from '../support/drill-servers.js';
import { runStep, type StepResult } from '../support/runner.js';
import { tempDir } from '../support/temp-dir.js';

let servers: DrillServers;
let rds: RDSClient;

beforeAll(async () => {
  servers = await startDrillServers();
  rds = motoClient(servers.moto.endpoint);
});

afterAll(async () => servers?.stop());

beforeEach(async () => {
  await servers.reset();
  await preloadGroup(rds, 'cluster', 'prod-cron-pg15', 'pg_stat_statements,pg_cron');
  await preloadGroup(rds, 'cluster', 'drill-pg15', 'pg_stat_statements');
  await rds.send(
    new CreateDBClusterCommand({
      DBClusterIdentifier: 'prod-db',
      Engine: 'aurora-postgresql',
      EngineVersion: '15.4',
      MasterUsername: 'postgres',
      MasterUserPassword: 'production-password-1',
      DatabaseName: 'app',
      StorageEncrypted: true,
      KmsKeyId: KMS_KEY,
      BackupRetentionPeriod: 35,
      DBClusterParameterGroupName: 'prod-cron-pg15',
      VpcSecurityGroupIds: ['sg-0123456789abcdef0'],
    }),
  );
  await rds.send(
    new CreateDBInstanceCommand({
      DBInstanceIdentifier: 'prod-db-writer',
      DBClusterIdentifier: 'prod-db',
      Engine: 'aurora-postgresql',
      DBInstanceClass: 'db.r6g.large',
    }),
  );
});

afterEach(async () => {
  expect(await leftovers(rds)).toEqual([]);
});

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return {
    command: 'restore-test',
    'source-cluster': 'prod-db',
    'aws-region': REGION,
    'restored-host': '127.0.0.1',
    'restored-port': String(servers.server.port),
    'ssl-mode': 'disable',
    'timeout-minutes': '2',
    'report-dir': tempDir('reports'),
    ...extra,
  };
}

interface Report {
  checks: { id: string; status: string; summary: string }[];
}

function reportOf(main: StepResult): Report {
  if (main.code !== 0 && main.code !== 1)
    process.stdout.write(`main step output:\n${main.stdout}\n${main.stderr}\n`);
  expect(errors(main)).toEqual([]);
  return JSON.parse(readFileSync(main.outputs['report-json']!, 'utf8')) as Report;
}

const check = (report: Report, id: string) => {
  const found = report.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id}; have ${report.checks.map((c) => c.id).join(', ')}`);
  return found;
};

test("the source's group preloads pg_cron and no restore-parameter-group: the report warns, and says the fix", async () => {
  const main = await runStep('main', { inputs: inputs(), env: servers.env() });
  const scheduler = check(reportOf(main), 'access:copy-scheduler');
  expect(scheduler.status).toBe('warn');
  expect(scheduler.summary).toMatch(/^the copy \(prod-cron-pg15\b.*\) preloads the scheduler pg_cron/);
  expect(scheduler.summary).toContain(
    "production's scheduled jobs run on the copy, and jobs that write elsewhere (dblink, postgres_fdw) write twice; set restore-parameter-group",
  );
  expect(main.stdout).toMatch(/access:copy-scheduler|preloads the scheduler pg_cron/);
});

test('restore-parameter-group: the copy is restored with it, and the production pass states its bounds', async () => {
  const main = await runStep('main', {
    inputs: inputs({
      'restore-parameter-group': 'drill-pg15',
      'production-url': servers.server.url('app'),
      'tables-at-once': '2',
      'parallel-workers': '1',
      'statement-timeout-seconds': '120',
    }),
    env: servers.env(),
  });
  const report = reportOf(main);
  const scheduler = check(report, 'access:copy-scheduler');
  expect(scheduler.status).toBe('pass');
  expect(scheduler.summary).toMatch(
    /^no scheduler preloaded on the copy \(drill-pg15\b.*\), though production preloads pg_cron$/,
  );
  expect(check(report, 'posture:production-pass').summary).toContain(
    '(at most 2 tables at once, 1 parallel workers per statement, lock_timeout 5 s, statement_timeout 120 s)',
  );
  expect(servers.proxy.calls).toContain('RestoreDBClusterToPointInTime');
  const pass = check(report, 'posture:production-pass') as { measured?: number };
  process.stdout.write(
    `production pass (one transaction, released before the restore wait): ${pass.measured} ms; restore-seconds ${main.outputs['restore-seconds']}\n`,
  );
});
