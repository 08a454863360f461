import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadChecksFile, parseChecksFile } from '../../../src/inputs/checks-file-schema.js';

test('a valid checks file parses', () => {
  const file = parseChecksFile(`
version: 1
checks:
  - name: orders
    query: select count(*) from orders
    expect: { min: 1 }
  - name: same
    query: select 1
    expect: { matches-production: true }
watermarks:
  public.orders: created_at
  public.tags: none
exclude-tables: [public.audit]
foreign-keys: { max-rows: 1000, timeout-seconds: 5 }
`);
  expect(file.checks).toHaveLength(2);
  expect(file.watermarks?.['public.orders']).toBe('created_at');
});

test.each([
  ['checks: [{ name: a, query: "select 1", expect: { between: 1 } }]', /checks\[0\]\.expect: expects one of/],
  ['checks: [{ name: a, query: "select 1" }]', /checks\[0\]\.expect/],
  [
    'checks: [{ name: "bad name", query: "select 1", expect: { min: 1 } }]',
    /checks\[0\]\.name: a name of letters/,
  ],
  ['checks: [{ name: a, query: "", expect: { min: 1 } }]', /checks\[0\]\.query: a SQL query/],
  ['checks: [{ name: a, query: "q", expect: { min: 1 }, extra: 1 }]', /checks\[0\]: unknown key extra/],
  ['watermarks: { orders: created_at }', /watermarks\.orders: keys are schema\.table/],
  ['colour: blue', /\(top level\): unknown key colour/],
  [
    'checks: [{ name: a, query: q, expect: { min: 1 } }, { name: a, query: q, expect: { min: 1 } }]',
    /checks: check names must be unique/,
  ],
  ['checks: [a: b', /not valid YAML/],
])('a bad file names the key: %s', (text, message) => {
  let thrown: Error | undefined;
  try {
    parseChecksFile(text, 'checks-file x.yml');
  } catch (error) {
    thrown = error as Error;
  }
  expect(thrown?.message).toMatch(/^checks-file x\.yml: /);
  expect(thrown?.message).toMatch(message);
  expect(thrown?.message.split('\n')).toHaveLength(1);
});

test('loadChecksFile reads a file and names it in errors', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rp-checks-'));
  const good = join(dir, 'good.yml');
  await writeFile(good, 'checks:\n  - name: a\n    query: select 1\n    expect: { equals: 1 }\n');
  expect((await loadChecksFile(good)).checks[0]!.name).toBe('a');
  await expect(loadChecksFile(join(dir, 'missing.yml'))).rejects.toThrow(
    /missing\.yml: cannot read it \(ENOENT\)/,
  );
});
