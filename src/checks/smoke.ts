/**
 * The smoke command: the user's own probe, run against the copy with libpq-style environment variables.
 * Its exit code is the verdict. Its output stays out of the report; it is logged (masked) only when asked.
 */
import { spawn } from 'node:child_process';
import type { Logger } from '../log/logger.js';
import type { CheckResult, ConnectionSettings } from '../model/types.js';
import { result } from './result.js';

export interface SmokeOptions {
  /** Log the command's output (through the logger, which masks secrets). Default false. */
  showOutput?: boolean;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export function smokeEnvironment(settings: ConnectionSettings): Record<string, string> {
  const sslmode = settings.sslMode === 'disable' ? 'disable' : settings.sslMode;
  const auth = `${encodeURIComponent(settings.user)}${settings.password ? `:${encodeURIComponent(settings.password)}` : ''}`;
  // Through a tunnel libpq connects to hostaddr (127.0.0.1) and checks the certificate against host.
  const name = settings.tlsServername ?? settings.host;
  const host = name.includes(':') ? `[${name}]` : name;
  const hostaddr = settings.tlsServername ? `&hostaddr=${encodeURIComponent(settings.host)}` : '';
  return {
    PGHOST: name,
    ...(settings.tlsServername ? { PGHOSTADDR: settings.host } : {}),
    PGPORT: String(settings.port),
    PGUSER: settings.user,
    PGPASSWORD: settings.password,
    PGDATABASE: settings.database,
    PGSSLMODE: sslmode,
    DATABASE_URL: `postgres://${auth}@${host}:${settings.port}/${encodeURIComponent(settings.database)}?sslmode=${sslmode}${hostaddr}`,
  };
}

const TAIL_BYTES = 16 * 1024;

export async function runSmoke(
  command: string,
  settings: ConnectionSettings,
  logger: Logger,
  options: SmokeOptions = {},
): Promise<CheckResult> {
  const started = Date.now();
  if (settings.password) logger.setSecret(settings.password);
  const env = { ...process.env, ...smokeEnvironment(settings) };
  const timeoutMs = options.timeoutMs ?? 15 * 60_000;
  return new Promise<CheckResult>((resolve) => {
    let tail = '';
    const keep = (chunk: Buffer): void => {
      if (!options.showOutput) return;
      tail = (tail + chunk.toString('utf8')).slice(-TAIL_BYTES);
    };
    const child = spawn('sh', ['-c', command], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let reason: string | undefined;
    const kill = (why: string): void => {
      reason = why;
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(() => kill(`timed out after ${Math.round(timeoutMs / 1000)}s`), timeoutMs);
    const onAbort = (): void => kill('cancelled');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (code: number | null, error?: Error): void => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (options.showOutput && tail)
        for (const line of tail.split('\n')) if (line) logger.info(`smoke: ${line}`);
      const ms = Date.now() - started;
      if (error)
        resolve(
          result('smoke:command', 'smoke', 'error', `smoke command could not start (${error.message})`, ms),
        );
      else if (reason)
        resolve(result('smoke:command', 'smoke', 'fail', `smoke command ${reason}`, ms, { expected: 0 }));
      else
        resolve(
          result('smoke:command', 'smoke', code === 0 ? 'pass' : 'fail', `smoke command exited ${code}`, ms, {
            measured: code,
            expected: 0,
          }),
        );
    };
    child.on('error', (error) => finish(null, error));
    child.on('close', (code) => finish(code));
  });
}
