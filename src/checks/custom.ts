/**
 * Custom SQL checks from the checks file: each query runs read-only with a timeout on the copy (and, for
 * matches-production, on production), and is judged against its expectation. Only numbers, booleans and
 * digests are reported; text from a database never is.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { result, elapsed } from './result.js';
import { safeError } from '../db/session.js';
import type { CheckResult } from '../model/types.js';
import type { CustomCheck } from '../inputs/checks-file-schema.js';

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
