import { canonicalJson, sha256Hex } from '../../../src/report/canonical.js';
import { portableNumber, sanitizeDeep, scrubText, secretsFrom } from '../../../src/report/sanitize.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}',
    );
  });

  it('writes numbers in their shortest round-trip form', () => {
    expect(canonicalJson([1, 1.5, 0.1, 12.345, 100, 1e14, -3])).toBe(
      '[1,1.5,0.1,12.345,100,100000000000000,-3]',
    );
  });

  it('sorts keys by code unit, not locale (uppercase before lowercase)', () => {
    expect(canonicalJson({ b: 1, B: 2, a: 3, _: 4 })).toBe('{"B":2,"_":4,"a":3,"b":1}');
  });

  it('escapes strings as JSON does and keeps non-ASCII text as is', () => {
    expect(canonicalJson({ s: 'line\n"quoted"\\ tab\t é …' })).toBe(
      '{"s":"line\\n\\"quoted\\"\\\\ tab\\t é …"}',
    );
  });

  it.each([
    [{ n: Number.NaN }, /not a finite number/],
    [{ n: Infinity }, /not a finite number/],
    [{ n: -0 }, /-0/],
    [{ n: 1e16 }, /too large/],
    [{ s: 'del\u007f' }, /control or unpaired/],
    [{ s: 'lone \ud800' }, /control or unpaired/],
    [{ ключ: 1 }, /not ASCII/],
    [{ u: undefined }, /undefined/],
    [{ f: () => 1 }, /function/],
  ])('refuses what jq could not reproduce: %p', (value, message) => {
    expect(() => canonicalJson(value)).toThrow(message);
  });

  it('hashes like sha256sum', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('sanitizing', () => {
  it('scrubs registered secrets, URL passwords, password parameters and private keys', () => {
    const secrets = secretsFrom([
      'postgres://app:s3cr%21t@db.internal:5432/app',
      'ghp_abcdefgh',
      undefined,
      'ab',
    ]);
    const text = scrubText(
      'failed postgres://app:s3cr!t@db.internal:5432/app token ghp_abcdefgh password=hunter22 ' +
        '-----BEGIN PRIVATE KEY-----\nMC4CAQ\n-----END PRIVATE KEY----- and s3cr!t again',
      secrets,
    );
    expect(text).not.toMatch(/s3cr|ghp_|hunter22|MC4CAQ/);
    expect(text).toContain('[private key removed]');
    expect(text).toContain('password=***');
  });

  it('removes URL credentials even when the secret was not registered', () => {
    expect(scrubText('postgres://restore:hunter2-secret@db:5432/x', [])).toBe(
      'postgres://restore:***@db:5432/x',
    );
  });

  it('replaces characters the canonical form refuses', () => {
    expect(scrubText('a\u0007b\u007fc\ud800d\n', [])).toBe('a\ufffdb\ufffdc\ufffdd\n');
  });

  it('makes numbers portable: 3 decimals, no -0, huge values as strings, integers exact', () => {
    expect(portableNumber(1.23456)).toBe(1.235);
    expect(portableNumber(-0)).toBe(0);
    expect(portableNumber(-0.0001)).toBe(0);
    expect(portableNumber(9007199254740)).toBe(9007199254740);
    expect(portableNumber(1e16)).toBe('10000000000000000');
    expect(portableNumber(Number.NaN)).toBe('NaN');
  });

  it('walks objects and arrays and drops undefined fields', () => {
    expect(sanitizeDeep({ a: [1.00001, 'x\u0000'], b: undefined, c: { d: null } }, [])).toEqual({
      a: [1, 'x\ufffd'],
      c: { d: null },
    });
  });
});
