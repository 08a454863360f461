/**
 * Custom SQL checks from the checks file: each query runs read-only with a timeout on the copy (and, for
 * matches-production, on production), and is judged against its expectation. Every value is read in its
 * PostgreSQL text form (the session pins the settings that shape it: DateStyle, extra_float_digits, ...),
 * never converted to a JavaScript Date or float: matches-production compares those texts, so a timestamp a
 * microsecond apart, a numeric beyond 2^53 or a float's last digit differs; a number is judged by exact
 * decimal value (1.50 equals 1.5). Only numbers, booleans and digests are reported; text from a database
 * never is.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { result, elapsed } from './result.js';
import { safeError } from '../db/session.js';
import type { CheckResult } from '../model/types.js';
import type { CustomCheck } from '../inputs/checks-file-schema.js';
import { compareExact, exactlyANumber, exactOfNumber, parseExact, type ExactNumber } from './exact-number.js';

export interface QueryOutcome {
  /** The first column of the first row, in PostgreSQL's text form (null for NULL or no row). */
  value?: string | null;
  /** The first column's type oid (16 is boolean). */
  type?: number;
  /** sha256 of the whole result set, every value in its text form (for matches-production). */
  digest?: string;
  error?: string;
  ms: number;
}

const BOOL_OID = 16;
/** int2, int4, int8, oid, float4, float8, numeric: a string expectation is compared with them by value. */
const NUMBER_OIDS = new Set([21, 23, 20, 26, 700, 701, 1700]);
/** Every value stays the text PostgreSQL sent: no Date, no float, no parsed array. */
const AS_TEXT = { getTypeParser: () => (value: string) => value };

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
    const res = await client.query({
      text: check.query,
      rowMode: 'array',
      types: AS_TEXT as unknown as pg.CustomTypesConfig,
    });
    const rows = res.rows as (string | null)[][];
    const hash = createHash('sha256');
    // JSON of strings and nulls: NULL and 'null', and values holding a comma or a newline, stay apart.
    for (const row of rows) hash.update(JSON.stringify(row)).update('\n');
    if (savepoint) await client.query('RELEASE SAVEPOINT restore_proof_custom');
    else await client.query('COMMIT');
    const first = rows[0]?.[0];
    return {
      value: first ?? null,
      type: res.fields?.[0]?.dataTypeID,
      digest: hash.digest('hex'),
      ms: elapsed(started),
    };
  } catch (error) {
    if (savepoint) await client.query('ROLLBACK TO SAVEPOINT restore_proof_custom').catch(() => undefined);
    else await client.query('ROLLBACK').catch(() => undefined);
    return { error: safeError(error), ms: elapsed(started) };
  }
}

/** The value as an exact number when it is one (a boolean is not), else undefined. */
function numberOf(outcome: QueryOutcome): ExactNumber | undefined {
  if (typeof outcome.value !== 'string' || outcome.type === BOOL_OID) return undefined;
  return parseExact(outcome.value);
}

/** A value that may be shown: numbers (a JS number when exact, else the digits) and booleans; never text. */
function shown(outcome: QueryOutcome): number | string | boolean | null | undefined {
  if (outcome.value === null || outcome.value === undefined) return null;
  if (outcome.type === BOOL_OID) return outcome.value === 't';
  const n = numberOf(outcome);
  if (!n) return undefined;
  const exact = exactlyANumber(n);
  return exact !== undefined && Number.isFinite(exact) ? exact : outcome.value.trim();
}

/** Equality with the checks file's expectation, exact (see the file's header). */
function equalsExpectation(outcome: QueryOutcome, expected: number | string | boolean): boolean {
  const v = outcome.value;
  if (v === null || v === undefined) return false;
  if (typeof expected === 'boolean') {
    return outcome.type === BOOL_OID ? v === (expected ? 't' : 'f') : v === String(expected);
  }
  const n = numberOf(outcome);
  if (typeof expected === 'number') return n !== undefined && compareExact(n, exactOfNumber(expected)) === 0;
  // A string: by value when both are numbers and the column is numeric ('1.50' equals '1.5'), else as text.
  const e = parseExact(expected);
  if (n && e && outcome.type !== undefined && NUMBER_OIDS.has(outcome.type)) return compareExact(n, e) === 0;
  return v === expected;
}

/** A number expectation YAML could not hold exactly (an integer beyond 2^53) gets a hint. */
const unsafeHint = (n: number | undefined): string =>
  n !== undefined && Number.isInteger(n) && !Number.isSafeInteger(n)
    ? ` (the expectation ${n} is beyond the integers a checks-file number holds exactly: write it as a string to compare it exactly)`
    : '';

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
  const value = shown(copy);
  const measured = value === undefined ? '(non-numeric value, not shown)' : value;
  if ('equals' in e) {
    const ok = equalsExpectation(copy, e.equals);
    // A string expectation is the user's own literal; the copy's text value is still never shown.
    return result(
      id,
      'custom',
      ok ? 'pass' : 'fail',
      ok
        ? 'value equals the expectation'
        : `value differs from the expectation${unsafeHint(typeof e.equals === 'number' ? e.equals : undefined)}`,
      ms,
      {
        measured: typeof e.equals === 'string' ? (ok ? e.equals : '(differs, not shown)') : measured,
        expected: e.equals,
      },
    );
  }
  const n = numberOf(copy);
  if (!n || (!n.finite && n.value === 'NaN')) {
    return result(id, 'custom', 'fail', 'value is not a number', ms, {
      measured,
      expected: range(e.min, e.max),
    });
  }
  const ok =
    (e.min === undefined || compareExact(n, exactOfNumber(e.min)) >= 0) &&
    (e.max === undefined || compareExact(n, exactOfNumber(e.max)) <= 0);
  return result(
    id,
    'custom',
    ok ? 'pass' : 'fail',
    ok
      ? `value within ${range(e.min, e.max)}`
      : `value outside ${range(e.min, e.max)}${unsafeHint(e.min) || unsafeHint(e.max)}`,
    ms,
    { measured: measured, expected: range(e.min, e.max) },
  );
}

const range = (min?: number, max?: number): string =>
  min !== undefined && max !== undefined ? `[${min}, ${max}]` : min !== undefined ? `>= ${min}` : `<= ${max}`;

/** Production's outcomes of the matches-production checks, run in production's session (snapshot or live). */
export async function runOnProduction(
  client: pg.Client,
  checks: CustomCheck[],
  inTransaction: boolean,
): Promise<Map<string, QueryOutcome>> {
  const outcomes = new Map<string, QueryOutcome>();
  for (const check of checks) {
    if ('matches-production' in check.expect)
      outcomes.set(check.name, await runCustomQuery(client, check, inTransaction));
  }
  return outcomes;
}

/** What production answered to the matches-production checks, or why it could not answer. */
export interface ProductionOutcomes {
  custom: Map<string, QueryOutcome>;
  error?: string;
}

/**
 * Runs every custom check on the copy and judges it; a matches-production check against production's
 * outcome, which is qualified as "production now" when production was not read at the restore point.
 */
export async function customChecks(
  copy: pg.Client,
  checks: CustomCheck[],
  production: ProductionOutcomes | undefined,
  pinned: boolean,
): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  for (const check of checks) {
    const mine = await runCustomQuery(copy, check);
    let theirs: QueryOutcome | string | undefined;
    if ('matches-production' in check.expect) {
      if (!production) theirs = 'no production-url: comparison skipped';
      else if (production.error) theirs = { error: production.error, ms: 0 };
      else theirs = production.custom.get(check.name) ?? 'not run on production';
    }
    const judged = judgeCustom(check, mine, theirs);
    if ('matches-production' in check.expect && judged.status === 'pass' && !pinned) {
      judged.summary = `${judged.summary} (production now, not as of the restore point)`;
    }
    out.push(judged);
  }
  return out;
}
