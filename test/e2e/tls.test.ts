/**
 * TLS to the copy: verify-full (the default) checks the server certificate against the RDS CA bundle and
 * refuses anything else at once; require encrypts without checking and the report records the warning.
 * The copy is a real PostgreSQL serving TLS with a self-signed certificate.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { leftovers, REGION } from '../support/aurora-fixture.js';
import { useCopyDrill } from '../support/copy-drill.js';
import { runStep } from '../support/runner.js';
import { tempDir } from '../support/temp-dir.js';

const drill = useCopyDrill({ tls: 'self-signed' });

const inputs = (sslMode?: string) => ({
  'source-cluster': 'prod-db',
  'aws-region': REGION,
  'restored-host': '127.0.0.1',
  'restored-port': String(drill.server.port),
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
  const r = await runStep('main', { inputs: i, env: drill.env() });
  expect(r.code).toBe(3);
  const written = report(i['report-dir']);
  expect(written.error).toMatch(/ssl-mode verify-full/);
  expect(written.error).toMatch(/self[- ]signed certificate/);
  expect(written.warnings).toEqual([]);
  expect(r.stdout).not.toMatch(/first query on .*: not yet/); // no retrying a refusal that cannot change
  expect(await leftovers(drill.rds)).toEqual([]);
});

test('require encrypts without checking the certificate, and the report records the warning', async () => {
  const i = inputs('require');
  const r = await runStep('main', { inputs: i, env: drill.env() });
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
