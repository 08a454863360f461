/**
 * verify-full through restored-host: the copy is reached on 127.0.0.1 (a port forward), but its certificate
 * is issued for its endpoint name, so TLS must check that name, not 127.0.0.1. RDS answers with the copy's
 * endpoint (moto's is random; the fault proxy rewrites it to a fixed name the test CA can issue for).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { leftovers, REGION } from '../support/aurora-fixture.js';
import { issueCertificate, useCopyDrill } from '../support/copy-drill.js';
import { onDatabase } from '../support/drill-servers.js';
import { runStep } from '../support/runner.js';
import { tempDir } from '../support/temp-dir.js';

const ENDPOINT = `restored-copy.cluster-c0ffee0example.${REGION}.rds.amazonaws.com`;

const drill = useCopyDrill({ endpoint: ENDPOINT, tls: 'ca-issued' });

/** Issues the server certificate for `san` from the test CA and has the server load it. */
async function serveCertificateFor(san: string): Promise<void> {
  issueCertificate(drill.ca!, drill.certificate!, san);
  await onDatabase(drill.server, 'postgres', (c) => c.query('select pg_reload_conf()'));
}

afterEach(async () => {
  expect(await leftovers(drill.rds)).toEqual([]);
});

const inputs = () => ({
  'source-cluster': 'prod-db',
  'aws-region': REGION,
  'restored-host': '127.0.0.1',
  'restored-port': String(drill.server.port),
  'ssl-mode': 'verify-full',
  'ca-bundle': drill.ca!.cert,
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
  const r = await runStep('main', { inputs: i, env: drill.env() });
  if (r.code !== 0) process.stdout.write(`main step output:\n${r.stdout}\n${r.stderr}\n`);
  expect(r.code).toBe(0);
  expect(r.outputs.result).toBe('pass');
  expect(r.stdout).toMatch(/first query on 127\.0\.0\.1:\d+: answered/);
  expect(reportOf(i['report-dir']).result).toBe('pass');
});

test('a certificate for another name (even one valid for 127.0.0.1) is refused', async () => {
  await serveCertificateFor('DNS:someone-else.example.com,IP:127.0.0.1');
  const i = inputs();
  const r = await runStep('main', { inputs: i, env: drill.env() });
  expect(r.code).toBe(3);
  const written = reportOf(i['report-dir']);
  expect(written.result).not.toBe('pass');
  expect(written.error).toMatch(/ssl-mode verify-full/);
  // checked against the endpoint's name, not the 127.0.0.1 the socket went to
  expect(written.error).toContain(`Hostname/IP does not match certificate's altnames: Host: ${ENDPOINT}.`);
  expect(r.stdout).not.toMatch(/first query on .*: not yet/); // refused at once, not retried
});
