import pg from 'pg';
import { LocalServer } from '../../../src/db/local-server.js';
import { startMoto } from '../../support/moto.js';

test('a local PostgreSQL server starts, answers and is removed', async () => {
  const server = await LocalServer.create();
  await server.start();
  const client = new pg.Client({ connectionString: server.url() });
  await client.connect();
  const { rows } = await client.query('select 41 + 1 as n');
  await client.end();
  expect(rows[0].n).toBe(42);
  await server.destroy();
});

test('moto starts', async () => {
  const moto = await startMoto();
  const res = await fetch(`${moto.endpoint}/moto-api/`);
  expect(res.status).toBe(200);
  await moto.stop();
});
