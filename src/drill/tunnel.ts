/**
 * tunnel-command: reach a copy inside a private VPC from a runner outside it. Once the copy is available the
 * drill runs the command template (for example an SSM port-forwarding session) with {host}, {port} and
 * {localPort} filled in, waits until 127.0.0.1:{localPort} accepts TCP, connects through it, and stops the
 * tunnel in its cleanup path. The command runs in its own process group (detached) so stop() ends the
 * whole tree it started (aws -> session-manager-plugin), on success, failure, cancel, and at process exit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect as tcpConnect } from 'node:net';
import { freePort } from '../db/local-server.js';
import type { Logger } from '../log/logger.js';
import { abortError, pollUntil, sleep as realSleep, type Sleep } from '../time/poll.js';
import { maskSecrets } from '../log/redact.js';
import type { Target } from '../model/types.js';

export interface TunnelRemote {
  host: string;
  port: number;
}

export interface Tunnel {
  localPort: number;
  /** The process group id (the shell's pid). */
  pid: number;
  /** Ends the process group: SIGTERM, then SIGKILL after the grace. Idempotent; never throws. */
  stop(): Promise<void>;
  /**
   * After the tunnel opened: why it is gone when its command exited on its own (Session Manager ends a
   * session after its idle timeout or maximum duration), else undefined. The drill names it in its error.
   */
  lost?(): string | undefined;
}

export interface TunnelOptions {
  /** How long the local port may take to accept TCP. Default 120 s. */
  readyTimeoutMs?: number;
  /** Between SIGTERM and SIGKILL. Default 5 s. */
  graceMs?: number;
  /** Use this local port instead of a free one (tests). */
  localPort?: number;
  sleep?: Sleep;
  env?: NodeJS.ProcessEnv;
}

export const TUNNEL_PLACEHOLDERS = ['host', 'port', 'localPort'] as const;

/** POSIX single-quoting: the value reaches the command as one word, whatever it holds. */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The template with every {host}, {port} and {localPort} replaced by its shell-quoted value. */
export function fillTunnelTemplate(template: string, values: TunnelRemote & { localPort: number }): string {
  return template.replace(/\{(host|port|localPort)\}/g, (_m, name: (typeof TUNNEL_PLACEHOLDERS)[number]) =>
    shellQuote(String(values[name])),
  );
}

/**
 * What the tunnel's own output may show: registered secrets are masked by the logger; this also masks AWS
 * credentials from the environment and anything that looks like an access key id, token or password.
 */
export function maskTunnelOutput(text: string, env: NodeJS.ProcessEnv = process.env): string {
  const names = ['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_ACCESS_KEY_ID', 'PGPASSWORD'];
  return maskSecrets(
    text,
    names.map((name) => env[name]),
  )
    .replace(/\b(AKIA|ASIA)[A-Z0-9]{12,}\b/g, '***')
    .replace(/((?:password|secret|token)[a-z_-]*["']?\s*[:=]\s*["']?)[^\s"',}]+/gi, '$1***');
}

const TAIL = 2000;

/** Resolves when 127.0.0.1:port accepts a TCP connection, rejects otherwise (the probe closes at once). */
function probe(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Is any process of the group still there? */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}

/**
 * Starts the tunnel and waits until its local port accepts TCP. Rejects (after stopping what it started)
 * when the command exits first, the port stays closed past the deadline, or the signal aborts.
 */
export async function startTunnel(
  template: string,
  remote: TunnelRemote,
  logger: Logger,
  signal: AbortSignal,
  options: TunnelOptions = {},
): Promise<Tunnel> {
  if (signal.aborted) throw abortError(signal);
  const env = options.env ?? process.env;
  const localPort = options.localPort ?? (await freePort());
  const command = fillTunnelTemplate(template, { ...remote, localPort });
  logger.info(`tunnel: starting on 127.0.0.1:${localPort} to ${remote.host}:${remote.port}`);
  logger.debug(`tunnel: sh -c ${maskTunnelOutput(command, env)}`);

  const child: ChildProcess = spawn('sh', ['-c', command], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  let output = '';
  const keep = (d: Buffer) => {
    output = (output + d.toString()).slice(-TAIL);
    for (const line of d.toString().split('\n'))
      if (line.trim()) logger.debug(`tunnel: ${maskTunnelOutput(line, env)}`);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exited: string | undefined;
  child.once('exit', (code, sig) => {
    exited = sig ? `was killed by ${sig}` : `exited with code ${code}`;
  });
  const spawned = await new Promise<number>((resolve, reject) => {
    child.once('spawn', () => resolve(child.pid!));
    child.once('error', reject);
  });
  const pgid = spawned;
  // Never keep the drill's process alive, and never outlive it: the exit hook kills the group synchronously.
  child.unref();
  (child.stdout as unknown as { unref?: () => void }).unref?.();
  (child.stderr as unknown as { unref?: () => void }).unref?.();
  const onExit = () => killGroup(pgid, 'SIGKILL');
  process.on('exit', onExit);

  const nap = options.sleep ?? realSleep;
  const graceMs = options.graceMs ?? 5000;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      signal.removeEventListener('abort', onAbort);
      if (groupAlive(pgid)) {
        killGroup(pgid, 'SIGTERM');
        const deadline = Date.now() + graceMs;
        while (groupAlive(pgid) && Date.now() < deadline) await realSleep(50);
        if (groupAlive(pgid)) {
          logger.warning(`tunnel: still running ${graceMs} ms after SIGTERM; sending SIGKILL`);
          killGroup(pgid, 'SIGKILL');
          for (let i = 0; i < 40 && groupAlive(pgid); i++) await realSleep(50);
        }
      }
      process.removeListener('exit', onExit);
      logger.info('tunnel: stopped');
    })();
    return stopping;
  };
  const onAbort = () => void stop();
  signal.addEventListener('abort', onAbort, { once: true });

  const tail = () => {
    const text = maskTunnelOutput(output.trim(), env).split('\n').slice(-5).join(' | ');
    return text ? `; its output ends: ${text}` : '; it printed nothing';
  };
  try {
    await pollUntil(
      async () => {
        // A command that backgrounds its tunnel exits while its process group lives on: keep waiting then.
        if (exited !== undefined && !groupAlive(pgid))
          throw new Error(`tunnel-command ${exited} before 127.0.0.1:${localPort} opened${tail()}`);
        if (await probe(localPort)) return { done: true, status: 'open' };
        return { done: undefined, status: 'not listening yet' };
      },
      {
        what: `tunnel on 127.0.0.1:${localPort}`,
        deadline: new Date(Date.now() + (options.readyTimeoutMs ?? 120_000)),
        signal,
        sleep: nap,
        backoff: { initialMs: 200, maxMs: 2000, factor: 1.5, jitter: 0 },
        onProgress: (line) => logger.debug(line),
      },
    );
  } catch (error) {
    await stop();
    const e = error as Error;
    throw new Error(e.name === 'TimeoutError' ? `${e.message}${tail()}` : e.message);
  }
  logger.info(`tunnel: 127.0.0.1:${localPort} is open`);
  const lostMessage = () =>
    `tunnel lost: tunnel-command ${exited ?? 'ended'} while the drill was using 127.0.0.1:${localPort}${tail()} (a Session Manager session ends after its idle timeout or maximum session duration: docs/tunnel.md)`;
  let gone: string | undefined;
  const markLost = (): string | undefined => {
    if (stopping) return undefined;
    if (gone === undefined) {
      gone = lostMessage();
      logger.warning(gone);
    }
    return gone;
  };
  const lost = (): string | undefined =>
    stopping ? undefined : (gone ?? (groupAlive(pgid) ? undefined : markLost()));
  // Said when it happens, not only when a query fails on it. A command that backgrounds its tunnel exits
  // while the tunnel lives on: lost only when the group is gone or the local port no longer answers.
  // A process being killed may answer for a moment while the kernel tears it down: look again for a few
  // seconds before concluding that a backgrounded tunnel lives on.
  const onLoss = async () => {
    for (let i = 0; i < 25 && !stopping; i++) {
      if (!groupAlive(pgid) || !(await probe(localPort))) {
        markLost();
        return;
      }
      await realSleep(200);
    }
  };
  child.once('exit', () => void onLoss());
  if (exited !== undefined) await onLoss();
  return { localPort, pid: pgid, stop, lost };
}

/** The target reached through 127.0.0.1:localPort; TLS still names (and verifies) the copy's own endpoint. */
export function throughTunnel(target: Target, localPort: number): Target {
  const { host } = target.connection;
  return {
    ...target,
    connection: { ...target.connection, host: '127.0.0.1', port: localPort, tlsServername: host },
  };
}
