import { planConnections } from '../../../src/inputs/connections.js';
import type { RawInputs } from '../../../src/inputs/names.js';
import { readInputs } from '../../../src/inputs/raw-inputs.js';

const plan = (raw: RawInputs, provider: 'aurora' | 'local-pitr' = 'aurora') =>
  planConnections(readInputs(raw), { provider, sslMode: 'verify-full' });

test('production-url: the ssl-mode input applies unless the URL names its own sslmode', () => {
  expect(plan({ 'production-url': 'postgres://r:pw@db/app' }).production?.settings.sslMode).toBe(
    'verify-full',
  );
  expect(plan({ 'production-url': 'postgres://r:pw@db/app?sslmode=require' }).production).toMatchObject({
    input: 'production-url',
    settings: { host: 'db', database: 'app', user: 'r', password: 'pw', sslMode: 'require' },
  });
});

test('the database to validate: the database input, else the one production-url names', () => {
  expect(plan({ database: 'sales', 'production-url': 'postgres://r:pw@db/app' })).toMatchObject({
    database: 'sales',
    databaseName: 'sales',
  });
  expect(plan({ 'production-url': 'postgres://r:pw@db/app' }).databaseName).toBe('app');
  const none = plan({ 'production-url': 'postgres://r:pw@db' });
  expect(none).not.toHaveProperty('databaseName');
  expect(none.production?.settings.database).toBe('postgres');
});

test('local-pitr reads production through source-url when there is no production-url (plain text by default)', () => {
  const local = plan({ 'source-url': 'postgres://postgres:pw@127.0.0.1:5433/app' }, 'local-pitr');
  expect(local.production).toMatchObject({
    input: 'source-url',
    settings: { port: 5433, sslMode: 'disable' },
  });
  expect(local.sourceUrl?.settings.sslMode).toBe('disable');
  const withTls = plan(
    { 'source-url': 'postgres://postgres:pw@127.0.0.1:5433/app?sslmode=require' },
    'local-pitr',
  );
  expect(withTls.production?.settings.sslMode).toBe('require');
  expect(withTls.sourceUrl?.settings.sslMode).toBe('disable');
});

test('aurora never reads production through source-url', () => {
  expect(plan({ 'source-url': 'postgres://postgres:pw@127.0.0.1/app' })).not.toHaveProperty('production');
});
