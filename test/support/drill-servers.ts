/**
 * What an integration test of the built action stands on: moto_server behind the fault proxy, and a real
 * PostgreSQL with an `app` database standing in for the restored copy (reached via restored-host/-port).
 */
import pg from 'pg';
import { LocalServer } from '../../src/db/local-server.js';
import { startFaultProxy, type FaultProxy } from './fault-proxy.js';
import { startMoto, type Moto } from './moto.js';
import type { StepResult } from './runner.js';

export interface DrillServers {
  moto: Moto;
  proxy: FaultProxy;
  server: LocalServer;
  /** The environment the built action needs to reach moto through the proxy. */
  env(): NodeJS.ProcessEnv;
  /** Resets moto and clears the proxy's rules and recorded calls. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** AWS calls that create, modify or delete: none may reach the API before an input error. */
export const MUTATING = /^(Restore|Create|Modify|Delete|Copy|Add|Remove)/;

/** The ::error:: lines of a step. */
export const stepErrors = (r: StepResult): string[] =>
  r.stdout.split('\n').filter((l) => l.startsWith('::error::'));

export async function startDrillServers(): Promise<DrillServers> {
  const [moto, server] = await Promise.all([startMoto(), LocalServer.create()]);
  await server.start();
  const client = new pg.Client({ connectionString: server.url() });
  await client.connect();
  await client.query('create database app');
  await client.end();
  const proxy = await startFaultProxy(moto.endpoint);
  return {
    moto,
    proxy,
    server,
    env: () => ({
      AWS_ENDPOINT_URL: proxy.endpoint,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
    }),
    async reset() {
      await moto.reset();
      proxy.rules.length = 0;
      proxy.calls.length = 0;
      proxy.injected = 0;
    },
    async stop() {
      await proxy.close();
      await Promise.all([moto.stop(), server.destroy()]);
    },
  };
}
