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
 */
import type pg from 'pg';
import type { ConnectionSettings } from '../model/types.js';
import { openSession, type SessionOptions } from './session.js';

export class ProductionSnapshot {
  private constructor(
    private readonly settings: ConnectionSettings,
    private readonly options: SessionOptions,
    private exporter: pg.Client | undefined,
    readonly snapshotId: string,
    readonly takenAt: Date,
  ) {}

  static async open(settings: ConnectionSettings, options: SessionOptions): Promise<ProductionSnapshot> {
    const client = await openSession(settings, options);
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      // Microseconds rounded up to the millisecond a JavaScript Date holds: rounding down would put
      // commits of the snapshot after T.
      const { rows } = await client.query<{ id: string; ms: string }>(
        'SELECT pg_export_snapshot() AS id, ceil(extract(epoch FROM clock_timestamp()) * 1000)::text AS ms',
      );
      const row = rows[0]!;
      return new ProductionSnapshot(settings, options, client, row.id, new Date(Number(row.ms)));
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
  }

  /** A new connection inside a transaction that sees exactly the exported snapshot. */
  async join(): Promise<pg.Client> {
    if (!this.exporter) throw new Error('the production snapshot was released');
    const client = await openSession(this.settings, this.options);
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      await client.query(`SET TRANSACTION SNAPSHOT ${client.escapeLiteral(this.snapshotId)}`);
      return client;
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
  }

  /** The exporting connection itself (already inside the snapshot), for serial catalog reads. */
  get client(): pg.Client {
    if (!this.exporter) throw new Error('the production snapshot was released');
    return this.exporter;
  }

  /** Ends the snapshot, so production's vacuum is no longer held back. Safe to call twice. */
  async release(): Promise<void> {
    const client = this.exporter;
    this.exporter = undefined;
    if (!client) return;
    await client.query('ROLLBACK').catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}
