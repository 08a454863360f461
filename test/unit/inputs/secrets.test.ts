import { generateKeyPairSync } from 'node:crypto';
import { buildPlan } from '../../../src/inputs/plan.js';
import { secretsOf, secretValues } from '../../../src/inputs/secrets.js';
import type { Plan } from '../../../src/model/types.js';

const pem = generateKeyPairSync('ed25519')
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString()
  .trim();
const body = pem.split('\n').filter((l) => !l.startsWith('-----'));
const production = 'postgres://reader:pa%24%24word-1@db.internal:5432/app';
const source = 'postgres://postgres:local-secret@127.0.0.1:5433/app';
const token = 'ghs_0123456789abcdef';

test('every secret among the inputs, computed once while planning: key, its lines, token, URLs, passwords', () => {
  const plan = buildPlan(
    {
      'source-cluster': 'prod-db',
      'aws-region': 'us-east-1',
      'signing-key': pem.replace(/\n/g, '\\n'),
      'github-token': token,
      'production-url': production,
      'source-url': source,
    },
    {},
  );
  const secrets = secretsOf(plan);
  expect(secrets).toBe(plan.secrets);
  expect(new Set(secrets)).toEqual(
    new Set([
      pem,
      pem.replace(/\n/g, '\\n'),
      ...body,
      token,
      production,
      'pa%24%24word-1',
      'pa$$word-1',
      source,
      'local-secret',
    ]),
  );
  // longest first, so a secret inside another is masked as part of the longer one
  expect([...secrets].sort((a, b) => b.length - a.length)).toEqual(secrets);
});

test('no secret inputs: none', () => {
  expect(secretsOf(buildPlan({ 'source-cluster': 'prod-db', 'aws-region': 'us-east-1' }, {}))).toEqual([]);
});

test('a plan built by hand has its secrets worked out from its string fields', () => {
  const plan = { productionUrl: production, githubToken: token, signingKey: pem } as Plan;
  expect(secretsOf(plan)).toEqual(
    secretValues({ signingKeyPem: pem, githubToken: token, urls: [production] }),
  );
  expect(secretsOf(plan)).toEqual(expect.arrayContaining(['pa$$word-1', token, ...body]));
});

test('values shorter than four characters, and URLs without passwords, add nothing extra', () => {
  expect(secretValues({ githubToken: 'abc', urls: ['postgres://u@db/app', 'not a url', undefined] })).toEqual(
    ['postgres://u@db/app', 'not a url'],
  );
});
