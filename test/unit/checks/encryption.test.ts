import { encryptionChecks, kmsKeyIdentity } from '../../../src/checks/encryption.js';
import { target } from '../../fixtures/checks/target.js';

test('encryption from the provider description', () => {
  expect(kmsKeyIdentity('arn:aws:kms:eu-west-1:1:key/abc')).toBe('abc');
  expect(encryptionChecks({}, target()).map((c) => c.status)).toEqual(['pass', 'pass']);
  expect(encryptionChecks({ kmsKeyId: 'other' }, target())[1]!.status).toBe('fail');
  const local = target({ source: { identifier: 'x', engine: 'postgres' }, copy: {} });
  expect(encryptionChecks({}, local).every((c) => c.status === 'skip')).toBe(true);
});
