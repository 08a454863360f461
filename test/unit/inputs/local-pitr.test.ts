import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { planConnections } from '../../../src/inputs/connections.js';
import { planLocalPitr } from '../../../src/inputs/local-pitr.js';
import type { RawInputs } from '../../../src/inputs/names.js';
import { readInputs } from '../../../src/inputs/raw-inputs.js';

const dir = mkdtempSync(join(tmpdir(), 'restore-proof-pitr-'));
const plan = (raw: RawInputs, command: 'restore-test' | 'preflight' = 'restore-test') => {
  const inputs = readInputs(raw);
  const { sourceUrl } = planConnections(inputs, { provider: 'local-pitr', sslMode: 'verify-full' });
  return planLocalPitr(inputs, { command, provider: 'local-pitr', sourceUrl });
};

test('named by the backup directory without a source-url', () => {
  expect(plan({ 'backup-dir': dir, 'wal-archive-dir': dir }).source).toEqual({
    kind: 'local-pitr',
    id: basename(dir),
    backupDir: dir,
    walArchiveDir: dir,
  });
});

test('named host:port/database with a source-url, which it connects to in plain text', () => {
  const source = plan({
    'backup-dir': dir,
    'wal-archive-dir': dir,
    'source-url': 'postgres://postgres:pw@127.0.0.1:5433/app?sslmode=require',
  }).source;
  expect(source?.id).toBe('127.0.0.1:5433/app');
  expect(source?.url?.settings).toMatchObject({
    host: '127.0.0.1',
    port: 5433,
    database: 'app',
    sslMode: 'disable',
  });
});

test('restore-test needs both directories; preflight does not', () => {
  expect(() => plan({ 'wal-archive-dir': dir })).toThrow(
    /^input 'backup-dir' is required with provider local-pitr/,
  );
  expect(() => plan({ 'backup-dir': dir })).toThrow(
    /^input 'wal-archive-dir' is required with provider local-pitr/,
  );
  expect(plan({}, 'preflight')).toEqual({});
});

test('other providers keep the directories as given and have no local source', () => {
  const inputs = readInputs({ 'backup-dir': dir });
  expect(planLocalPitr(inputs, { command: 'restore-test', provider: 'aurora' })).toEqual({ backupDir: dir });
});
