import { generateKeyPairSync } from 'node:crypto';
import { planEvidence } from '../../../src/inputs/evidence.js';
import type { RawInputs } from '../../../src/inputs/names.js';
import { buildPlan } from '../../../src/inputs/plan.js';
import { readInputs } from '../../../src/inputs/raw-inputs.js';

const pem = generateKeyPairSync('ed25519')
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString()
  .trim();
const plan = (raw: RawInputs) => planEvidence(readInputs(raw));

test('defaults: reports in docs/tests, ad hoc, unsigned, not committed', () => {
  expect(plan({})).toEqual({ reportDir: 'docs/tests', cadence: 'adhoc', commitReport: false });
});

test('a signing key pasted with \\n escapes reaches the plan as a KeyObject and as real-newline PEM', () => {
  const p = buildPlan(
    { 'source-cluster': 'prod-db', 'aws-region': 'us-east-1', 'signing-key': pem.replace(/\n/g, '\\n') },
    {},
  );
  if (p.command !== 'restore-test') throw new Error('a restore-test plan');
  expect(p.evidence.signingKey?.asymmetricKeyType).toBe('ed25519');
  expect(p.evidence.signingKey?.export({ type: 'pkcs8', format: 'pem' }).toString().trim()).toBe(pem);
  // the legacy string field holds the PEM the report signer (src/report/signing.ts) reads
  expect(p.signingKey).toBe(pem);
});

test('committing needs a token; the token, namespace and public key are kept', () => {
  expect(() => plan({ 'commit-report': 'true' })).toThrow(
    /^input 'github-token' is required with commit-report true/,
  );
  expect(
    plan({
      'commit-report': 'TRUE',
      'github-token': 'ghs_x',
      'metrics-namespace': 'RestoreProof',
      'public-key': 'k.pem',
    }),
  ).toMatchObject({
    commitReport: true,
    githubToken: 'ghs_x',
    metricsNamespace: 'RestoreProof',
    publicKey: 'k.pem',
  });
});
