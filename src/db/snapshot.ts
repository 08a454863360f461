/**
 * Production as of one instant. One connection opens a REPEATABLE READ transaction and exports its
 * snapshot; every other connection imports it (SET TRANSACTION SNAPSHOT), as pg_dump -j does, so a
 * multi-table read in parallel sees one consistent state.
 *
 * Which instant. The snapshot is taken when the first statement of the transaction starts; the same
 * statement then reads clock_timestamp(), so T is at or after the snapshot. Every transaction visible in
 * the snapshot committed before it was taken, and its WAL commit record carries a timestamp taken before
 * it became visible, so every commit in the snapshot has a commit timestamp <= T. A point-in-time restore
 * to T (recovery_target_time = T, inclusive) replays exactly the commits with timestamp <= T, hence the
 * copy holds every commit in the snapshot. The only possible residue is the other way round: a commit
 * whose timestamp is <= T but which became visible after the snapshot was taken (it was finishing at
 * that microsecond); it is in the copy and not in the snapshot, and the checks report it per table.
 * now() (the transaction start) would be the wrong choice: commits between BEGIN and the snapshot would be
 * in the snapshot but after T, and would read as data missing from the copy. T is read from the server's
 * clock, the same clock that stamps commit records, so runner clock skew does not enter.
 *
 * On a reader (a streaming replica, pg_is_in_recovery()) the snapshot holds what the reader has replayed,
 * which lags the writer: its own clock would put T after commits it has not replayed yet, and they would
 * read as data missing from the production side. There T is the commit timestamp of the last transaction
 * the reader replayed, pg_last_xact_replay_timestamp(), read in the statement that exports the snapshot
 * (so after the snapshot was taken: the only residue is again a commit in the copy and not in the
 * snapshot). A reader that has replayed nothing since it started has no such time: opening fails, and
 * the caller compares by watermark instead.
 *
 * The snapshot lives as long as the reading that needs it: the caller releases it the moment that
 * reading ends, never holding production across a wait.
 */
import type pg from 'pg';
import type { ConnectionSettings } from '../model/types.js';
import { openSession, type SessionOptions } from './session.js';
import { parseSnapshotVisibility, type SnapshotVisibility } from './in-flight.js';

/** What the exporting statement read besides the snapshot id (milliseconds since the epoch, rounded up). */
export interface SnapshotClocks {
  /** pg_is_in_recovery(): the server is a reader (a replica), not the writer. */
  reader: boolean;
  /** clock_timestamp() */
  clockMs: number;
  /** pg_last_xact_replay_timestamp(); null on a writer, or on a reader that has replayed nothing yet. */
  replayMs: number | null;
}

/** A reader that has replayed nothing since it started: its snapshot shows no known instant. */
export class UnknownReplayPoint extends Error {
  constructor() {
    super(
      'production-url is a reader that has replayed no transaction since it started: the instant its snapshot shows is unknown',
    );
    this.name = 'UnknownReplayPoint';
  }
}

/** The instant the snapshot shows: the writer's clock, or the reader's last replayed commit. */
export function pinnedInstant(clocks: SnapshotClocks): Date {
  if (!clocks.reader) return new Date(clocks.clockMs);
  if (clocks.replayMs === null) throw new UnknownReplayPoint();
  return new Date(clocks.replayMs);
}

/**
 * The next MultiXactId (32-bit, as text): mxid_age(1) counts the ids from 1 to the next one. Read with the
 * snapshot and with the ceiling, it bounds the MultiXactIds created in between (in-flight.ts).
 */
const NEXT_MULTI = `((mxid_age('1'::xid)::bigint + 1 + 4294967296) % 4294967296)::text`;

/** How long after the rounded pin the ceiling is read: a commit is stamped a moment before it completes. */
const CEILING_MARGIN_MS = 1000;

/**
 * When the ceiling may be read for a snapshot taken at `takenAt`: the pin rounded up to the whole second (what
 * an RDS restore honours), plus the margin. Tables are read after it, so a production pass takes at least
 * this long whatever the database's size (in a latest drill it overlaps the restore).
 */
export function ceilingNotBefore(takenAt: Date): Date {
  return new Date(Math.ceil(takenAt.getTime() / 1000) * 1000 + CEILING_MARGIN_MS);
}

/**
 * The running transactions first (any that completes after this read is below the xmax read next), then
 * the xmax and the next MultiXactId: the ceiling is past both.
 */
async function readCeilingNow(client: pg.Client): Promise<{ ceiling: bigint; multiCeiling?: bigint }> {
  const running = await client
    .query<{ x: string | null }>(
      `SELECT backend_xid::text AS x FROM pg_catalog.pg_stat_activity WHERE backend_xid IS NOT NULL`,
    )
    .then((r) => r.rows.map((row) => BigInt(row.x!)))
    .catch(() => [] as bigint[]);
  const { rows } = await client.query<{ x: string; nm: string | null }>(
    `SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS x, ${NEXT_MULTI} AS nm`,
  );
  const xmax = BigInt(rows[0]!.x);
  const epoch = 1n << 32n;
  // A 32-bit id just below xmax (modulo 2^32) is before it; one at or past it is running past it.
  const past = running.map((x) => (x - (xmax % epoch) + epoch) % epoch).filter((d) => d < epoch / 2n);
  const ceiling = past.reduce((c, d) => (xmax + d + 1n > c ? xmax + d + 1n : c), xmax);
  const nm = rows[0]!.nm;
  return { ceiling, ...(nm === null ? {} : { multiCeiling: BigInt(nm) }) };
}

export class ProductionSnapshot {
  private busy?: Promise<void>;

  private constructor(
    private readonly settings: ConnectionSettings,
    private readonly options: SessionOptions,
    private exporter: pg.Client | undefined,
    readonly snapshotId: string,
    readonly takenAt: Date,
    /** The snapshot was exported on a reader (pg_is_in_recovery()). */
    readonly onReader: boolean,
    /**
     * Which transactions the snapshot sees (pg_current_snapshot()): a commit the copy holds whose
     * transaction is not visible here was in flight at T (see in-flight.ts).
     */
    readonly visibility: SnapshotVisibility,
  ) {}

  static async open(settings: ConnectionSettings, options: SessionOptions): Promise<ProductionSnapshot> {
    const client = await openSession(settings, options);
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      // Microseconds rounded up to the millisecond a JavaScript Date holds: rounding down would put
      // commits of the snapshot after T.
      const { rows } = await client.query<{
        id: string;
        ms: string;
        reader: boolean;
        replay: string | null;
        xs: string;
        nm: string | null;
      }>(
        `SELECT pg_export_snapshot() AS id, ceil(extract(epoch FROM clock_timestamp()) * 1000)::text AS ms,
                pg_is_in_recovery() AS reader,
                ceil(extract(epoch FROM pg_last_xact_replay_timestamp()) * 1000)::text AS replay,
                pg_current_snapshot()::text AS xs, ${NEXT_MULTI} AS nm`,
      );
      const row = rows[0]!;
      const clocks: SnapshotClocks = {
        reader: row.reader,
        clockMs: Number(row.ms),
        replayMs: row.replay === null ? null : Number(row.replay),
      };
      return new ProductionSnapshot(
        settings,
        options,
        client,
        row.id,
        pinnedInstant(clocks),
        row.reader,
        parseSnapshotVisibility(row.xs, row.nm === null ? undefined : BigInt(row.nm)),
      );
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
  }

  /**
   * The ceiling of in-flight.ts, on a connection of its own that holds no transaction across the wait: once
   * the server has passed the pin rounded up to the whole second, plus a second for commits stamped before
   * it that were still finishing (on a reader: once it has replayed a commit past that), production's xmax,
   * raised past any transaction id still running then (pg_stat_activity, read first, where this role may
   * see it). Undefined when that does not happen within a few seconds or the read fails: then no bound.
   */
  async readCeiling(signal: AbortSignal): Promise<{ ceiling?: bigint; multiCeiling?: bigint }> {
    const notBefore = ceilingNotBefore(this.takenAt);
    let client: pg.Client | undefined;
    try {
      client = await openSession(this.settings, this.options);
      for (let attempt = 0; attempt < 8 && !signal.aborted; attempt++) {
        const { rows } = await client.query<{ wait: number | null }>(
          `SELECT extract(epoch FROM ($1::timestamptz - coalesce(
                    CASE WHEN pg_is_in_recovery() THEN pg_last_xact_replay_timestamp() ELSE clock_timestamp() END,
                    '-infinity'))) * 1000 AS wait`,
          [notBefore.toISOString()],
        );
        const wait = Number(rows[0]!.wait);
        if (wait < 0) return await readCeilingNow(client);
        await new Promise((r) => setTimeout(r, Math.min(Math.max(wait, 0), 1000) + 10));
      }
      return {};
    } catch {
      return {};
    } finally {
      await client?.end().catch(() => undefined);
    }
  }

  /** A new connection inside a transaction that sees exactly the exported snapshot. */
  async join(): Promise<pg.Client> {
    if (!this.exporter) throw new Error('the production snapshot was released');
    const client = await openSession(this.settings, this.options);
    try {
      await this.enter(client);
      return client;
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
  }

  /** A new connection to the same server, outside any transaction; enter() puts it in the snapshot. */
  async connect(): Promise<pg.Client> {
    if (!this.exporter) throw new Error('the production snapshot was released');
    return openSession(this.settings, this.options);
  }

  /**
   * Starts a transaction on `client` that sees exactly the exported snapshot (while the snapshot is held).
   * A short transaction per table read this way holds that table's lock only while it is read.
   */
  async enter(client: pg.Client): Promise<void> {
    if (!this.exporter) throw new Error('the production snapshot was released');
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      await client.query(`SET TRANSACTION SNAPSHOT ${client.escapeLiteral(this.snapshotId)}`);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  /**
   * The exporting connection itself (already inside the snapshot), for reads of pg_catalog only: any lock
   * it takes on a user table is held until release().
   */
  get client(): pg.Client {
    if (!this.exporter) throw new Error('the production snapshot was released');
    return this.exporter;
  }

  /**
   * Keeps the exporting connection busy until release(): short pg_sleep statements (no lock, nothing
   * read), so the snapshot is not ended by idle_in_transaction_session_timeout while other connections
   * still import it for each table. Only for the length of a reading that releases it when done.
   */
  keepBusy(): void {
    const client = this.exporter;
    if (!client || this.busy) return;
    this.busy = (async () => {
      while (this.exporter === client) await client.query('SELECT pg_sleep(0.2)');
    })().catch(() => undefined);
  }

  /** Ends the snapshot, so production's vacuum is no longer held back. Safe to call twice. */
  async release(): Promise<void> {
    const client = this.exporter;
    this.exporter = undefined;
    if (!client) return;
    await this.busy;
    await client.query('ROLLBACK').catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}
