import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from './canonical.js';
import type { ReportSignature } from './model.js';

/** The committed public key's file name, beside the reports. */
export const PUBLIC_KEY_FILE = 'restore-proof.pub.pem';

const PEM_BLOCK = /-----BEGIN ([A-Z ]+)-----[\s\S]*?-----END \1-----/g;

/** Secrets stored with literal "\n" (a common paste accident) become real newlines. */
function normalizePem(text: string): string {
  const trimmed = text.trim();
  return !trimmed.includes('\n') && trimmed.includes('\\n') ? trimmed.replace(/\\n/g, '\n') : trimmed;
}

/** Parses the signing-key input: an Ed25519 private key in PEM. Throws one line naming the input. */
export function loadSigningKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(normalizePem(pem));
  } catch {
    throw new Error(
      'signing-key: expected an Ed25519 private key in PEM (openssl genpkey -algorithm ed25519)',
    );
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new Error(
      `signing-key: expected an Ed25519 private key, got ${key.asymmetricKeyType ?? 'an unknown key type'}`,
    );
  }
  return key;
}

/** 'SHA256:' + base64 of the SHA-256 over the DER SubjectPublicKeyInfo (reproducible with openssl). */
export function publicKeyFingerprint(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return `SHA256:${createHash('sha256').update(der).digest('base64')}`;
}

export function publicKeyPem(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

/** The bytes that are signed: the canonical JSON of the report without its signature field. */
export function signedBytes(report: object): Buffer {
  const rest: Record<string, unknown> = { ...(report as Record<string, unknown>) };
  delete rest.signature;
  return Buffer.from(canonicalJson(rest), 'utf8');
}

/** Signs any document of the chain: a drill report, an exercise record or a retraction. */
export function signReport(report: object, privateKey: KeyObject): ReportSignature {
  return {
    algorithm: 'ed25519',
    publicKeyFingerprint: publicKeyFingerprint(privateKey),
    value: sign(null, signedBytes(report), privateKey).toString('base64'),
  };
}

/** Trusted public keys by fingerprint, and where they came from: 'input', a path, or null when there are none. */
export interface ResolvedPublicKeys {
  keys: Map<string, KeyObject>;
  origin: string | null;
}

/** Public keys by fingerprint, from PEM text holding one or more Ed25519 public keys. */
export function parsePublicKeys(pemText: string): Map<string, KeyObject> {
  const keys = new Map<string, KeyObject>();
  const text = normalizePem(pemText);
  for (const match of text.matchAll(PEM_BLOCK)) {
    let key: KeyObject;
    try {
      key = createPublicKey(match[0]);
    } catch {
      throw new Error('public-key: a PEM block in it is not a public key');
    }
    if (key.asymmetricKeyType !== 'ed25519') {
      throw new Error(
        `public-key: expected Ed25519 public keys, got ${key.asymmetricKeyType ?? 'an unknown key type'}`,
      );
    }
    keys.set(publicKeyFingerprint(key), key);
  }
  if (keys.size === 0)
    throw new Error('public-key: no PEM public key found (expected -----BEGIN PUBLIC KEY-----)');
  return keys;
}

export function verifySignature(report: object, signature: ReportSignature, key: KeyObject): boolean {
  try {
    return verify(null, signedBytes(report), key, Buffer.from(signature.value, 'base64'));
  } catch {
    return false;
  }
}
