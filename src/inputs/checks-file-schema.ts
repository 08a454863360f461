/**
 * The checks file (YAML): custom SQL assertions plus the knobs of the data checks. Validated with zod
 * before any AWS call; a bad file is one line naming the key path and what it accepts.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { z } from 'zod';

const TABLE_KEY = /^[^.\s]+\.[^.\s]+$/;

const expectation = z.union([
  z.strictObject({ equals: z.union([z.number(), z.string(), z.boolean()]) }),
  z
    .strictObject({ min: z.number().optional(), max: z.number().optional() })
    .refine((e) => e.min !== undefined || e.max !== undefined, { message: 'needs min, max or both' }),
  z.strictObject({ 'matches-production': z.literal(true) }),
]);

const customCheck = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a name of letters, digits, dot, dash, underscore'),
  query: z.string().min(1, 'a SQL query returning one value'),
  expect: expectation,
  'timeout-seconds': z.number().int().positive().optional(),
});

export const checksFileSchema = z.strictObject({
  version: z.literal(1).optional(),
  checks: z
    .array(customCheck)
    .default([])
    .refine((a) => new Set(a.map((c) => c.name)).size === a.length, {
      message: 'check names must be unique',
    }),
  /** schema.table -> watermark column; the value "none" turns detection off for that table. */
  watermarks: z.record(z.string().regex(TABLE_KEY, 'keys are schema.table'), z.string().min(1)).optional(),
  'exclude-tables': z.array(z.string().regex(TABLE_KEY, 'schema.table')).optional(),
  'foreign-keys': z
    .strictObject({
      enabled: z.boolean().optional(),
      'max-rows': z.number().int().positive().optional(),
      'timeout-seconds': z.number().int().positive().optional(),
    })
    .optional(),
  amcheck: z.boolean().optional(),
});

export type ChecksFile = z.infer<typeof checksFileSchema>;
export type CustomCheck = ChecksFile['checks'][number];

const EXPECTS = 'one of {equals: value}, {min: n, max: n}, {matches-production: true}';

/** Parses and validates a checks file's text. Throws one line naming the key path. */
export function parseChecksFile(text: string, name = 'checks-file'): ChecksFile {
  let raw: unknown;
  try {
    raw = parse(text) ?? {};
  } catch (error) {
    throw new Error(`${name}: not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const parsed = checksFileSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const path = issue.path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('');
  const lastKey = issue.path[issue.path.length - 1];
  let message = issue.message;
  if (lastKey === 'expect' || (issue.code === 'invalid_union' && issue.path.includes('expect'))) {
    message = `expects ${EXPECTS}`;
  } else if (issue.code === 'invalid_key') {
    message = `keys are schema.table`;
  } else if (issue.code === 'unrecognized_keys') {
    message = `unknown key ${(issue as { keys: string[] }).keys.join(', ')}`;
  }
  throw new Error(`${name}: ${path || '(top level)'}: ${message}`);
}

/** Reads and validates the checks file; callable at plan time, before any AWS call. */
export async function loadChecksFile(path: string): Promise<ChecksFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(
      `checks-file ${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  return parseChecksFile(text, `checks-file ${path}`);
}
