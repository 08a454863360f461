import type pg from 'pg';
import { customChecks, judgeCustom, runOnProduction } from '../../../src/checks/custom.js';

const check = (expect: object) => ({ name: 'c', query: 'q', expect }) as Parameters<typeof judgeCustom>[0];

test('judging never shows a text value from the database', () => {
  const eq = judgeCustom(check({ equals: 'expected' }), { value: 'secret-text', digest: 'd', ms: 1 });
  expect(eq.status).toBe('fail');
  expect(JSON.stringify(eq)).not.toContain('secret-text');
  const min = judgeCustom(check({ min: 3 }), { value: 'secret-text', ms: 1 });
  expect(min.status).toBe('fail');
  expect(JSON.stringify(min)).not.toContain('secret-text');
  expect(judgeCustom(check({ min: 3, max: 5 }), { value: '4', ms: 1 })).toMatchObject({
    status: 'pass',
    measured: 4,
  });
  expect(judgeCustom(check({ equals: true }), { value: 't', type: 16, ms: 1 }).status).toBe('pass');
  expect(judgeCustom(check({ equals: false }), { value: 't', type: 16, ms: 1 }).status).toBe('fail');
  expect(
    judgeCustom(
      check({ 'matches-production': true }),
      { value: '1', digest: 'a'.repeat(64), ms: 1 },
      'no production-url',
    ).status,
  ).toBe('skip');
  expect(
    judgeCustom(
      check({ 'matches-production': true }),
      { digest: 'a'.repeat(64), ms: 1 },
      { digest: 'b'.repeat(64), ms: 1 },
    ).status,
  ).toBe('fail');
});

/** A stand-in connection: answers each check query with one row, or fails it; records every statement. */
function fakeClient(answers: Record<string, unknown | Error>): { client: pg.Client; statements: string[] } {
  const statements: string[] = [];
  const query = async (
    q: string | { text: string },
  ): Promise<{ rows: unknown[][]; fields?: { dataTypeID: number }[] }> => {
    const text = typeof q === 'string' ? q : q.text;
    statements.push(text);
    if (!(text in answers)) return { rows: [] };
    const answer = answers[text];
    if (answer instanceof Error) throw answer;
    return { rows: [[String(answer)]], fields: [{ dataTypeID: 20 }] };
  };
  return { client: { query } as unknown as pg.Client, statements };
}

const checks = [
  { name: 'orders', query: 'select count(*) from orders', expect: { min: 1 } },
  { name: 'same', query: 'select sum(x) from t', expect: { 'matches-production': true as const } },
];

test('production runs only matches-production checks, inside its transaction by savepoint', async () => {
  const { client, statements } = fakeClient({ 'select sum(x) from t': 5 });
  const outcomes = await runOnProduction(client, checks, true);
  expect([...outcomes.keys()]).toEqual(['same']);
  expect(outcomes.get('same')).toMatchObject({ value: '5', type: 20 });
  expect(statements).not.toContain('select count(*) from orders');
  expect(statements[0]).toBe('SAVEPOINT restore_proof_custom');
});

test('custom checks judge the copy against production, and say when production is not the restore point', async () => {
  const copy = fakeClient({ 'select count(*) from orders': 3, 'select sum(x) from t': 5 }).client;
  const production = await runOnProduction(fakeClient({ 'select sum(x) from t': 5 }).client, checks, false);
  const pinned = await customChecks(copy, checks, { custom: production }, true);
  expect(pinned.map((c) => [c.id, c.status])).toEqual([
    ['custom:orders', 'pass'],
    ['custom:same', 'pass'],
  ]);
  expect(pinned[1]!.summary).toBe('result matches production');
  const live = await customChecks(copy, checks, { custom: production }, false);
  expect(live[1]!.summary).toBe('result matches production (production now, not as of the restore point)');
  const none = await customChecks(copy, checks, undefined, false);
  expect(none[1]).toMatchObject({ status: 'skip', summary: 'no production-url: comparison skipped' });
  const unread = await customChecks(copy, checks, { custom: new Map(), error: 'refused' }, true);
  expect(unread[1]).toMatchObject({ status: 'error', summary: 'query failed on production: refused' });
  const failing = fakeClient({
    'select count(*) from orders': new Error('relation "orders" does not exist'),
  });
  const failed = await customChecks(failing.client, checks, { custom: new Map() }, true);
  expect(failed[0]!.status).toBe('error');
  expect(failed[1]).toMatchObject({ status: 'skip', summary: 'not run on production' });
});

const numeric = (value: string | null): { value: string | null; type: number; ms: number } => ({
  value,
  type: 1700,
  ms: 1,
});

test('equals and ranges compare numbers exactly, as decimals, never as JavaScript floats', () => {
  const judge = (expect: object, value: string | null, type = 1700): string =>
    judgeCustom(check(expect), { value, type, ms: 1 }).status;
  // By value, not by text: 1.50 is 1.5, for a number or a numeric string expectation.
  expect(judge({ equals: 1.5 }, '1.50')).toBe('pass');
  expect(judge({ equals: '1.5' }, '1.50')).toBe('pass');
  // Beyond 2^53 and beyond a float's digits: told apart.
  expect(judge({ equals: '12345678901234567890.123' }, '12345678901234567890.123')).toBe('pass');
  expect(judge({ equals: '12345678901234567890.123' }, '12345678901234567890.124')).toBe('fail');
  expect(judge({ equals: '9007199254740993' }, '9007199254740992', 20)).toBe('fail');
  expect(judge({ equals: '9007199254740993' }, '9007199254740993', 20)).toBe('pass');
  // A float's exact text: 0.1 + 0.2 is not 0.3.
  expect(judge({ equals: 0.3 }, '0.30000000000000004', 701)).toBe('fail');
  expect(judge({ equals: 0.30000000000000004 }, '0.30000000000000004', 701)).toBe('pass');
  expect(judge({ equals: 1e21 }, '1e+21', 701)).toBe('pass');
  // A number the checks file could not hold exactly fails, with the way out.
  const unsafe = judgeCustom(
    check({ equals: Number('12345678901234567890') }),
    numeric('12345678901234567890'),
  );
  expect(unsafe).toMatchObject({ status: 'fail' });
  expect(unsafe.summary).toContain('write it as a string');
  // Ranges, exactly at the edge.
  expect(judge({ max: 9007199254740992 }, '9007199254740993', 20)).toBe('fail');
  expect(judge({ min: 0.1 }, '0.1')).toBe('pass');
  expect(judge({ min: 0.1 }, '0.09999999999999999999')).toBe('fail');
  expect(judge({ min: 0 }, 'NaN')).toBe('fail');
  expect(judge({ max: 1e308 }, 'Infinity', 701)).toBe('fail');
  // A string against a text column is text: '1.50' is not '1.5' there.
  expect(judge({ equals: '1.5' }, '1.50', 25)).toBe('fail');
  expect(judge({ equals: 5 }, null)).toBe('fail');
});

test('a measured number is shown exactly: a JavaScript number when it is one, else its digits', () => {
  expect(judgeCustom(check({ min: 0 }), numeric('1.50')).measured).toBe(1.5);
  expect(judgeCustom(check({ min: 0 }), numeric('12345678901234567890.123')).measured).toBe(
    '12345678901234567890.123',
  );
  expect(judgeCustom(check({ min: 0 }), { value: 'some text', type: 25, ms: 1 }).measured).toBe(
    '(non-numeric value, not shown)',
  );
});
