/**
 * verify-full against a copy whose certificate comes from a private CA (a proxy in front of the database, a
 * partition whose CAs the RDS bundle lacks): without ca-bundle the drill fails at once naming the input that
 * fixes it; with ca-bundle (a file, as a workflow would pass it) it connects and verifies the host name.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { leftovers, REGION } from '../support/aurora-fixture.js';
import { useCopyDrill } from '../support/copy-drill.js';
import { runStep } from '../support/runner.js';
import { tempDir } from '../support/temp-dir.js';

/** The copy's endpoint as RDS reports it (moto's is random: the proxy fixes it), the name TLS checks. */
const ENDPOINT = `restored-copy.cluster-c0ffee0example.${REGION}.rds.amazonaws.com`;

const drill = useCopyDrill({ endpoint: ENDPOINT, tls: 'ca-issued' });

afterEach(async () => {
  expect(await leftovers(drill.rds)).toEqual([]);
});

const inputs = (extra: Record<string, string> = {}) => ({
  'source-cluster': 'prod-db',
  'aws-region': REGION,
  'restored-host': '127.0.0.1',
  'restored-port': String(drill.server.port),
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
  const r = await runStep('main', { inputs: i, env: drill.env() });
  expect(r.code).toBe(3);
  expect(reportError(i['report-dir'])).toMatch(
    /unable to verify the server certificate against the RDS CA bundle; add its certificate authority with the ca-bundle input/,
  );
  expect(r.stdout).not.toMatch(/first query on .*: not yet/); // not retried until the timeout
});

test('with ca-bundle naming the CA file, verify-full connects', async () => {
  const r = await runStep('main', { inputs: inputs({ 'ca-bundle': drill.ca!.cert }), env: drill.env() });
  if (r.code !== 0) process.stdout.write(`main step output:\n${r.stdout}\n${r.stderr}\n`);
  expect(r.code).toBe(0);
  expect(r.outputs.result).toBe('pass');
  expect(r.stdout).toMatch(/first query on 127\.0\.0\.1:\d+: answered/);
});
