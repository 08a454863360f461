/**
 * Value parsers: one raw string in, one typed value out, or an InputError naming the input and what it
 * accepts. They know nothing of other inputs; the rules between inputs live in the planners.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { parseArnOf } from '../aws/arn.js';
import { settingsFromUrl } from '../db/connect.js';
import type { SslMode } from '../model/types.js';
import { InputError } from './input-error.js';
import type { InputName } from './names.js';
import type { PostgresUrl } from './plan-types.js';
import { isCalendarInstant } from './calendar.js';
import { didYouMean } from './suggest.js';

export const IDENTIFIER = /^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,62}(?<!-)$/;
export const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|\+00:00|\+0000)$/;

const KMS_KEY_NAME =
  /^(alias\/[A-Za-z0-9/_-]+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;

/** A KMS key id, multi-Region key id, alias/name, or a key or alias ARN. */
export function kmsKey(name: InputName, value: string, accepts: string): string {
  const arn = parseArnOf(value, 'kms', ['key', 'alias']);
  const ok = arn
    ? /^[a-z0-9-]+$/.test(arn.region) && /^\d{12}$/.test(arn.account) && /^[A-Za-z0-9/_-]+$/.test(arn.id)
    : KMS_KEY_NAME.test(value);
  if (!ok) throw new InputError(name, accepts, value);
  return value;
}

export function oneOf<T extends string>(name: InputName, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    const error = new InputError(name, `accepts ${allowed.join(' | ')}`, value);
    error.message += didYouMean(value, allowed);
    throw error;
  }
  return value as T;
}

export function positiveNumber(name: InputName, value: string, max: number): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(n > 0) || n > max) {
    throw new InputError(name, `accepts a number of minutes greater than 0 and at most ${max}`, value);
  }
  return n;
}

export function wholeNumber(name: InputName, value: string, min: number, max: number, unit: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) {
    throw new InputError(name, `accepts a whole number of ${unit} from ${min} to ${max}`, value);
  }
  return n;
}

export function bool(name: InputName, value: string): boolean {
  if (/^(true|True|TRUE)$/.test(value)) return true;
  if (/^(false|False|FALSE)$/.test(value)) return false;
  throw new InputError(name, 'accepts true | false', value);
}

export function pattern(name: InputName, value: string, re: RegExp, accepts: string): string {
  if (!re.test(value)) throw new InputError(name, accepts, value);
  return value;
}

export function existingDir(name: InputName, value: string): string {
  if (!existsSync(value) || !statSync(value).isDirectory()) {
    throw new InputError(name, 'accepts the path of an existing directory', value);
  }
  return value;
}

export function existingFile(name: InputName, value: string): string {
  if (!existsSync(value) || !statSync(value).isFile()) {
    throw new InputError(name, 'accepts the path of an existing file', value);
  }
  return value;
}

const URL_ACCEPTS = 'accepts a postgres://user:password@host:port/database URL';

/**
 * A postgres:// URL with a host. Its settings take the URL's own sslmode when it is one of `sslModes`, else
 * `fallbackSslMode`.
 */
export function postgresUrl(
  name: InputName,
  value: string,
  sslModes: readonly SslMode[],
  fallbackSslMode: SslMode,
): PostgresUrl {
  const encode = `${URL_ACCEPTS} (percent-encode reserved characters such as % # @ / ? : in the user and password)`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(name, /^postgres(ql)?:\/\/[^/]*[#%?]/.test(value) ? encode : URL_ACCEPTS);
  }
  if (url.hash) throw new InputError(name, encode);
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new InputError(name, `${URL_ACCEPTS} (scheme postgres or postgresql)`);
  }
  if (!url.hostname) throw new InputError(name, 'accepts a postgres:// URL with a host');
  try {
    const fromUrl = url.searchParams.get('sslmode');
    const sslMode = sslModes.find((m) => m === fromUrl);
    const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || undefined;
    const settings = settingsFromUrl(value, sslMode ?? fallbackSslMode);
    return { url: value, settings, ...(database ? { database } : {}), ...(sslMode ? { sslMode } : {}) };
  } catch {
    throw new InputError(name, encode);
  }
}

/** Secrets pasted with literal "\n" (a common accident with one-line secret stores) become real newlines. */
export function normalizePem(text: string): string {
  const trimmed = text.trim();
  return !trimmed.includes('\n') && trimmed.includes('\\n') ? trimmed.replace(/\\n/g, '\n') : trimmed;
}

/** An Ed25519 private key in PEM, with real or `\n`-escaped newlines. */
export function ed25519PrivateKey(name: InputName, value: string): { key: KeyObject; pem: string } {
  const pem = normalizePem(value);
  try {
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error('type');
    return { key, pem };
  } catch {
    throw new InputError(
      name,
      'accepts an Ed25519 private key in PEM form (openssl genpkey -algorithm ed25519)',
    );
  }
}

/** Parses an ISO-8601 UTC instant, or 'random'. */
export function parseRestoreTime(value: string): Date | 'random' {
  if (value === 'random') return 'random';
  const accepts = "accepts an ISO-8601 UTC instant such as 2026-01-31T03:15:00Z, or 'random'";
  if (!ISO_UTC.test(value)) throw new InputError('restore-time', accepts, value);
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new InputError('restore-time', accepts, value);
  if (!isCalendarInstant(value))
    throw new InputError(
      'restore-time',
      `names no calendar date and time: ${accepts.replace(/^accepts/, 'it accepts')}`,
      value,
    );
  return date;
}

export function portNumber(name: InputName, value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 65535)
    throw new InputError(name, 'accepts a port number from 1 to 65535', value);
  return n;
}
