import { safeError } from '../../../src/db/session.js';

test('error text keeps quoted values out', () => {
  const e = Object.assign(new Error('invalid input syntax for type integer: "SECRET"'), { code: '22P02' });
  expect(safeError(e)).toBe('SQLSTATE 22P02: invalid input syntax for type integer: "…"');
  expect(safeError(new Error('Key (email)=(a@b.c) already exists'))).not.toContain('a@b.c');
});
