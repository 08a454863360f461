/**
 * What an integration test of the built action stands on: moto_server behind the fault proxy, a real
 * PostgreSQL with an `app` database standing in for the restored copy (reached via restored-host/-port),
 * and, when asked for, a second PostgreSQL standing in for production (its own server: roles are
 * cluster-wide, so a production in the copy's server would share them). One seed function loads the same
 * `app` content on both, so a drill really compares two databases.
 */
import pg from 'pg';
import { LocalServer } from '../../src/db/local-server.js';
import { REGION } from './aurora-fixture.js';
import { startFaultProxy, type FaultProxy } from './fault-proxy.js';
import { startMoto, type Moto } from './moto.js';
import type { StepResult } from './runner.js';

export interface DrillServers {
  moto: Moto;
  proxy: FaultProxy;
  /** The restored copy's stand-in. */
  server: LocalServer;
  /** Production's stand-in, when started with `production: true`. */
  production: LocalServer | undefined;
  /** A production-url for production's `app` database (password and query as given). */
  productionUrl(options?: { password?: string; query?: string }): string;
  /** The environment the built action needs to reach moto through the proxy. */
  env(): NodeJS.ProcessEnv;
  /** Resets moto and clears the proxy's rules and recorded calls. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export interface DrillServerOptions {
  /** Start a second PostgreSQL as production (in parallel with the copy's). */
  production?: boolean;
  /** Loads the `app` database; run on the copy and on production alike, so both hold the same content. */
  seed?: (app: pg.Client) => Promise<void>;
}

/** AWS calls that create, modify or delete: none may reach the API before an input error. */
export const MUTATING = /^(Restore|Create|Modify|Delete|Copy|Add|Remove)/;

/** The ::error:: lines of a step. */
export const stepErrors = (r: StepResult): string[] =>
  r.stdout.split('\n').filter((l) => l.startsWith('::error::'));

/** The inputs of a restore-test drill of the prod-db source cluster whose copy is reached at `copy`. */
export function auroraDrillInputs(
  copy: LocalServer,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    command: 'restore-test',
    'source-cluster': 'prod-db',
    'aws-region': REGION,
    'restored-host': '127.0.0.1',
    'restored-port': String(copy.port),
    'ssl-mode': 'disable',
    'timeout-minutes': '2',
    ...extra,
  };
}

/** Runs `fn` on a connection to `database` of `server` as postgres, and closes it. */
export async function onDatabase<T>(
  server: LocalServer,
  database: string,
  fn: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: server.url(database) });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * A started server with an `app` database, seeded when a seed is given. `configure` runs on the created
 * server before it starts (e.g. to set its TLS files and settings). A server that fails to come up is removed.
 */
export async function appServer({
  seed,
  configure,
}: {
  seed?: DrillServerOptions['seed'];
  configure?: (server: LocalServer) => void;
} = {}): Promise<LocalServer> {
  const server = await LocalServer.create();
  try {
    configure?.(server);
    await server.start();
    await onDatabase(server, 'postgres', (c) => c.query('create database app'));
    if (seed) await onDatabase(server, 'app', seed);
    return server;
  } catch (error) {
    await server.destroy();
    throw error;
  }
}

export async function startDrillServers(options: DrillServerOptions = {}): Promise<DrillServers> {
  const started = await Promise.allSettled([
    startMoto(),
    appServer({ seed: options.seed }),
    options.production ? appServer({ seed: options.seed }) : Promise.resolve(undefined),
  ]);
  const [motoStarted, serverStarted, productionStarted] = started;
  if (
    motoStarted.status === 'rejected' ||
    serverStarted.status === 'rejected' ||
    productionStarted.status === 'rejected'
  ) {
    // Nothing half-started is left running when one of them failed.
    await Promise.all([
      motoStarted.status === 'fulfilled' ? motoStarted.value.stop() : undefined,
      serverStarted.status === 'fulfilled' ? serverStarted.value.destroy() : undefined,
      productionStarted.status === 'fulfilled' ? productionStarted.value?.destroy() : undefined,
    ]);
    throw started.map((s) => (s.status === 'rejected' ? s.reason : undefined)).find(Boolean);
  }
  const moto = motoStarted.value;
  const server = serverStarted.value;
  const production = productionStarted.value;
  const proxy = await startFaultProxy(moto.endpoint);
  return {
    moto,
    proxy,
    server,
    production,
    productionUrl({ password, query = 'sslmode=disable' } = {}) {
      if (!production) throw new Error('no production server: start the drill servers with production: true');
      const auth = password === undefined ? 'postgres' : `postgres:${encodeURIComponent(password)}`;
      return `postgres://${auth}@127.0.0.1:${production.port}/app${query ? `?${query}` : ''}`;
    },
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
      await Promise.all([moto.stop(), server.destroy(), production?.destroy()]);
    },
  };
}

export interface UseDrillServerOptions extends DrillServerOptions {
  /** Reset moto and the proxy before each test (default); false leaves that to the file. */
  resetEach?: boolean;
}

/**
 * The jest hooks of a test file of the built action: starts the drill servers before its tests, stops them
 * after, and resets them before each test. Call it at the top of the file, before the file's own hooks (they
 * run after these, so they see started and reset servers). The returned object reads the started servers.
 */
export function useDrillServers(options: UseDrillServerOptions = {}): DrillServers {
  let current: DrillServers | undefined;
  const get = (): DrillServers => {
    if (!current)
      throw new Error('the drill servers are not started: call useDrillServers() at the top of the file');
    return current;
  };
  beforeAll(async () => {
    current = await startDrillServers(options);
  });
  afterAll(async () => {
    await current?.stop();
    current = undefined;
  });
  if (options.resetEach !== false) beforeEach(async () => get().reset());
  return {
    get moto() {
      return get().moto;
    },
    get proxy() {
      return get().proxy;
    },
    get server() {
      return get().server;
    },
    get production() {
      return get().production;
    },
    productionUrl: (o) => get().productionUrl(o),
    env: () => get().env(),
    reset: () => get().reset(),
    stop: () => get().stop(),
  };
}
