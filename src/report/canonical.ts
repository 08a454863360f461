import { createHash } from 'node:crypto';

/**
 * Canonical JSON in the style of RFC 8785 (JCS): object keys sorted, no whitespace, numbers in their
 * shortest round-trip form, strings escaped as JSON.stringify does.
 *
 * It is deliberately narrower than JCS so that `jq -jcS` (jq 1.6 and later) reproduces it byte for
 * byte: keys must be ASCII (JCS sorts by UTF-16 units, jq by code point; for ASCII they agree), numbers
 * must be finite with magnitude below 1e15 (jq writes 1e+16, JCS 10000000000000000) and -0 is refused,
 * and strings must hold no DEL, C1 control or lone surrogate (jq escapes or rejects them). Anything
 * outside that subset throws rather than producing bytes an auditor could not reproduce.
 */
export function canonicalJson(value: unknown): string {
  return encode(value, '$');
}

const MAX_PORTABLE = 1e15;
const UNPORTABLE_STRING =
  /[\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// eslint-disable-next-line no-control-regex
const ASCII_KEY = /^[\u0000-\u007f]*$/;

function encode(value: unknown, at: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new Error(`canonical JSON: ${at} is not a finite number`);
      if (Object.is(value, -0)) throw new Error(`canonical JSON: ${at} is -0`);
      if (Math.abs(value) >= MAX_PORTABLE) throw new Error(`canonical JSON: ${at} is too large (${value})`);
      return JSON.stringify(value);
    case 'string':
      if (UNPORTABLE_STRING.test(value))
        throw new Error(`canonical JSON: ${at} holds a control or unpaired character`);
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((item, i) => encode(item, `${at}[${i}]`)).join(',')}]`;
      const entries = Object.entries(value as Record<string, unknown>);
      const parts: string[] = [];
      for (const [key, item] of entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        if (!ASCII_KEY.test(key))
          throw new Error(`canonical JSON: key ${JSON.stringify(key)} at ${at} is not ASCII`);
        if (item === undefined) throw new Error(`canonical JSON: ${at}.${key} is undefined`);
        parts.push(`${JSON.stringify(key)}:${encode(item, `${at}.${key}`)}`);
      }
      return `{${parts.join(',')}}`;
    }
    default:
      throw new Error(`canonical JSON: ${at} is a ${typeof value}`);
  }
}

/** Hex SHA-256 of bytes or UTF-8 text (what `sha256sum` prints). */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
