/**
 * Defense in depth for everything a report holds. The report is built only from names, counts,
 * hashes and timings, but an error message can still carry a connection string or a registered
 * secret; these functions remove them, and shape numbers and strings so the canonical form stays
 * reproducible with standard tools (see canonical.ts).
 */

import { maskSecrets } from '../log/redact.js';

const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/]+@/gi;
const PRIVATE_KEY_BLOCK =
  /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g;
const PASSWORD_PARAM = /\b(password|passwd|pwd|secret|token|sslpassword)=([^\s&;]+)/gi;
const UNPORTABLE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export const REDACTED = '***';

/** Secrets worth scrubbing from a list of candidates: whole values and the password of any URL among them. */
export function secretsFrom(values: (string | undefined | null)[]): string[] {
  const out = new Set<string>();
  for (const value of values) {
    if (!value) continue;
    out.add(value);
    if (value.includes('\\n')) out.add(value.replace(/\\n/g, '\n'));
    try {
      const url = new URL(value);
      if (url.password) {
        out.add(url.password);
        out.add(decodeURIComponent(url.password));
      }
    } catch {
      // not a URL
    }
  }
  return [...out].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
}

/** Removes secrets, URL credentials and key blocks, and characters the canonical form refuses. */
export function scrubText(text: string, secrets: readonly string[]): string {
  let out = maskSecrets(text, secrets, REDACTED);
  out = out
    .replace(PRIVATE_KEY_BLOCK, '[private key removed]')
    .replace(URL_CREDENTIALS, `$1${REDACTED}@`)
    .replace(PASSWORD_PARAM, `$1=${REDACTED}`)
    .replace(UNPORTABLE, '\ufffd');
  return out;
}

/** Rounds to milliseconds' precision (3 decimals), folds -0 to 0, and refuses what JSON cannot carry. */
export function portableNumber(value: number): number | string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 1e15) return String(value);
  if (Number.isInteger(value)) return value === 0 ? 0 : value;
  const rounded = Math.round(value * 1000) / 1000;
  return rounded === 0 ? 0 : rounded;
}

/** Deep-copies a JSON-shaped value with every string scrubbed and every number made portable. */
export function sanitizeDeep<T>(value: T, secrets: readonly string[]): T {
  return walk(value, secrets) as T;
}

function walk(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return scrubText(value, secrets);
  if (typeof value === 'number') return portableNumber(value);
  if (Array.isArray(value)) return value.map((item) => walk(item, secrets));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) if (item !== undefined) out[key] = walk(item, secrets);
    return out;
  }
  return value;
}
