/**
 * ca-bundle: certificate authorities added to the bundled RDS set for verify-full (a private CA in front of
 * the database, an RDS Proxy or a partition whose CAs the bundle lacks). PEM text (real or `\n`-escaped
 * newlines) or the path of a PEM file; every certificate in it must parse.
 */
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { InputError } from './input-error.js';
import type { InputReader } from './raw-inputs.js';
import { normalizePem } from './values.js';

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
const ACCEPTS = 'accepts PEM certificates (-----BEGIN CERTIFICATE-----) or the path of a PEM file';

/** The certificates of a PEM text, each checked; refuses text without any. */
export function parseCaBundle(value: string): string[] {
  const text = value.includes('-----BEGIN') ? normalizePem(value) : readBundleFile(value.trim());
  const pems = text.match(PEM_BLOCK) ?? [];
  if (pems.length === 0) throw new InputError('ca-bundle', `${ACCEPTS}; found no certificate`);
  pems.forEach((pem, i) => {
    try {
      new X509Certificate(pem);
    } catch {
      throw new InputError('ca-bundle', `${ACCEPTS}; certificate ${i + 1} does not parse`);
    }
  });
  return pems;
}

function readBundleFile(path: string): string {
  if (!existsSync(path)) throw new InputError('ca-bundle', `${ACCEPTS}; no file at ${path}`);
  return readFileSync(path, 'utf8');
}

export function planCaBundle(inputs: InputReader): string[] | undefined {
  return inputs.parse('ca-bundle', parseCaBundle);
}
