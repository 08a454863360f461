/**
 * docs/checks-file.schema.json is generated from the zod schema of the checks file, and docs/checks-file.md
 * names every key and its example validates. Regenerate the JSON Schema with
 * `RESTORE_PROOF_WRITE_SCHEMA=1 npx jest test/contract/checks-file-schema.test.ts`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { format } from 'prettier';
import { z } from 'zod';
import { checksFileSchema, parseChecksFile } from '../../src/inputs/checks-file-schema.js';

const FILE = 'docs/checks-file.schema.json';

async function generated(): Promise<string> {
  const schema = {
    $id: 'https://github.com/restore-proof/restore-proof/blob/main/docs/checks-file.schema.json',
    title: 'restore-proof checks file',
    ...z.toJSONSchema(checksFileSchema, { io: 'input' }),
  };
  return format(JSON.stringify(schema), { parser: 'json' });
}

test('the JSON Schema is generated from the zod schema', async () => {
  const text = await generated();
  if (process.env.RESTORE_PROOF_WRITE_SCHEMA === '1') writeFileSync(FILE, text);
  expect(readFileSync(FILE, 'utf8')).toBe(text);
});

const doc = readFileSync('docs/checks-file.md', 'utf8');

test('docs/checks-file.md names every key of the schema', () => {
  const shape = checksFileSchema.shape;
  const keys = [
    ...Object.keys(shape),
    'name',
    'query',
    'expect',
    'equals',
    'min',
    'max',
    'matches-production',
    'timeout-seconds',
    'enabled',
    'max-rows',
  ];
  for (const key of keys) expect(doc).toContain(`\`${key}\``);
});

test("docs/checks-file.md's complete example is a valid checks file", () => {
  const example = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
  expect(example).toBeDefined();
  const parsed = parseChecksFile(example!);
  expect(parsed.checks.length).toBeGreaterThan(0);
  expect(parsed.watermarks).toBeDefined();
  expect(parsed['foreign-keys']).toBeDefined();
  expect(parsed['exclude-tables']).toBeDefined();
  expect(parsed.amcheck).toBeDefined();
});
