/**
 * The copy is closed to everyone but the drill: against a real PostgreSQL, an application role that logs in
 * (as it does on production, with production's password) cannot open a session once the drill closed the
 * copy, its open session is ended, the drill's own role still connects, and the access comparison still
 * sees the roles as restored.
 */
import pg from 'pg';
import { readRoles } from '../../../src/db/catalog.js';
import { closeCopy, describeClosure, rolesAsRestored } from '../../../src/db/copy-closure.js';
import { LocalServer } from '../../../src/db/local-server.js';

let server: LocalServer;

const client = (user: string): pg.Client => new pg.Client({ connectionString: server.url('postgres', user) });

beforeAll(async () => {
  server = await LocalServer.create();
  await server.start();
  const admin = client('postgres');
  await admin.connect();
  await admin.query(`CREATE ROLE app LOGIN PASSWORD 'production-password'`);
  await admin.query(`CREATE ROLE "Reporting Role" LOGIN`);
  await admin.query('CREATE ROLE readers NOLOGIN');
  await admin.end();
});

afterAll(async () => {
  await server?.destroy();
});

test('an application role cannot log in to the copy once it is closed; the drill still can', async () => {
  const appSession = client('app');
  await appSession.connect();
  const ended = new Promise<void>((resolve) => appSession.on('error', () => resolve()));

  const drill = client('postgres');
  await drill.connect();
  try {
    const before = await readRoles(drill);
    const closure = await closeCopy(drill);
    expect(closure.closed).toEqual(['Reporting Role', 'app']);
    expect(closure.kept).toEqual([]);
    expect(closure.terminated).toBeGreaterThanOrEqual(1);
    await ended;

    const retry = client('app');
    await expect(retry.connect()).rejects.toThrow(/not permitted to log in/);
    await retry.end().catch(() => undefined);

    const again = client('postgres');
    await again.connect();
    await again.end();

    // The access comparison compares the copy as restored, not as the drill closed it.
    const after = await readRoles(drill);
    expect(after.get('app')).toContain('login=false');
    expect(rolesAsRestored(after, closure.closed)).toEqual(before);
    expect(describeClosure(closure)).toBe(
      "logins disabled on the copy for 2 roles (every role but the drill's own); 1 other session(s) ended",
    );
  } finally {
    await drill.end();
    await appSession.end().catch(() => undefined);
  }
});

test('a role the drill may not alter is reported as kept, with the reason, never hidden', async () => {
  const admin = client('postgres');
  await admin.connect();
  await admin.query(`CREATE ROLE drill LOGIN CREATEROLE`);
  await admin.query(`CREATE ROLE platform_admin LOGIN SUPERUSER`);
  await admin.end();
  const drill = client('drill');
  await drill.connect();
  try {
    const closure = await closeCopy(drill);
    expect(closure.kept.map((k) => k.role)).toEqual(expect.arrayContaining(['platform_admin', 'postgres']));
    expect(closure.kept[0]!.reason).toMatch(/^42501: /);
    expect(describeClosure(closure)).toContain('could not close');
  } finally {
    await drill.end();
  }
});
