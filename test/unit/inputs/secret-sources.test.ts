import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { clientConfig, settingsFromUrl } from '../../../src/db/connect.js';
import { secretEnvName, withSecretSources } from '../../../src/inputs/secret-sources.js';
import { postgresUrl } from '../../../src/inputs/values.js';
import { tempDir } from '../../support/temp-dir.js';

const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

test('each secret input has an environment variable named after it', () => {
  expect(secretEnvName('signing-key')).toBe('RESTORE_PROOF_SIGNING_KEY');
  expect(secretEnvName('production-url')).toBe('RESTORE_PROOF_PRODUCTION_URL');
  const env = {
    RESTORE_PROOF_SIGNING_KEY: pem,
    RESTORE_PROOF_PRODUCTION_URL: 'postgres://ro:pw@db.internal/app',
    RESTORE_PROOF_SOURCE_URL: 'postgres://u@localhost/app',
    RESTORE_PROOF_GITHUB_TOKEN: 'ghs_abcdef',
  };
  expect(withSecretSources({}, env)).toEqual({
    'signing-key': pem.trim(),
    'production-url': 'postgres://ro:pw@db.internal/app',
    'source-url': 'postgres://u@localhost/app',
    'github-token': 'ghs_abcdef',
  });
});

test('a flag wins over the environment', () => {
  const raw = withSecretSources(
    { 'production-url': 'postgres://a@h/db' },
    { RESTORE_PROOF_PRODUCTION_URL: 'postgres://b@h/db' },
  );
  expect(raw['production-url']).toBe('postgres://a@h/db');
});

test('a path is read: the signing key PEM and a URL from files', () => {
  const dir = tempDir('secrets');
  writeFileSync(join(dir, 'key.pem'), pem);
  writeFileSync(join(dir, 'url'), 'postgres://ro:pw@db.internal/app\n');
  const raw = withSecretSources(
    { 'signing-key': join(dir, 'key.pem') },
    { RESTORE_PROOF_PRODUCTION_URL: join(dir, 'url') },
  );
  expect(raw['signing-key']).toBe(pem.trim());
  expect(raw['production-url']).toBe('postgres://ro:pw@db.internal/app');
});

test('a path that is no readable file names the input and never echoes the value', () => {
  expect(() => withSecretSources({ 'signing-key': '/nonexistent/key.pem' }, {})).toThrow(
    /^input 'signing-key' accepts the value itself, the path of a readable file holding it, or RESTORE_PROOF_SIGNING_KEY in the environment; no readable file at the path given$/,
  );
});

test('a URL without a password leaves it to pg: PGPASSWORD, then ~/.pgpass', () => {
  const settings = postgresUrl(
    'production-url',
    'postgres://ro@db.internal/app',
    ['require'],
    'require',
  ).settings;
  expect(settings.password).toBe('');
  const saved = process.env.PGPASSWORD;
  process.env.PGPASSWORD = 'from-env';
  try {
    // pg reads PGPASSWORD when the config's password is empty; when that is unset too it leaves the password
    // null and reads ~/.pgpass (client.js _getPassword) at authentication.
    const client = new pg.Client(clientConfig(settingsFromUrl('postgres://ro@db.internal/app', 'require')));
    expect((client as unknown as { password: string }).password).toBe('from-env');
    delete process.env.PGPASSWORD;
    const none = new pg.Client(clientConfig(settingsFromUrl('postgres://ro@db.internal/app', 'require')));
    expect((none as unknown as { password: string | null }).password).toBeNull();
  } finally {
    if (saved === undefined) delete process.env.PGPASSWORD;
    else process.env.PGPASSWORD = saved;
  }
});

test.each([
  ['a # in the password', 'postgres://ro:pa#ss@db.internal/app'],
  ['a bad % in the password', 'postgres://ro:p%zz@db.internal/app'],
])('%s names the input and says to percent-encode, without echoing', (_what, url) => {
  let message = '';
  try {
    postgresUrl('production-url', url, ['require'], 'require');
  } catch (e) {
    message = (e as Error).message;
  }
  expect(message).toMatch(
    /^input 'production-url' accepts a postgres:.* \(percent-encode reserved characters/,
  );
  expect(message).not.toContain('pa#ss');
  expect(message).not.toContain('p%zz');
});
