/**
 * verify-full through restored-host: the copy is reached on 127.0.0.1 (a port forward), but its certificate
 * is issued for its endpoint name, so TLS must check that name, not 127.0.0.1. RDS answers with the copy's
 * endpoint (moto's is random; the fault proxy rewrites it to a fixed name the test CA can issue for).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { RDSClient } from '@aws-sdk/client-rds';
import { LocalServer } from '../../src/db/local-server.js';
import { createSourceCluster, leftovers, motoClient, REGION } from '../support/aurora-fixture.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { startMoto, type Moto } from '../support/moto.js';
import { runStep } from '../support/runner.js';
import { tempDir } from '../support/temp-dir.js';

const ENDPOINT = `restored-copy.cluster-c0ffee0example.${REGION}.rds.amazonaws.com`;

let moto: Moto;
let proxy: FaultProxy;
let server: LocalServer;
let rds: RDSClient;
let pki: string;
let caFile: string;
let key: string;
let cert: string;

const openssl = (args: string[]): void => {
  execFileSync('openssl', args, { stdio: 'ignore' });
};

/** Issues the server certificate for `san` from the test CA and has the server load it. */
async function serveCertificateFor(san: string, reload = true): Promise<void> {
  const csr = join(pki, 'server.csr');
  openssl([
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=restore-proof test copy',
    '-keyout',
    key,
    '-out',
    csr,
  ]);
  writeFileSync(join(pki, 'san.ext'), `subjectAltName=${san}\n`);
  openssl(
    ['x509', '-req', '-in', csr, '-CA', caFile, '-CAkey', join(pki, 'ca.key'), '-CAcreateserial'].concat([
      '-days',
      '1',
      '-extfile',
      join(pki, 'san.ext'),
      '-out',
      cert,
    ]),
  );
  chmodSync(key, 0o600);
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    chownSync(key, uid, gid);
    chownSync(cert, uid, gid);
  }
  if (reload) {
    const c = new pg.Client({ connectionString: server.url() });
    await c.connect();
    await c.query('select pg_reload_conf()');
    await c.end();
  }
}

beforeAll(async () => {
  moto = await startMoto();
  proxy = await startFaultProxy(moto.endpoint, [
    { kind: 'rewrite', action: 'DescribeDBClusters', element: 'Endpoint', value: ENDPOINT },
  ]);
  server = await LocalServer.create();
  pki = tempDir('pki');
  caFile = join(pki, 'ca.pem');
  key = join(server.options.runDir, 'server.key');
  cert = join(server.options.runDir, 'server.crt');
  openssl(
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=Copy Test CA'].concat([
      '-keyout',
      join(pki, 'ca.key'),
      '-out',
      caFile,
    ]),
  );
  await serveCertificateFor(`DNS:${ENDPOINT}`, false);
  server.options.settings = { ssl: 'on', ssl_cert_file: `'${cert}'`, ssl_key_file: `'${key}'` };
  await server.start();
  const c = new pg.Client({ connectionString: server.url() });
  await c.connect();
  await c.query('create database app');
  await c.end();
  rds = motoClient(moto.endpoint);
});

afterAll(async () => {
  await Promise.all([proxy?.close(), moto?.stop(), server?.destroy()]);
});

beforeEach(async () => {
  await moto.reset();
  await createSourceCluster(rds);
});

afterEach(async () => {
  expect(await leftovers(rds)).toEqual([]);
});

const env = () => ({
  AWS_ENDPOINT_URL: proxy.endpoint,
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
});
const inputs = () => ({
  'source-cluster': 'prod-db',
  'aws-region': REGION,
  'restored-host': '127.0.0.1',
  'restored-port': String(server.port),
  'ssl-mode': 'verify-full',
  'ca-bundle': caFile,
  'timeout-minutes': '2',
  'report-dir': tempDir('tls'),
});

const reportOf = (dir: string): { result: string; error?: string } => {
  const json = readdirSync(dir).find((f) => f.endsWith('.json'))!;
  return JSON.parse(readFileSync(join(dir, json), 'utf8')) as { result: string; error?: string };
};

test("a certificate for the copy's endpoint name verifies through restored-host 127.0.0.1", async () => {
  await serveCertificateFor(`DNS:${ENDPOINT}`);
  const i = inputs();
  const r = await runStep('main', { inputs: i, env: env() });
  if (r.code !== 0) process.stdout.write(`main step output:\n${r.stdout}\n${r.stderr}\n`);
  expect(r.code).toBe(0);
  expect(r.outputs.result).toBe('pass');
  expect(r.stdout).toMatch(/first query on 127\.0\.0\.1:\d+: answered/);
  expect(reportOf(i['report-dir']).result).toBe('pass');
});

test('a certificate for another name (even one valid for 127.0.0.1) is refused', async () => {
  await serveCertificateFor('DNS:someone-else.example.com,IP:127.0.0.1');
  const i = inputs();
  const r = await runStep('main', { inputs: i, env: env() });
  expect(r.code).toBe(3);
  const written = reportOf(i['report-dir']);
  expect(written.result).not.toBe('pass');
  expect(written.error).toMatch(/ssl-mode verify-full/);
  // checked against the endpoint's name, not the 127.0.0.1 the socket went to
  expect(written.error).toContain(`Hostname/IP does not match certificate's altnames: Host: ${ENDPOINT}.`);
  expect(r.stdout).not.toMatch(/first query on .*: not yet/); // refused at once, not retried
});
