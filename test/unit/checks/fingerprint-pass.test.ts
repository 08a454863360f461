import type pg from 'pg';
import { fingerprintTables, LOCKED_OUT, lockedOut } from '../../../src/checks/fingerprint-pass.js';
import type { TableInfo } from '../../../src/db/catalog.js';

const table = (name: string): TableInfo => ({
  schema: 'public',
  name,
  key: `public.${name}`,
  persistence: 'p',
  columns: [
    {
      name: 'id',
      attnum: 1,
      type: 'int8',
      baseType: 'int8',
      elementType: null,
      collatable: false,
      notNull: true,
    },
  ],
  primaryKey: ['id'],
  sequences: [],
  estimatedRows: 0,
});

const lockTimeout = Object.assign(new Error('canceling statement due to lock timeout'), { code: '55P03' });
const snapshotGone = Object.assign(new Error('invalid snapshot identifier'), { code: '22023' });

/** A connection whose fingerprint of a table fails with the errors queued for it, in order, then answers. */
function pool(failures: Record<string, Error[]>, statements: string[]) {
  const client = {
    escapeIdentifier: (s: string) => `"${s}"`,
    query: async (sql: string) => {
      statements.push(sql.split(' ')[0]!);
      const name = Object.keys(failures).find((n) => sql.includes(`"public"."${n}"`));
      const error = name ? failures[name]!.shift() : undefined;
      if (error) throw error;
      return { rows: [{ b: 0, n: '3', s: '42', newest: null }] };
    },
    end: async () => undefined,
  } as unknown as pg.Client;
  return {
    concurrency: 1,
    open: async () => client,
    signal: new AbortController().signal,
    lockRetryDelayMs: 0,
    enter: async (c: pg.Client) => void (await c.query('BEGIN')),
  };
}

test('a table that timed out on a lock is retried once after the others, each table in its own transaction', async () => {
  const statements: string[] = [];
  const retried: string[][] = [];
  const sides = await fingerprintTables(
    [table('a'), table('b')],
    { ...pool({ a: [lockTimeout] }, statements), onRetry: (t) => retried.push(t) },
    () => ({}),
  );
  expect(sides.get('public.a')).toMatchObject({ ok: { count: 3n } });
  expect(sides.get('public.b')).toMatchObject({ ok: { count: 3n } });
  expect(retried).toEqual([['public.a']]);
  // a (fails, rolled back), b, then a again: every read begins and ends its own transaction.
  expect(statements).toEqual([
    'BEGIN',
    'SELECT',
    'ROLLBACK',
    'BEGIN',
    'SELECT',
    'COMMIT',
    'BEGIN',
    'SELECT',
    'COMMIT',
  ]);
});

test('locked twice: not compared, said; a retry that fails otherwise names that failure', async () => {
  const sides = await fingerprintTables(
    [table('a'), table('b')],
    pool({ a: [lockTimeout, lockTimeout], b: [lockTimeout, snapshotGone] }, []),
    () => ({}),
  );
  const a = sides.get('public.a')!;
  expect(lockedOut(a)).toBe(true);
  expect((a as { error: string }).error).toMatch(
    new RegExp(`^${LOCKED_OUT.replace(/[()]/g, '\\$&')}: SQLSTATE 55P03`),
  );
  const b = sides.get('public.b')!;
  expect(lockedOut(b)).toBe(false);
  expect(b).toEqual({
    error: 'not compared: lock timeout, then the retry failed: SQLSTATE 22023: invalid snapshot identifier',
  });
});
