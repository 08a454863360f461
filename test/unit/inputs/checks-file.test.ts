import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planChecksFile } from '../../../src/inputs/checks-file.js';
import { InputError } from '../../../src/inputs/input-error.js';
import { buildPlan } from '../../../src/inputs/plan.js';
import { readInputs } from '../../../src/inputs/raw-inputs.js';

const dir = mkdtempSync(join(tmpdir(), 'restore-proof-checks-'));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

test('no checks file: no checks', () => {
  expect(planChecksFile(readInputs({}))).toEqual({ checks: { checks: [] } });
});

test('a valid file is read and validated while planning', () => {
  const path = file(
    'good.yml',
    'checks:\n  - name: orders\n    query: select count(*) from orders\n    expect: { min: 1 }\nexclude-tables: [public.audit]\n',
  );
  expect(planChecksFile(readInputs({ 'checks-file': path }))).toEqual({
    path,
    checks: {
      checks: [{ name: 'orders', query: 'select count(*) from orders', expect: { min: 1 } }],
      'exclude-tables': ['public.audit'],
    },
  });
});

test.each([
  ['bad-yaml.yml', 'checks: [\n', /not valid YAML/],
  [
    'bad-expect.yml',
    'checks:\n  - name: x\n    query: select 1\n    expect: { about: 1 }\n',
    /checks\[0\]\.expect: expects one of/,
  ],
  ['unknown-key.yml', 'chekcs: []\n', /\(top level\): unknown key chekcs/],
  ['bad-table.yml', 'exclude-tables: [audit]\n', /exclude-tables\[0\]: schema\.table/],
])('a bad file is one InputError line naming checks-file, before any AWS call: %s', (name, text, message) => {
  const path = file(name, text);
  let error: Error | undefined;
  try {
    buildPlan({ 'source-cluster': 'prod-db', 'aws-region': 'us-east-1', 'checks-file': path }, {});
  } catch (e) {
    error = e as Error;
  }
  expect(error).toBeInstanceOf(InputError);
  expect(error!.message).toMatch(/^input 'checks-file' accepts a YAML file of custom SQL checks; /);
  expect(error!.message).toContain(path);
  expect(error!.message).toMatch(message);
  expect(error!.message).not.toContain('\n');
});

test('the parsed checks reach the restore-test plan', () => {
  const path = file('one.yml', 'checks:\n  - name: one\n    query: select 1\n    expect: { equals: 1 }\n');
  const plan = buildPlan({ 'source-cluster': 'prod-db', 'aws-region': 'us-east-1', 'checks-file': path }, {});
  if (plan.command !== 'restore-test') throw new Error('a restore-test plan');
  expect(plan.checks.checks.map((c) => c.name)).toEqual(['one']);
  expect(plan.checksFile).toBe(path);
});
