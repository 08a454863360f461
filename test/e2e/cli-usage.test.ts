/**
 * The bundled CLI as a person first meets it: --version, help, mistyped flags and values, secrets from the
 * environment or a file, and bad inputs that exit 2 before anything is created.
 */
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUNDLES, ROOT } from '../support/runner.js';
import { tempDir } from '../support/temp-dir.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(BUNDLES, 'cli', 'index.js'), ...args],
      { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, timeout: 30_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr }),
    );
  });
}

const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

test('--version prints the package version', async () => {
  expect(await cli(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
});

test('help and <command> --help', async () => {
  const general = await cli(['help']);
  expect(general.code).toBe(0);
  expect(general.stdout).toMatch(/^usage: restore-proof <command>/);
  const janitor = await cli(['janitor', '--help']);
  expect(janitor.code).toBe(0);
  expect(janitor.stdout).toContain('--dry-run (default: false)');
  expect(janitor.stdout).toContain('janitor: true to list what has expired without deleting anything.');
  expect(janitor.stdout).not.toContain('--source-cluster');
});

test('a mistyped flag: exit 2 with the nearest flag', async () => {
  const r = await cli(['restore-test', '--source-cluser', 'prod-db']);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain("unknown option '--source-cluser'; did you mean '--source-cluster'?");
});

test('a mistyped value: exit 2 with the nearest value', async () => {
  const r = await cli([
    'restore-test',
    '--source-cluster',
    'prod-db',
    '--aws-region',
    'us-east-1',
    '--restore-type',
    'lates',
  ]);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain(
    "error: input 'restore-type' accepts latest | point-in-time | snapshot; got 'lates'; did you mean 'latest'?",
  );
});

test('a cadence outside the schedule is warned about', async () => {
  // Warned while planning, before report-dir is probed (here refused: the run stops there).
  const r = await cli([
    'restore-test',
    '--source-cluster',
    'prod-db',
    '--aws-region',
    'us-east-1',
    '--report-dir',
    '/proc/restore-proof',
    '--cadence',
    'montly',
  ]);
  expect(r.stderr).toMatch(
    /warning: input 'cadence' 'montly' is not in the schedule .*did you mean 'monthly'\?/,
  );
});

test('--signing-key "$(cat key.pem)" and the file path are both taken', async () => {
  const dir = tempDir('cli-key');
  writeFileSync(join(dir, 'key.pem'), pem);
  for (const key of [pem, join(dir, 'key.pem')]) {
    const r = await cli(['verify-reports', '--report-dir', dir, '--signing-key', key]);
    expect(r.stderr).not.toMatch(/ambiguous|signing-key/);
    expect(r.code).not.toBe(2);
  }
});

test('a secret from the environment that names no file: exit 2, naming the variable', async () => {
  const r = await cli(['verify-reports', '--report-dir', tempDir('cli-env')], {
    RESTORE_PROOF_SIGNING_KEY: '/nonexistent/key.pem',
  });
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/input 'signing-key' accepts .*RESTORE_PROOF_SIGNING_KEY/);
});

test.each([
  [
    'a date outside the calendar',
    ['--restore-type', 'point-in-time', '--restore-time', '2026-02-30T03:15:00Z'],
    /input 'restore-time' names no calendar date/,
  ],
  [
    'a report-dir under /proc',
    ['--report-dir', '/proc/restore-proof/reports'],
    /input 'report-dir' accepts a directory .*not a kernel file system/,
  ],
  [
    'a # in the production-url password',
    ['--production-url', 'postgres://ro:pa#ss@db.internal/app'],
    /input 'production-url' .*percent-encode/,
  ],
])('%s: exit 2 before any AWS call, nothing written', async (_what, extra, message) => {
  const dir = join(tempDir('cli-bad'), 'reports');
  const args = [
    'restore-test',
    '--source-cluster',
    'prod-db',
    '--aws-region',
    'us-east-1',
    '--report-dir',
    dir,
    ...extra,
  ];
  const r = await cli(args, { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' });
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toContain('pa#ss');
  expect(r.stdout).toBe('result=error\n');
  if (!extra.includes('--report-dir')) expect(existsSync(dir)).toBe(false);
});

test('an AWS error is exit 3, and the SDK Node-version notice is one warning line, not mixed into progress', async () => {
  const r = await cli(['janitor', '--aws-region', 'us-east-1', '--dry-run', 'true'], {
    AWS_ACCESS_KEY_ID: 'x',
    AWS_SECRET_ACCESS_KEY: 'y',
    AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    AWS_MAX_ATTEMPTS: '1',
  });
  expect(r.code).toBe(3);
  const lines = r.stderr.split('\n');
  expect(lines.filter((l) => /AWS SDK|node >=/.test(l)).every((l) => l.startsWith('warning: '))).toBe(true);
  expect(lines.filter((l) => /AWS SDK/.test(l)).length).toBeLessThanOrEqual(1);
  expect(r.stderr).not.toMatch(/^\(node:\d+\)/m);
});
