/**
 * The checks file (YAML): custom SQL assertions plus the knobs of the data checks. Validated with zod
 * before any AWS call; a bad file is one line naming the key path and what it accepts.
 */
import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { parse } from 'yaml';
import { z } from 'zod';
import type pg from 'pg';
import { result, elapsed } from './result.js';
import { safeError } from '../db/session.js';
import type { CheckResult } from '../model/types.js';

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

export interface QueryOutcome {
  value?: unknown;
  /** sha256 of the whole result set (for matches-production). */
  digest?: string;
  error?: string;
  ms: number;
}

/** Runs a custom query read-only, with a timeout; returns its first value and a digest of all rows. */
export async function runCustomQuery(
  client: pg.Client,
  check: CustomCheck,
  inTransaction = false,
): Promise<QueryOutcome> {
  const started = Date.now();
  const timeout = (check['timeout-seconds'] ?? 60) * 1000;
  const savepoint = inTransaction;
  try {
    if (savepoint) await client.query('SAVEPOINT restore_proof_custom');
    else await client.query('BEGIN READ ONLY');
    await client.query(`SET LOCAL statement_timeout = ${timeout}`);
    const res = await client.query({ text: check.query, rowMode: 'array' });
    const hash = createHash('sha256');
    for (const row of res.rows as unknown[][]) hash.update(JSON.stringify(row)).update('\n');
    if (savepoint) await client.query('RELEASE SAVEPOINT restore_proof_custom');
    else await client.query('COMMIT');
    const first = (res.rows as unknown[][])[0]?.[0];
    return { value: first, digest: hash.digest('hex'), ms: elapsed(started) };
  } catch (error) {
    if (savepoint) await client.query('ROLLBACK TO SAVEPOINT restore_proof_custom').catch(() => undefined);
    else await client.query('ROLLBACK').catch(() => undefined);
    return { error: safeError(error), ms: elapsed(started) };
  }
}

/** A value that may be shown: numbers and booleans only; text from a database is never reported. */
function shown(value: unknown): number | boolean | null | undefined {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(value)) return Number(value);
  return undefined;
}

/** Judges one custom check from the copy's outcome (and production's, for matches-production). */
export function judgeCustom(
  check: CustomCheck,
  copy: QueryOutcome,
  production?: QueryOutcome | string,
): CheckResult {
  const id = `custom:${check.name}`;
  const ms = copy.ms + (typeof production === 'object' ? production.ms : 0);
  if (copy.error) return result(id, 'custom', 'error', `query failed on the copy: ${copy.error}`, ms);
  const e = check.expect;
  if ('matches-production' in e) {
    if (typeof production === 'string') return result(id, 'custom', 'skip', production, ms);
    if (!production) return result(id, 'custom', 'skip', 'no production connection', ms);
    if (production.error)
      return result(id, 'custom', 'error', `query failed on production: ${production.error}`, ms);
    const same = copy.digest === production.digest;
    return result(
      id,
      'custom',
      same ? 'pass' : 'fail',
      same ? 'result matches production' : 'result differs from production',
      ms,
      { measured: copy.digest!.slice(0, 16), expected: production.digest!.slice(0, 16) },
    );
  }
  const value = shown(copy.value);
  const measured = value === undefined ? '(non-numeric value, not shown)' : value;
  if ('equals' in e) {
    const ok =
      typeof e.equals === 'number'
        ? typeof value === 'number' && value === e.equals
        : typeof e.equals === 'boolean'
          ? copy.value === e.equals
          : copy.value !== null && copy.value !== undefined && String(copy.value) === e.equals;
    // A string expectation is the user's own literal; the copy's text value is still never shown.
    return result(
      id,
      'custom',
      ok ? 'pass' : 'fail',
      ok ? 'value equals the expectation' : 'value differs from the expectation',
      ms,
      {
        measured: typeof e.equals === 'string' ? (ok ? e.equals : '(differs, not shown)') : measured,
        expected: e.equals,
      },
    );
  }
  if (typeof value !== 'number') {
    return result(id, 'custom', 'fail', 'value is not a number', ms, {
      measured,
      expected: range(e.min, e.max),
    });
  }
  const ok = (e.min === undefined || value >= e.min) && (e.max === undefined || value <= e.max);
  return result(
    id,
    'custom',
    ok ? 'pass' : 'fail',
    ok ? `value within ${range(e.min, e.max)}` : `value outside ${range(e.min, e.max)}`,
    ms,
    {
      measured: value,
      expected: range(e.min, e.max),
    },
  );
}

const range = (min?: number, max?: number): string =>
  min !== undefined && max !== undefined ? `[${min}, ${max}]` : min !== undefined ? `>= ${min}` : `<= ${max}`;
