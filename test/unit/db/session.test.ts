import { applicationName, safeError, sessionSql } from '../../../src/db/session.js';

test('error text keeps quoted values out', () => {
  const e = Object.assign(new Error('invalid input syntax for type integer: "SECRET"'), { code: '22P02' });
  expect(safeError(e)).toBe('SQLSTATE 22P02: invalid input syntax for type integer: "…"');
  expect(safeError(new Error('Key (email)=(a@b.c) already exists'))).not.toContain('a@b.c');
});

test('every session turns row security off and pins the settings that change text forms', () => {
  const sql = sessionSql({ parallelWorkers: 2 });
  for (const setting of [
    'SET row_security = off',
    "SET search_path = 'public'",
    "SET lc_monetary = 'C'",
    "SET TimeZone = 'UTC'",
    "SET DateStyle = 'ISO, YMD'",
    "SET IntervalStyle = 'postgres'",
    'SET extra_float_digits = 3',
    "SET bytea_output = 'hex'",
    'SET quote_all_identifiers = off',
    'SET default_transaction_read_only = on',
  ])
    expect(sql).toContain(setting);
});

test('lock_timeout always, statement_timeout when asked', () => {
  expect(sessionSql({ parallelWorkers: 0 })).toContain('SET lock_timeout = 5000');
  expect(sessionSql({ parallelWorkers: 0 })).toContain('SET statement_timeout = 0');
  const sql = sessionSql({ parallelWorkers: 0, lockTimeoutMs: 250, statementTimeoutMs: 60_000 });
  expect(sql).toContain('SET lock_timeout = 250');
  expect(sql).toContain('SET statement_timeout = 60000');
  expect(sessionSql({ parallelWorkers: 0, lockTimeoutMs: -1 })).toContain('SET lock_timeout = 5000');
});

test('application_name is restore-proof, then the run id, within 63 bytes', () => {
  expect(applicationName()).toBe('restore-proof');
  expect(applicationName('run-42')).toBe('restore-proof run-42');
  expect(applicationName('a\nb')).toBe('restore-proof ab');
  expect(applicationName('x'.repeat(100))).toHaveLength(63);
});
