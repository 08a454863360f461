/**
 * A rewrite is not MVCC-safe: a TRUNCATE (or REFRESH MATERIALIZED VIEW, or a rewriting ALTER TABLE) that
 * commits on production after the snapshot was taken, before the pass reads the table, shows the pass the
 * new contents. The pass notices (the table's file changed since the snapshot) and says the table was not
 * compared and why, instead of failing a healthy copy against rows production no longer had at T.
 */
import pg from 'pg';
import { createValidator } from '../../../src/checks/validation.js';
import { LocalServer } from '../../../src/db/local-server.js';
import { memoryLogger } from '../../../src/log/logger.js';
import { validationPlan } from '../../support/validation-plan.js';
import { copyTarget } from '../../support/validation-run.js';

let server: LocalServer;

beforeAll(async () => {
  server = await LocalServer.create();
  await server.start();
  const admin = new pg.Client({ connectionString: server.url() });
  await admin.connect();
  await admin.query('CREATE DATABASE prod');
  const seed = new pg.Client({ connectionString: server.url('prod') });
  await seed.connect();
  await seed.query(`CREATE TABLE visits (id int PRIMARY KEY, note text);
                    INSERT INTO visits SELECT g, 'visit ' || g FROM generate_series(1, 500) g;
                    CREATE TABLE wards (id int PRIMARY KEY, name text);
                    INSERT INTO wards SELECT g, 'ward ' || g FROM generate_series(1, 20) g;`);
  await seed.end();
  await admin.query('CREATE DATABASE copy TEMPLATE prod');
  await admin.end();
});

afterAll(async () => {
  await server?.destroy();
});

test('a table truncated on production after the snapshot is not compared, with the reason; the others are', async () => {
  const locker = new pg.Client({ connectionString: server.url('prod'), application_name: 'migration' });
  await locker.connect();
  try {
    // A migration holds the table, so the pass reaches it only after the TRUNCATE has committed.
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE visits IN ACCESS EXCLUSIVE MODE');
    const validator = createValidator({ concurrency: 1, parallelWorkers: 0, lockRetryDelayMs: 1500 });
    const logger = memoryLogger();
    const signal = new AbortController().signal;
    const prepared = await validator.prepare(validationPlan(server.url('prod')), logger, signal);
    await locker.query('TRUNCATE visits');
    await locker.query('COMMIT');
    await prepared.productionPass;
    const { checks } = await validator.validate(copyTarget(server, prepared.pinnedTime), logger, signal);
    await validator.close();
    const visits = checks.filter((c) => c.id.endsWith(':public.visits') && /^(counts|checksums)/.test(c.id));
    expect(visits.map((c) => c.status)).toEqual(['warn', 'warn']);
    expect(visits[0]!.summary).toMatch(/rewritten on production after the snapshot \(TRUNCATE/);
    const wards = checks.filter((c) => c.id.endsWith(':public.wards') && /^(counts|checksums)/.test(c.id));
    expect(wards.map((c) => c.status)).toEqual(['pass', 'pass']);
  } finally {
    await locker.query('ROLLBACK').catch(() => undefined);
    await locker.end();
  }
}, 120_000);
