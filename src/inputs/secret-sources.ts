/**
 * Where the CLI finds secret inputs so they never need to be on the command line: the flag, else the
 * environment variable named after the input (RESTORE_PROOF_SIGNING_KEY, RESTORE_PROOF_PRODUCTION_URL,
 * RESTORE_PROOF_SOURCE_URL, RESTORE_PROOF_GITHUB_TOKEN); and a value that is the path of a file is replaced by
 * the file's contents (a PEM key, a URL, a token). A database URL without a password is completed by the pg
 * driver from PGPASSWORD, then ~/.pgpass: pg treats the empty password as absent (test/unit/inputs).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { InputError } from './input-error.js';
import { SECRET_INPUTS, type InputName, type RawInputs } from './names.js';

/** RESTORE_PROOF_SIGNING_KEY for signing-key. */
export function secretEnvName(name: InputName): string {
  return `RESTORE_PROOF_${name.toUpperCase().replace(/-/g, '_')}`;
}

/** What the value looks like when it is the secret itself rather than a path. */
const INLINE: Partial<Record<InputName, RegExp>> = {
  'signing-key': /-----BEGIN|\\n|\n/,
  'production-url': /^postgres(ql)?:\/\//,
  'source-url': /^postgres(ql)?:\/\//,
  'github-token': /^(gh[pousr]_|github_pat_)/,
};

/** The raw inputs with each secret filled from the environment when absent, and read from a file when a path. */
export function withSecretSources(raw: RawInputs, env: NodeJS.ProcessEnv): RawInputs {
  const out: RawInputs = { ...raw };
  for (const name of SECRET_INPUTS) {
    let value = out[name]?.trim() ? out[name] : env[secretEnvName(name)];
    if (!value?.trim()) continue;
    value = value.trim();
    if (!INLINE[name]!.test(value) && looksLikePath(value)) value = readSecretFile(name, value);
    out[name] = value;
  }
  return out;
}

function looksLikePath(value: string): boolean {
  return !/\s/.test(value) && (value.includes('/') || value.startsWith('.') || existsSync(value));
}

function readSecretFile(name: InputName, path: string): string {
  try {
    if (!statSync(path).isFile()) throw new Error('not a file');
    return readFileSync(path, 'utf8').trim();
  } catch {
    throw new InputError(
      name,
      `accepts the value itself, the path of a readable file holding it, or ${secretEnvName(name)} in the environment; no readable file at the path given`,
    );
  }
}
