/**
 * Numbers compared exactly, as decimals: a value in PostgreSQL's text form (integer, numeric, float with
 * extra_float_digits = 3: the shortest text that reads back exactly, e.g. 0.30000000000000004) against
 * another, with BigInt arithmetic, never through a JavaScript float. 1.50 equals 1.5; 12345678901234567890.123
 * differs from 12345678901234567890.124; NaN equals NaN (as numeric does in PostgreSQL); Infinity has a sign.
 */

/** value = sign * coefficient * 10^exponent, or a non-finite value. */
export type ExactNumber =
  | { finite: true; negative: boolean; coefficient: bigint; exponent: number }
  | { finite: false; value: 'NaN' | 'Infinity' | '-Infinity' };

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i;

/** The exact value of a decimal literal ('1.50', '-2e+21', 'NaN', 'Infinity'), or undefined if it is none. */
export function parseExact(text: string): ExactNumber | undefined {
  const t = text.trim();
  if (/^nan$/i.test(t)) return { finite: false, value: 'NaN' };
  if (/^[+]?inf(inity)?$/i.test(t)) return { finite: false, value: 'Infinity' };
  if (/^-inf(inity)?$/i.test(t)) return { finite: false, value: '-Infinity' };
  const m = DECIMAL.exec(t);
  if (!m) return undefined;
  const whole = m[2] ?? '';
  const fraction = m[3] ?? '';
  if (whole.length + fraction.length === 0) return undefined;
  const exponent = Number(m[4] ?? '0') - fraction.length;
  // Far beyond any numeric or float (numeric's widest is 131072 digits before the point): not a number here.
  if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 400_000) return undefined;
  return {
    finite: true,
    negative: m[1] === '-',
    coefficient: BigInt(`${whole}${fraction}` || '0'),
    exponent,
  };
}

/** The exact value of a JavaScript number: its shortest round-trip text, which is what YAML read. */
export function exactOfNumber(n: number): ExactNumber {
  return parseExact(String(n))!;
}

const RANK = { '-Infinity': -1, Infinity: 1 } as const;

/** -1, 0 or 1; NaN equals NaN and sorts above every other value (as numeric does in PostgreSQL). */
export function compareExact(a: ExactNumber, b: ExactNumber): -1 | 0 | 1 {
  const nanA = !a.finite && a.value === 'NaN';
  const nanB = !b.finite && b.value === 'NaN';
  if (nanA || nanB) return nanA && nanB ? 0 : nanA ? 1 : -1;
  if (!a.finite || !b.finite) {
    const ra = a.finite ? 0 : RANK[a.value as keyof typeof RANK];
    const rb = b.finite ? 0 : RANK[b.value as keyof typeof RANK];
    return ra === rb ? 0 : ra < rb ? -1 : 1;
  }
  const signed = (x: typeof a, shift: number): bigint => {
    const v = x.coefficient * 10n ** BigInt(shift);
    return x.negative ? -v : v;
  };
  const exponent = Math.min(a.exponent, b.exponent);
  const va = signed(a, a.exponent - exponent);
  const vb = signed(b, b.exponent - exponent);
  return va === vb ? 0 : va < vb ? -1 : 1;
}

/** The value as a JavaScript number when that number is exactly it, else undefined. */
export function exactlyANumber(x: ExactNumber): number | undefined {
  if (!x.finite) return x.value === 'NaN' ? NaN : x.value === 'Infinity' ? Infinity : -Infinity;
  const n = Number(`${x.negative ? '-' : ''}${x.coefficient}e${x.exponent}`);
  return Number.isFinite(n) && compareExact(exactOfNumber(n), x) === 0 ? n : undefined;
}
