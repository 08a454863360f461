/**
 * Session plumbing shared by the validation engine: deterministic session settings, a bounded pool of
 * connections that run tasks in parallel, and error text that is safe to report (no row values).
 */
import type pg from 'pg';
import { connect } from './connect.js';
import type { ConnectionSettings } from '../model/types.js';

export interface SessionOptions {
  /** Server-side parallel workers per query (max_parallel_workers_per_gather). */
  parallelWorkers: number;
  /** Read-only session: the default for every validation connection. */
  readOnly?: boolean;
}

/**
 * Settings that make hashes and text forms identical on both sides whatever the servers' defaults:
 * UTC, ISO dates, full float precision, no JIT (its compile time dwarfs small tables).
 */
export function sessionSql(options: SessionOptions): string {
  const lines = [
    "SET TimeZone = 'UTC'",
    "SET DateStyle = 'ISO, YMD'",
    "SET IntervalStyle = 'postgres'",
    'SET extra_float_digits = 3',
    "SET bytea_output = 'hex'",
    'SET jit = off',
    'SET statement_timeout = 0',
    `SET max_parallel_workers_per_gather = ${Math.max(0, Math.floor(options.parallelWorkers))}`,
  ];
  if (options.readOnly !== false) lines.push('SET default_transaction_read_only = on');
  return lines.join('; ');
}

export async function openSession(settings: ConnectionSettings, options: SessionOptions): Promise<pg.Client> {
  const client = await connect(settings, { application_name: 'restore-proof-validate' });
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
    const onAbort = (): void => void client.end().catch(() => undefined);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      while (next < items.length) {
        if (signal?.aborted) throw new Error('validation cancelled');
        const index = next++;
        results[index] = await run(client, items[index]!, index);
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      await client.end().catch(() => undefined);
    }
  };
  await Promise.all(Array.from({ length: items.length === 0 ? 0 : workers }, worker));
  if (next < items.length) throw lastError ?? new Error('no connection could run the remaining work');
  return results;
}
