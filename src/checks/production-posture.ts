/**
 * How lightly production was touched: one check, posture:production-pass, with how long the production
 * pass held its transaction, where it ran (writer or reader, by pg_is_in_recovery()) and which tables
 * had to be retried after a lock timeout. A pass on the writer warns: its AccessShareLocks queue a DDL
 * (and every query behind that DDL) for as long as a table is being read, while a long read on a reader
 * never blocks a DDL on the writer.
 */
import type { CheckResult } from '../model/types.js';
import type { ProductionSide } from './production-side.js';
import { listSome, result } from './result.js';

export function productionPassCheck(production: ProductionSide | undefined): CheckResult | undefined {
  const pass = production?.pass;
  if (!production || !pass) return undefined;
  const retried = pass.retried.length ? `; retried after a lock timeout: ${listSome(pass.retried)}` : '';
  const values = { measured: pass.ms };
  if (production.error) {
    return result(
      'posture:production-pass',
      'posture',
      'warn',
      `production pass ended after ${pass.ms} ms without reading production: ${production.error}`,
      pass.ms,
      values,
    );
  }
  if (pass.onReader) {
    return result(
      'posture:production-pass',
      'posture',
      'pass',
      `production read on a reader (pg_is_in_recovery) in one ${pass.ms} ms transaction${retried}`,
      pass.ms,
      values,
    );
  }
  return result(
    'posture:production-pass',
    'posture',
    'warn',
    `production read on the writer in one ${pass.ms} ms transaction${retried}; point production-url at a reader endpoint: a long read on a reader never blocks a DDL on the writer, where this read's locks queue DDL (and the queries behind it) while each table is read`,
    pass.ms,
    values,
  );
}
