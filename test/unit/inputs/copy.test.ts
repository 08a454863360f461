import { planCopy } from '../../../src/inputs/copy.js';
import type { RawInputs } from '../../../src/inputs/names.js';
import { readInputs } from '../../../src/inputs/raw-inputs.js';

const plan = (raw: RawInputs, sourceIsInstance = false) =>
  planCopy(readInputs(raw), { sslMode: 'verify-full', sourceIsInstance });

test('only what was given, plus the ssl mode', () => {
  expect(plan({})).toEqual({ sslMode: 'verify-full' });
  expect(plan({ 'tunnel-command': 'ssh -L {localPort}:{host}:{port} bastion' })).toEqual({
    tunnelCommand: 'ssh -L {localPort}:{host}:{port} bastion',
    sslMode: 'verify-full',
  });
});

test('an RDS instance restore keeps the source key: kms-key-id is refused with source-instance', () => {
  expect(plan({ 'kms-key-id': 'alias/prod' })).toMatchObject({ kmsKeyId: 'alias/prod' });
  expect(() => plan({ 'kms-key-id': 'alias/prod' }, true)).toThrow(
    /^input 'kms-key-id' goes only with source-cluster: an RDS instance restore keeps the source's KMS key/,
  );
});

test('instance-class accepts db.serverless (Aurora Serverless v2), for a cluster source only', () => {
  expect(plan({ 'instance-class': 'db.serverless' })).toMatchObject({ instanceClass: 'db.serverless' });
  expect(plan({ 'instance-class': 'db.r6g.large' })).toMatchObject({ instanceClass: 'db.r6g.large' });
  expect(() => plan({ 'instance-class': 'db.serverlessv2' })).toThrow(/^input 'instance-class' accepts/);
  expect(() => plan({ 'instance-class': 'db.serverless' }, true)).toThrow(
    /^input 'instance-class' accepts db.serverless only with source-cluster/,
  );
});
