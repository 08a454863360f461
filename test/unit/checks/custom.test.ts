import { judgeCustom } from '../../../src/checks/custom.js';

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
  expect(judgeCustom(check({ equals: true }), { value: true, ms: 1 }).status).toBe('pass');
  expect(
    judgeCustom(
      check({ 'matches-production': true }),
      { value: 1, digest: 'a'.repeat(64), ms: 1 },
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
