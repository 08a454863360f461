/**
 * Start and stop PostgreSQL servers on this machine: throwaway clusters for tests, the demo, and the
 * local-pitr provider's restored copies. PostgreSQL refuses to run as root, so when this process is root
 * every server command runs as the postgres user (runuser) in directories that user owns.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { appendFile, chown, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
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
  // A PATH directory may hold only symlinks to a few programs (initdb, pg_ctl): use the directory they point
  // into, which holds the rest (pg_basebackup, pg_waldump), when it does.
  const real = dirname(realpathSync(join(found, 'pg_ctl')));
  cachedBindir = existsSync(join(real, 'initdb')) && existsSync(join(real, 'postgres')) ? real : found;
  return cachedBindir;
}

/** The major version of the PostgreSQL programs in a directory (from pg_ctl --version), e.g. '15'. */
export function pgMajorVersion(bindir: string): string {
  const out = execFileSync(join(bindir, 'pg_ctl'), ['--version'], { encoding: 'utf8' });
  const m = /\(PostgreSQL\)\s+(\d+)(?:\.\d+)?/.exec(out);
  if (!m) throw new Error(`cannot read the PostgreSQL version of ${bindir}/pg_ctl: ${out.trim()}`);
  return m[1]!;
}

/**
 * The programs of one major version (a data directory runs only under its own major): PG_BINDIR or PATH when
 * they match, else /usr/lib/postgresql/<major>/bin. Throws naming the version to install.
 */
export function findPgBindirFor(major: string): string {
  const versioned = join('/usr/lib/postgresql', major, 'bin');
  const fallback = findPgBindir();
  if (pgMajorVersion(fallback) === major) return fallback;
  if (existsSync(join(versioned, 'pg_ctl')) && existsSync(join(versioned, 'postgres'))) return versioned;
  throw new Error(
    `PostgreSQL ${major} server binaries are required (the backup was taken by PostgreSQL ${major}); ` +
      `${fallback} holds PostgreSQL ${pgMajorVersion(fallback)}: install postgresql-${major} or set PG_BINDIR to its bin directory`,
  );
}

const runningAsRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

/** Runs a PostgreSQL program, as the postgres user when we are root. Resolves with stdout. */
export async function runPgTool(
  program: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; bindir?: string } = {},
): Promise<string> {
  const binary = join(options.bindir ?? findPgBindir(), program);
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
  /** Directory for the Unix socket when not runDir (socket paths are limited to about 100 bytes). */
  socketDir?: string;
  port?: number;
  /** Extra postgresql.conf settings, appended before start. */
  settings?: Record<string, string | number | boolean>;
  /** Directory of the PostgreSQL programs to use (a restored copy needs its own major version); default findPgBindir(). */
  bindir?: string;
  /** Wait until the server accepts connections (pg_ctl -w). Default true; false returns once the postmaster is launched. */
  wait?: boolean;
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
    options: {
      baseDir?: string;
      settings?: LocalServerOptions['settings'];
      /** WAL segment size in megabytes (initdb --wal-segsize); default PostgreSQL's 16. */
      walSegmentMb?: number;
    } = {},
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
      ...(options.walSegmentMb ? [`--wal-segsize=${options.walSegmentMb}`] : []),
    ]);
    const server = new LocalServer({ dataDir, runDir, settings: options.settings });
    return server;
  }

  async start(): Promise<this> {
    this.port = this.options.port ?? (await freePort());
    const settings: Record<string, string | number | boolean> = {
      listen_addresses: "'127.0.0.1'",
      port: this.port,
      unix_socket_directories: `'${this.options.socketDir ?? this.options.runDir}'`,
      fsync: 'off',
      ...this.options.settings,
    };
    const lines = Object.entries(settings).map(([k, v]) => `${k} = ${v}`);
    await appendFile(join(this.dataDir, 'postgresql.conf'), `\n# restore-proof\n${lines.join('\n')}\n`);
    const bindir = this.options.bindir;
    const waitArgs = this.options.wait === false ? ['-W'] : ['-w', '-t', '120'];
    this.started = true; // from here on stop() tries, even if pg_ctl reports a failure
    await runPgTool('pg_ctl', ['-D', this.dataDir, '-l', this.logFile, ...waitArgs, 'start'], { bindir });
    return this;
  }

  url(database = 'postgres', user = 'postgres'): string {
    return `postgres://${user}@127.0.0.1:${this.port}/${database}`;
  }

  /** Stops the server (fast shutdown) if it runs. */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await stopServer(this.dataDir, this.options.bindir);
  }

  /** Stops the server and removes the directory it lives in. */
  async destroy(baseDir = join(this.dataDir, '..')): Promise<void> {
    await this.stop();
    await rm(baseDir, { recursive: true, force: true });
  }
}

/**
 * Stops the server of a data directory if one runs there: fast shutdown, then immediate. Works from the
 * directory alone (the post step has no LocalServer object). Resolves whether or not a server was running.
 */
export async function stopServer(dataDir: string, bindir?: string): Promise<void> {
  if (!existsSync(join(dataDir, 'postmaster.pid'))) return;
  await runPgTool('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', '-t', '60', 'stop'], { bindir }).catch(() =>
    runPgTool('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', '-t', '30', 'stop'], { bindir }).catch(
      () => undefined,
    ),
  );
}
