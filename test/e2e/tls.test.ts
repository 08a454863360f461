/**
 * TLS to the copy: verify-full (the default) checks the server certificate against the RDS CA bundle and
 * refuses anything else at once; require encrypts without checking and the report records the warning.
 * The copy is a real PostgreSQL serving TLS with a self-signed certificate.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { RDSClient } from '@aws-sdk/client-rds';
import { LocalServer } from '../../src/db/local-server.js';
import { createSourceCluster, leftovers, motoClient, REGION } from '../support/aurora-fixture.js';
import { startMoto, type Moto } from '../support/moto.js';
import { runStep } from '../support/runner.js';
import { tempDir } from '../support/temp-dir.js';

let moto: Moto;
let server: LocalServer;
let rds: RDSClient;

beforeAll(async () => {
  moto = await startMoto();
  server = await LocalServer.create();
  const cert = join(server.options.runDir, 'server.crt');
  const key = join(server.options.runDir, 'server.key');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  chmodSync(key, 0o600);
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    chownSync(key, uid, gid);
    chownSync(cert, uid, gid);
  }
  server.options.settings = { ssl: 'on', ssl_cert_file: `'${cert}'`, ssl_key_file: `'${key}'` };
  await server.start();
  const c = new pg.Client({ connectionString: server.url() });
  await c.connect();
  await c.query('create database app');
  await c.end();
  rds = motoClient(moto.endpoint);
});

afterAll(async () => {
  await Promise.all([moto?.stop(), server?.destroy()]);
});

beforeEach(async () => {
  await moto.reset();
  await createSourceCluster(rds);
});

const env = () => ({
  AWS_ENDPOINT_URL: moto.endpoint,
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
});
const inputs = (sslMode?: string) => ({
  'source-cluster': 'prod-db',
  'aws-region': REGION,
  'restored-host': '127.0.0.1',
  'restored-port': String(server.port),
  'timeout-minutes': '1',
  'report-dir': tempDir('tls'),
  ...(sslMode ? { 'ssl-mode': sslMode } : {}),
});

function report(dir: string) {
  const json = readdirSync(dir).find((f) => f.endsWith('.json'))!;
  return JSON.parse(readFileSync(join(dir, json), 'utf8'));
}

test('verify-full (the default) refuses a certificate outside the RDS CA bundle, at once', async () => {
  const i = inputs();
  const r = await runStep('main', { inputs: i, env: env() });
  expect(r.code).toBe(3);
  const written = report(i['report-dir']);
  expect(written.error).toMatch(/ssl-mode verify-full/);
  expect(written.error).toMatch(/self[- ]signed certificate/);
  expect(written.warnings).toEqual([]);
  expect(r.stdout).not.toMatch(/first query on .*: not yet/); // no retrying a refusal that cannot change
  expect(await leftovers(rds)).toEqual([]);
});

test('require encrypts without checking the certificate, and the report records the warning', async () => {
  const i = inputs('require');
  const r = await runStep('main', { inputs: i, env: env() });
  expect(r.code).toBe(0);
  const written = report(i['report-dir']);
  expect(written.warnings.join('\n')).toMatch(
    /ssl-mode require: the copy's server certificate is not verified/,
  );
  const tls = written.checks.find((c: { id: string }) => c.id === 'encryption:tls');
  expect(tls.status).toBe('pass');
  expect(
    readFileSync(
      join(
        i['report-dir'],
        readdirSync(i['report-dir']).find((f: string) => f.endsWith('.md'))!,
      ),
      'utf8',
    ),
  ).toMatch(/## Warnings[\s\S]*ssl-mode require/);
});
