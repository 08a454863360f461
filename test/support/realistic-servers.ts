/**
 * moto_server behind the fault proxy in realistic mode, and a PostgreSQL that, like the restored copy,
 * takes only the master password RDS has applied: TCP logins need a password, and the proxy sets it
 * (ALTER ROLE over the local socket) only once the reset it reports is applied.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { LocalServer } from '../../src/db/local-server.js';
import { startFaultProxy, type FaultProxy } from './fault-proxy.js';
import { startMoto, type Moto } from './moto.js';
import type { RealisticOptions } from './realistic-rds.js';

export interface RealisticServers {
  moto: Moto;
  proxy: FaultProxy;
  server: LocalServer;
  /** Password resets the proxy applied to the server, in order (resource ids). */
  applied: string[];
  env(): NodeJS.ProcessEnv;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** Runs `sql` as the postgres superuser over the server's Unix socket (trust). */
async function asSuperuser(server: LocalServer, sql: string): Promise<void> {
  const client = new pg.Client({ host: server.options.runDir, port: server.port, user: 'postgres' });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

const quote = (value: string): string => `'${value.replace(/'/g, "''")}'`;

export async function startRealisticServers(options: RealisticOptions = {}): Promise<RealisticServers> {
  const [moto, server] = await Promise.all([startMoto(), LocalServer.create()]);
  writeFileSync(
    join(server.dataDir, 'pg_hba.conf'),
    'local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n',
  );
  await server.start();
  await asSuperuser(server, 'create database app');
  const unknownPassword = async () =>
    asSuperuser(server, `alter role postgres password ${quote(randomBytes(18).toString('hex'))}`);
  await unknownPassword();
  const applied: string[] = [];
  const proxy = await startFaultProxy(moto.endpoint, [], {
    ...options,
    onPasswordApplied: async (id, password) => {
      applied.push(id);
      await asSuperuser(server, `alter role postgres password ${quote(password)}`);
      await options.onPasswordApplied?.(id, password);
    },
  });
  return {
    moto,
    proxy,
    server,
    applied,
    env: () => ({
      AWS_ENDPOINT_URL: proxy.endpoint,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
    }),
    async reset() {
      await moto.reset();
      await unknownPassword();
      proxy.rules.length = 0;
      proxy.calls.length = 0;
      proxy.injected = 0;
      proxy.realistic?.clear();
      applied.length = 0;
    },
    async stop() {
      proxy.realistic?.clear();
      await proxy.close();
      await Promise.all([moto.stop(), server.destroy()]);
    },
  };
}
