/**
 * Start and stop PostgreSQL servers on this machine: throwaway clusters for tests, the demo, and the
 * local-pitr provider's restored copies. PostgreSQL refuses to run as root, so when this process is root
 * every server command runs as the postgres user (runuser) in directories that user owns.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { appendFile, chown, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

const INSTALL_HINT =
  'PostgreSQL server binaries (initdb, pg_ctl, postgres, pg_basebackup) were not found: install them with ' +
  '`apt-get install -y postgresql` (Debian/Ubuntu) or put their directory on PATH or in PG_BINDIR';

let cachedBindir: string | undefined;

/** The directory holding initdb/pg_ctl: PG_BINDIR, then PATH, then the newest /usr/lib/postgresql/N/bin. */
export function findPgBindir(): string {
  if (cachedBindir) return cachedBindir;
  const candidates: string[] = [];
  if (process.env.PG_BINDIR) candidates.push(process.env.PG_BINDIR);
  for (const dir of (process.env.PATH ?? '').split(':')) if (dir) candidates.push(dir);
  const lib = '/usr/lib/postgresql';
  if (existsSync(lib)) {
    const versions = readdirSync(lib)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const v of versions) candidates.push(join(lib, v, 'bin'));
  }
  const found = candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
  if (!found) throw new Error(INSTALL_HINT);
  cachedBindir = found;
  return found;
}

const runningAsRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

/** Runs a PostgreSQL program, as the postgres user when we are root. Resolves with stdout. */
export async function runPgTool(
  program: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<string> {
  const binary = join(findPgBindir(), program);
  const [file, argv] = runningAsRoot()
    ? ['runuser', ['-u', 'postgres', '--', binary, ...args]]
    : [binary, args];
  try {
    const { stdout } = await execFileAsync(file, argv, {
      env: { ...process.env, ...options.env },
      timeout: options.timeoutMs ?? 120_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    const detail = (e.stderr ?? '').trim().split('\n').slice(-3).join(' | ');
    throw new Error(`${program} failed: ${detail || e.message}`);
  }
}

/** A directory the server user may own: created, and handed to postgres when we are root. */
export async function makeServerDir(path: string): Promise<string> {
  await mkdir(path, { recursive: true, mode: 0o700 });
  if (runningAsRoot()) {
    const { uid, gid } = postgresIds();
    await chown(path, uid, gid);
  }
  return path;
}

/** A fresh temporary directory owned by the server user. */
export async function makeTempServerDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return makeServerDir(dir);
}

let ids: { uid: number; gid: number } | undefined;
function postgresIds(): { uid: number; gid: number } {
  if (ids) return ids;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    ids = { uid, gid };
    return ids;
  } catch {
    throw new Error(
      "no 'postgres' system user: PostgreSQL refuses to run as root; create it (apt-get install postgresql does)",
    );
  }
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface LocalServerOptions {
  /** Data directory; created by initdb when `init` is true, else it must hold a cluster (e.g. a restored base backup). */
  dataDir: string;
  /** Directory for the socket and the server log; owned by the server user. */
  runDir: string;
  port?: number;
  /** Extra postgresql.conf settings, appended before start. */
  settings?: Record<string, string | number | boolean>;
}

/** One PostgreSQL server on 127.0.0.1 with trust authentication for its own user; for tests and throwaway copies. */
export class LocalServer {
  port = 0;
  private started = false;

  constructor(readonly options: LocalServerOptions) {}

  get dataDir(): string {
    return this.options.dataDir;
  }

  get logFile(): string {
    return join(this.options.runDir, 'postgres.log');
  }

  /** Creates a new cluster (superuser postgres, UTF8, trust on loopback). */
  static async create(
    options: { baseDir?: string; settings?: LocalServerOptions['settings'] } = {},
  ): Promise<LocalServer> {
    const base = options.baseDir
      ? await makeServerDir(options.baseDir)
      : await makeTempServerDir('restore-proof-pg-');
    const dataDir = join(base, 'data');
    const runDir = await makeServerDir(join(base, 'run'));
    await runPgTool('initdb', [
      '-D',
      dataDir,
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
      '--locale=C.UTF-8',
      '--no-sync',
    ]);
    const server = new LocalServer({ dataDir, runDir, settings: options.settings });
    return server;
  }

  async start(): Promise<this> {
    this.port = this.options.port ?? (await freePort());
    const settings: Record<string, string | number | boolean> = {
      listen_addresses: "'127.0.0.1'",
      port: this.port,
      unix_socket_directories: `'${this.options.runDir}'`,
      fsync: 'off',
      ...this.options.settings,
    };
    const lines = Object.entries(settings).map(([k, v]) => `${k} = ${v}`);
    await appendFile(join(this.dataDir, 'postgresql.conf'), `\n# restore-proof\n${lines.join('\n')}\n`);
    await runPgTool('pg_ctl', ['-D', this.dataDir, '-l', this.logFile, '-w', '-t', '120', 'start']);
    this.started = true;
    return this;
  }

  url(database = 'postgres', user = 'postgres'): string {
    return `postgres://${user}@127.0.0.1:${this.port}/${database}`;
  }

  /** Stops the server (fast shutdown) if it runs. */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await runPgTool('pg_ctl', ['-D', this.dataDir, '-m', 'fast', '-w', '-t', '60', 'stop']).catch(() =>
      runPgTool('pg_ctl', ['-D', this.dataDir, '-m', 'immediate', '-w', 'stop']).catch(() => undefined),
    );
  }

  /** Stops the server and removes the directory it lives in. */
  async destroy(baseDir = join(this.dataDir, '..')): Promise<void> {
    await this.stop();
    await rm(baseDir, { recursive: true, force: true });
  }
}
