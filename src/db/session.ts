/**
 * Session plumbing shared by the validation engine: deterministic session settings, a bounded pool of
 * connections that run tasks in parallel, and error text that is safe to report (no row values).
 */
import { connect as netConnect } from 'node:net';
import type pg from 'pg';
import { connect } from './connect.js';
import type { ConnectionSettings } from '../model/types.js';

export interface SessionOptions {
  /** Server-side parallel workers per query (max_parallel_workers_per_gather). */
  parallelWorkers: number;
  /** Read-only session: the default for every validation connection. */
  readOnly?: boolean;
  /** How long any statement may wait for a lock before it fails (lock_timeout). Default 5 s. */
  lockTimeoutMs?: number;
  /** How long any statement may run (statement_timeout); 0, the default, is no limit. */
  statementTimeoutMs?: number;
  /** The drill's run id, shown in pg_stat_activity after the application name. */
  runId?: string;
}

export const DEFAULT_LOCK_TIMEOUT_MS = 5_000;
export const APPLICATION_NAME = 'restore-proof';

/** application_name for a session: restore-proof, then the run id when given (the server keeps 63 bytes). */
export function applicationName(runId?: string): string {
  const id = (runId ?? '').replace(/[^\x20-\x7e]/g, '').trim();
  return (id ? `${APPLICATION_NAME} ${id}` : APPLICATION_NAME).slice(0, 63);
}

const ms = (value: number | undefined, fallback: number): number =>
  value === undefined || !Number.isFinite(value) || value < 0 ? fallback : Math.floor(value);

/**
 * Every setting that changes a value's text form (and so its hash), or what a query may see, pinned to the
 * same value on both sides whatever the servers', databases' or roles' defaults:
 * - text forms: TimeZone, DateStyle, IntervalStyle, extra_float_digits (shortest exact), bytea_output,
 *   lc_monetary (money), search_path (regclass and the other reg* types print names relative to it),
 *   quote_all_identifiers, standard_conforming_strings, xmloption, client_encoding;
 * - what is read: row_security off, so a policy that would hide rows raises an error instead of
 *   returning fewer rows (see fingerprint.ts); read-only transactions;
 * - politeness: lock_timeout on every statement, a statement_timeout, no JIT (its compile time dwarfs
 *   small tables), the session's parallel workers.
 */
export function sessionSql(options: SessionOptions): string {
  const lines = [
    "SET TimeZone = 'UTC'",
    "SET DateStyle = 'ISO, YMD'",
    "SET IntervalStyle = 'postgres'",
    'SET extra_float_digits = 3',
    "SET bytea_output = 'hex'",
    "SET lc_monetary = 'C'",
    // One fixed path on both sides (not "$user", which differs when the two sides log in as different roles):
    // custom checks still find public's tables unqualified, and a reg* value prints alike on both sides.
    "SET search_path = 'public'",
    'SET quote_all_identifiers = off',
    'SET standard_conforming_strings = on',
    "SET xmloption = 'content'",
    "SET client_encoding = 'UTF8'",
    'SET row_security = off',
    'SET jit = off',
    `SET lock_timeout = ${ms(options.lockTimeoutMs, DEFAULT_LOCK_TIMEOUT_MS)}`,
    `SET statement_timeout = ${ms(options.statementTimeoutMs, 0)}`,
    `SET max_parallel_workers_per_gather = ${Math.max(0, Math.floor(options.parallelWorkers))}`,
  ];
  if (options.readOnly !== false) lines.push('SET default_transaction_read_only = on');
  return lines.join('; ');
}

export async function openSession(settings: ConnectionSettings, options: SessionOptions): Promise<pg.Client> {
  const client = await connect(settings, { application_name: applicationName(options.runId) });
  try {
    await client.query(sessionSql(options));
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  return client;
}

/** Quotes schema.name for SQL. */
export function qualified(client: pg.Client, schema: string, name: string): string {
  return `${client.escapeIdentifier(schema)}.${client.escapeIdentifier(name)}`;
}

/**
 * An error message safe for a report: SQLSTATE plus the message with every quoted fragment and every
 * `(key)=(value)` detail removed, since PostgreSQL quotes offending input values there.
 */
export function safeError(error: unknown): string {
  const e = error as { code?: string; message?: string };
  const raw = String(e?.message ?? error)
    .split('\n')[0]!
    .replace(/"[^"]*"/g, '"…"')
    .replace(/'[^']*'/g, "'…'")
    .replace(/\([^)]*\)=\([^)]*\)/g, '(…)=(…)');
  const text = raw.length > 200 ? `${raw.slice(0, 200)}…` : raw;
  return e?.code ? `SQLSTATE ${e.code}: ${text}` : text;
}

/** What node-postgres keeps of a session's server process (set by BackendKeyData at connect). */
interface BackendKey {
  host?: string;
  port?: number;
  processID?: number | null;
  secretKey?: number | null;
}

/** How long after the first cancel stopOnAbort sends the second. */
const SECOND_CANCEL_MS = 250;

/** The protocol's CancelRequest code (1234 << 16 | 5678). */
const CANCEL_REQUEST_CODE = 80877102;

/**
 * Asks the server to cancel the statement `client` is running: the protocol's CancelRequest on a
 * connection of its own (what psql's Ctrl-C and libpq's PQcancel send; no login, nothing else read), so a
 * statement busy on the server stops now instead of running to its end. Closing the connection alone does
 * not stop it: a backend notices its client is gone only when it next talks to it. Resolves once the
 * server has taken the request (or after `timeoutMs`); an idle session is left as it is.
 */
export function cancelRunning(client: pg.Client, timeoutMs = 2_000): Promise<void> {
  const key = client as unknown as BackendKey;
  if (key.processID == null || key.secretKey == null || !key.port) return Promise.resolve();
  return new Promise((resolve) => {
    const socket = key.host?.startsWith('/')
      ? netConnect(`${key.host}/.s.PGSQL.${key.port}`)
      : netConnect(key.port!, key.host || 'localhost');
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    socket.once('connect', () => {
      const packet = Buffer.alloc(16);
      packet.writeInt32BE(16, 0);
      packet.writeInt32BE(CANCEL_REQUEST_CODE, 4);
      packet.writeInt32BE(key.processID!, 8);
      packet.writeInt32BE(key.secretKey!, 12);
      socket.end(packet);
    });
    socket.once('close', done);
    socket.once('error', done);
  });
}

/**
 * On abort of `signal`, cancels what `client` is running on the server and (unless `keepOpen`) closes it;
 * at once when the signal is already aborted. Returns the function that detaches it.
 */
export function stopOnAbort(client: pg.Client, signal: AbortSignal, keepOpen = false): () => void {
  const stop = (): void => {
    if (keepOpen) {
      void cancelRunning(client);
      return;
    }
    // Closed at once, so no statement can start after the abort (a closed client refuses queries); the
    // cancel, on a connection of its own, stops the one running. A statement sent just before the abort may
    // reach the server after that cancel: a second cancel a moment later stops it too.
    void client.end().catch(() => undefined);
    void cancelRunning(client).then(() => {
      setTimeout(() => void cancelRunning(client), SECOND_CANCEL_MS).unref();
    });
  };
  if (signal.aborted) {
    stop();
    return () => undefined;
  }
  signal.addEventListener('abort', stop, { once: true });
  return () => signal.removeEventListener('abort', stop);
}

/** Runs tasks over at most `size` workers; each worker owns one connection for its lifetime. */
export async function withPool<T, R>(
  items: readonly T[],
  size: number,
  open: () => Promise<pg.Client>,
  run: (client: pg.Client, item: T, index: number) => Promise<R>,
  signal?: AbortSignal,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Math.max(1, Math.min(size, items.length));
  let lastError: unknown;
  const worker = async (): Promise<void> => {
    if (next >= items.length) return;
    let client: pg.Client;
    try {
      client = await open();
    } catch (error) {
      // A refused connection (a connection limit, say) leaves the work to the other workers.
      lastError = error;
      return;
    }
    // On abort the running statement is cancelled on the server, then the connection closed.
    const detach = signal ? stopOnAbort(client, signal) : () => undefined;
    try {
      while (next < items.length) {
        if (signal?.aborted) throw new Error('validation cancelled');
        const index = next++;
        results[index] = await run(client, items[index]!, index);
      }
    } finally {
      detach();
      await client.end().catch(() => undefined);
    }
  };
  await Promise.all(Array.from({ length: items.length === 0 ? 0 : workers }, worker));
  if (next < items.length) throw lastError ?? new Error('no connection could run the remaining work');
  return results;
}
