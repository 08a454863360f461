import { compareExact, exactlyANumber, exactOfNumber, parseExact } from '../../../src/checks/exact-number.js';

const cmp = (a: string, b: string): number => compareExact(parseExact(a)!, parseExact(b)!);

test('decimal literals compare by exact value', () => {
  expect(cmp('1.50', '1.5')).toBe(0);
  expect(cmp('-0', '0')).toBe(0);
  expect(cmp('1e+21', '1000000000000000000000')).toBe(0);
  expect(cmp('12345678901234567890.123', '12345678901234567890.124')).toBe(-1);
  expect(cmp('9007199254740993', '9007199254740992')).toBe(1);
  expect(cmp('-2.5', '-2.4')).toBe(-1);
  expect(cmp('5e-324', '0')).toBe(1);
  expect(cmp('0.30000000000000004', '0.3')).toBe(1);
});

test('NaN equals NaN and sorts above all; infinities have a sign', () => {
  expect(cmp('NaN', 'NaN')).toBe(0);
  expect(cmp('NaN', 'Infinity')).toBe(1);
  expect(cmp('-Infinity', '-1e308')).toBe(-1);
  expect(cmp('Infinity', '1e308')).toBe(1);
  expect(cmp('Infinity', 'Infinity')).toBe(0);
});

test('what is not a number is undefined', () => {
  for (const text of ['', '.', 'abc', '1.2.3', '1e', '0x10', '1e999999999', '{1,2}']) {
    expect(parseExact(text)).toBeUndefined();
  }
});

test('a JavaScript number is its shortest exact text, and back only when exact', () => {
  expect(compareExact(exactOfNumber(0.1), parseExact('0.1')!)).toBe(0);
  expect(exactlyANumber(parseExact('1.50')!)).toBe(1.5);
  expect(exactlyANumber(parseExact('12345678901234567890.123')!)).toBeUndefined();
  expect(exactlyANumber(parseExact('9007199254740993')!)).toBeUndefined();
});
