/**
 * How lightly production was touched: one check, posture:production-pass, with how long the production
 * pass held its transaction, where it ran (writer or reader, by pg_is_in_recovery()), the bounds it ran
 * under (tables read at once, parallel workers per statement, lock_timeout, statement_timeout) and which
 * tables had to be retried after a lock timeout. A pass on the writer warns: its AccessShareLocks queue a
 * DDL (and every query behind that DDL) for as long as a table is being read, while a long read on a
 * reader never blocks a DDL on the writer.
 */
import { DEFAULT_LOCK_TIMEOUT_MS, type SessionOptions } from '../db/session.js';
import type { CheckResult } from '../model/types.js';
import type { ProductionSide } from './production-side.js';
import { listSome, result } from './result.js';

/** The load bounds the production pass ran under. */
export interface PassBounds extends Pick<
  SessionOptions,
  'parallelWorkers' | 'lockTimeoutMs' | 'statementTimeoutMs'
> {
  tablesAtOnce: number;
}

const seconds = (ms: number): string => `${Math.round(ms) / 1000} s`;

/** "at most 4 tables at once, 2 parallel workers per statement, lock_timeout 5 s, statement_timeout 3600 s" */
export function boundsText(bounds: PassBounds): string {
  const lock = bounds.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  const statement = bounds.statementTimeoutMs ? seconds(bounds.statementTimeoutMs) : 'none';
  return `at most ${bounds.tablesAtOnce} ${bounds.tablesAtOnce === 1 ? 'table' : 'tables'} at once, ${bounds.parallelWorkers} parallel workers per statement, lock_timeout ${seconds(lock)}, statement_timeout ${statement}`;
}

export function productionPassCheck(
  production: ProductionSide | undefined,
  bounds?: PassBounds,
): CheckResult | undefined {
  const pass = production?.pass;
  if (!production || !pass) return undefined;
  const retried = pass.retried.length ? `; retried after a lock timeout: ${listSome(pass.retried)}` : '';
  const limits = bounds ? ` (${boundsText(bounds)})` : '';
  const values = { measured: pass.ms };
  if (production.error) {
    return result(
      'posture:production-pass',
      'posture',
      'warn',
      `production pass ended after ${pass.ms} ms without reading production${limits}: ${production.error}`,
      pass.ms,
      values,
    );
  }
  if (pass.onReader) {
    return result(
      'posture:production-pass',
      'posture',
      'pass',
      `production read on a reader (pg_is_in_recovery) in one ${pass.ms} ms transaction${limits}${retried}`,
      pass.ms,
      values,
    );
  }
  return result(
    'posture:production-pass',
    'posture',
    'warn',
    `production read on the writer in one ${pass.ms} ms transaction${limits}${retried}; point production-url at a reader endpoint: a long read on a reader never blocks a DDL on the writer, where this read's locks queue DDL (and the queries behind it) while each table is read`,
    pass.ms,
    values,
  );
}
