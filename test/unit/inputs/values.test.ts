import { generateKeyPairSync } from 'node:crypto';
import { InputError } from '../../../src/inputs/input-error.js';
import {
  ed25519PrivateKey,
  kmsKey,
  normalizePem,
  parseRestoreTime,
  postgresUrl,
} from '../../../src/inputs/values.js';
import { SSL_MODES } from '../../../src/model/types.js';

const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

describe('parseRestoreTime', () => {
  test('accepts Z and +00:00 and fractional seconds', () => {
    expect(parseRestoreTime('2026-01-31T03:15:00.250Z')).toEqual(new Date('2026-01-31T03:15:00.250Z'));
    expect(parseRestoreTime('2026-01-31T03:15:00+00:00')).toEqual(new Date('2026-01-31T03:15:00Z'));
    expect(parseRestoreTime('random')).toBe('random');
  });
});

describe('signing key', () => {
  test('a PEM with real newlines parses to an Ed25519 KeyObject', () => {
    const { key, pem: normalized } = ed25519PrivateKey('signing-key', pem);
    expect(key.type).toBe('private');
    expect(key.asymmetricKeyType).toBe('ed25519');
    expect(normalized).toBe(pem.trim());
  });

  test('a PEM pasted with literal \\n escapes is accepted and normalized to the same key', () => {
    const escaped = pem.trim().replace(/\n/g, '\\n');
    expect(escaped).not.toContain('\n');
    const { key, pem: normalized } = ed25519PrivateKey('signing-key', `  ${escaped}  `);
    expect(normalized).toBe(pem.trim());
    expect(key.equals(ed25519PrivateKey('signing-key', pem).key)).toBe(true);
  });

  test('normalizePem leaves a key with real newlines alone', () => {
    expect(normalizePem(`${pem}\n`)).toBe(pem.trim());
  });

  test('a key of another type is refused without echoing it', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    expect(() => ed25519PrivateKey('signing-key', rsa)).toThrow(
      /^input 'signing-key' accepts an Ed25519 private key in PEM form/,
    );
    expect(() => ed25519PrivateKey('signing-key', rsa.replace(/\n/g, '\\n'))).toThrow(InputError);
  });
});

describe('postgresUrl', () => {
  test('parses once: settings, the database it names, and its own sslmode', () => {
    expect(
      postgresUrl(
        'production-url',
        'postgres://app:p%40ss@db.internal:6432/sales?sslmode=require',
        SSL_MODES,
        'verify-full',
      ),
    ).toEqual({
      url: 'postgres://app:p%40ss@db.internal:6432/sales?sslmode=require',
      settings: {
        host: 'db.internal',
        port: 6432,
        database: 'sales',
        user: 'app',
        password: 'p@ss',
        sslMode: 'require',
      },
      database: 'sales',
      sslMode: 'require',
    });
  });

  test('without a database or a known sslmode, the defaults and the fallback mode apply', () => {
    const parsed = postgresUrl(
      'production-url',
      'postgresql://db.internal?sslmode=prefer',
      SSL_MODES,
      'disable',
    );
    expect(parsed.settings).toEqual({
      host: 'db.internal',
      port: 5432,
      database: 'postgres',
      user: 'postgres',
      password: '',
      sslMode: 'disable',
    });
    expect(parsed).not.toHaveProperty('database');
    expect(parsed).not.toHaveProperty('sslMode');
  });

  test.each([
    ['not a url hunter22', /postgres:\/\/user:password@host:port\/database URL$/],
    ['db.internal:5432', /scheme postgres or postgresql/],
    ['mysql://u:hunter22@h/db', /scheme postgres or postgresql/],
    ['postgres:///db', /with a host/],
    ['postgres://u:p%zzhunter22@h/db', /percent-encode/],
  ])('%s is refused, naming the input and never echoing the value', (value, accepts) => {
    let error: Error | undefined;
    try {
      postgresUrl('production-url', value, SSL_MODES, 'verify-full');
    } catch (e) {
      error = e as Error;
    }
    expect(error).toBeInstanceOf(InputError);
    expect(error!.message).toMatch(/^input 'production-url' /);
    expect(error!.message).toMatch(accepts);
    expect(error!.message).not.toContain('hunter22');
  });
});

describe('kmsKey', () => {
  const accepts = 'accepts a KMS key';
  test.each([
    'alias/restore-proof',
    '1234abcd-12ab-34cd-56ef-1234567890ab',
    `mrk-${'0'.repeat(32)}`,
    'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    'arn:aws-us-gov:kms:us-gov-west-1:123456789012:alias/dr',
    'arn:aws-cn:kms:cn-north-1:123456789012:key/mrk-0123',
  ])('accepts %s', (value) => {
    expect(kmsKey('kms-key-id', value, accepts)).toBe(value);
  });

  test.each(['my key', 'arn:aws:rds:us-east-1:123456789012:cluster:x', 'arn:aws:kms:us-east-1:1234:key/x'])(
    'refuses %s',
    (value) => {
      expect(() => kmsKey('kms-key-id', value, accepts)).toThrow(/^input 'kms-key-id' accepts a KMS key/);
    },
  );
});
