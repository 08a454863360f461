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

test('restore-parameter-group and restore-instance-parameter-group: AWS naming rules, one line each', () => {
  expect(
    plan({
      'restore-parameter-group': 'drill-aurora-pg15',
      'restore-instance-parameter-group': 'default.aurora-postgresql15',
    }),
  ).toMatchObject({
    parameterGroup: 'drill-aurora-pg15',
    instanceParameterGroup: 'default.aurora-postgresql15',
  });
  expect(plan({ 'restore-parameter-group': `a${'b'.repeat(254)}` }).parameterGroup).toHaveLength(255);
  for (const bad of [
    '1starts-with-digit',
    'ends-with-',
    'two--hyphens',
    'has_underscore',
    'has space',
    `a${'b'.repeat(255)}`,
  ]) {
    const error = (() => {
      try {
        plan({ 'restore-parameter-group': bad });
      } catch (e) {
        return (e as Error).message;
      }
      return 'accepted';
    })();
    expect([bad, error]).toEqual([
      bad,
      expect.stringMatching(
        /^input 'restore-parameter-group' accepts a parameter group name: up to 255 letters, digits and hyphens, starting with a letter/,
      ),
    ]);
    expect(error.split('\n')).toHaveLength(1);
  }
  expect(() => plan({ 'restore-instance-parameter-group': 'x--y' })).toThrow(
    /^input 'restore-instance-parameter-group' accepts a parameter group name/,
  );
});

test('restore-instance-parameter-group goes with source-cluster only', () => {
  expect(plan({ 'restore-parameter-group': 'drill-pg16' }, true)).toMatchObject({
    parameterGroup: 'drill-pg16',
  });
  expect(() => plan({ 'restore-instance-parameter-group': 'drill-pg16' }, true)).toThrow(
    /^input 'restore-instance-parameter-group' goes only with source-cluster/,
  );
});
