/**
 * verify-full against a copy whose certificate comes from a private CA (a proxy in front of the database, a
 * partition whose CAs the RDS bundle lacks): without ca-bundle the drill fails at once naming the input that
 * fixes it; with ca-bundle (a file, as a workflow would pass it) it connects and verifies the host name.
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

let moto: Moto;
let proxy: FaultProxy;
/** The copy's endpoint as RDS reports it (moto's is random: the proxy fixes it), the name TLS checks. */
const ENDPOINT = `restored-copy.cluster-c0ffee0example.${REGION}.rds.amazonaws.com`;
let server: LocalServer;
let rds: RDSClient;
let caFile: string;

const openssl = (args: string[]): void => {
  execFileSync('openssl', args, { stdio: 'ignore' });
};

beforeAll(async () => {
  moto = await startMoto();
  proxy = await startFaultProxy(moto.endpoint, [
    { kind: 'rewrite', action: 'DescribeDBClusters', element: 'Endpoint', value: ENDPOINT },
  ]);
  server = await LocalServer.create();
  const dir = server.options.runDir;
  const pki = tempDir('pki');
  caFile = join(pki, 'ca.pem');
  const caKey = join(pki, 'ca.key');
  openssl(
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=Private Test CA'].concat([
      '-keyout',
      caKey,
      '-out',
      caFile,
    ]),
  );
  const key = join(dir, 'server.key');
  const csr = join(pki, 'server.csr');
  const cert = join(dir, 'server.crt');
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', key, '-out', csr]);
  writeFileSync(join(pki, 'san.ext'), `subjectAltName=DNS:${ENDPOINT}\n`);
  openssl(
    ['x509', '-req', '-in', csr, '-CA', caFile, '-CAkey', caKey, '-CAcreateserial', '-days', '1'].concat([
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
const inputs = (extra: Record<string, string> = {}) => ({
  'source-cluster': 'prod-db',
  'aws-region': REGION,
  'restored-host': '127.0.0.1',
  'restored-port': String(server.port),
  'timeout-minutes': '2',
  'report-dir': tempDir('tls'),
  ...extra,
});

const reportError = (dir: string): string => {
  const json = readdirSync(dir).find((f) => f.endsWith('.json'))!;
  return (JSON.parse(readFileSync(join(dir, json), 'utf8')) as { error?: string }).error ?? '';
};

test('a certificate from an unknown CA fails at once and names ca-bundle', async () => {
  const i = inputs();
  const r = await runStep('main', { inputs: i, env: env() });
  expect(r.code).toBe(3);
  expect(reportError(i['report-dir'])).toMatch(
    /unable to verify the server certificate against the RDS CA bundle; add its certificate authority with the ca-bundle input/,
  );
  expect(r.stdout).not.toMatch(/first query on .*: not yet/); // not retried until the timeout
});

test('with ca-bundle naming the CA file, verify-full connects', async () => {
  const r = await runStep('main', { inputs: inputs({ 'ca-bundle': caFile }), env: env() });
  if (r.code !== 0) process.stdout.write(`main step output:\n${r.stdout}\n${r.stderr}\n`);
  expect(r.code).toBe(0);
  expect(r.outputs.result).toBe('pass');
  expect(r.stdout).toMatch(/first query on 127\.0\.0\.1:\d+: answered/);
});
