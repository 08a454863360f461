/**
 * Transactions in flight at the pin. Production is read inside a snapshot taken at T (snapshot.ts); the
 * copy is restored to T, or to T rounded up to the whole second a provider's API honours. Every commit the
 * snapshot sees is in the copy. What the copy may hold beyond the snapshot is exactly the transactions the
 * snapshot does not see that committed at or before the restore point: those in progress when the snapshot
 * was taken (its xip list) and those that started after it (at or past its xmax). A restore replays WAL,
 * so every row version in the copy carries the transaction id production gave it, and the two sides can be
 * told apart by id, not by time:
 * - on the copy, a row whose xmin is not visible in production's snapshot was written by such a
 *   transaction: it is set aside (counted, not compared);
 * - on production, a row of the snapshot whose xmax is not visible in it was being deleted, updated or
 *   locked by such a transaction: the copy may hold it (the change had not committed by the restore
 *   point, or only locked the row) or not (it had). Its hash is listed, and the copy's rows with the same
 *   hash are matched against it after the restore.
 * Everything else is compared exactly; a difference left after setting these aside fails the drill.
 *
 * Limits. A row whose xmax is a MultiXactId (several lockers, or an update under a key-share lock) shows
 * that id instead of a transaction id and is not recognised: a change to it by an in-flight transaction
 * stays a difference (a false alarm, never a false pass). Row versions frozen by vacuum report xmin 2
 * (FrozenTransactionId) and are old by definition.
 */

/** pg_current_snapshot() as read with the production snapshot: full (64-bit) transaction ids. */
export interface SnapshotVisibility {
  xmin: bigint;
  xmax: bigint;
  xip: bigint[];
  /**
   * Production's xmax read once its clock had passed the pin rounded up to the second: every transaction
   * that committed by the restore point has a lower id. Ids at or past it are not in flight: a row written
   * on the copy after it was restored (the copy's own transactions reuse ids past its last replayed one)
   * is compared, not set aside. Unknown (a reader that had not replayed past the pin, or the read
   * failed): no bound, every id at or past xmax counts as in flight.
   */
  ceiling?: bigint;
}

const EPOCH = 1n << 32n;

/** Parses pg_current_snapshot()'s text form "xmin:xmax:xip,xip,...". */
export function parseSnapshotVisibility(text: string): SnapshotVisibility {
  const m = /^(\d+):(\d+):([\d,]*)$/.exec(text.trim());
  if (!m) throw new Error(`unexpected pg_current_snapshot() value: ${text}`);
  return {
    xmin: BigInt(m[1]!),
    xmax: BigInt(m[2]!),
    xip: m[3] ? m[3].split(',').map((x) => BigInt(x)) : [],
  };
}

/**
 * SQL that is true when the 32-bit transaction id in `column` (xmin or xmax of alias `t`) is not visible
 * in the snapshot: a normal id (>= 3) in the snapshot's in-progress list or at or after its xmax (modulo
 * 2^32, as PostgreSQL compares ids) and below the ceiling. Only numbers from the snapshot enter the text.
 */
export function notVisibleSql(column: 'xmin' | 'xmax', visibility: SnapshotVisibility, alias = 't'): string {
  const x = `${alias}.${column}::text::bigint`;
  const xmax32 = visibility.xmax % EPOCH;
  const span = spanOf(visibility);
  const xip32 = [...new Set(visibility.xip.map((x) => x % EPOCH))];
  const inProgress = xip32.length ? `${x} IN (${xip32.join(', ')})` : 'false';
  const started = span > 0n ? `(${x} - ${xmax32} + ${EPOCH}) % ${EPOCH} < ${span}` : 'false';
  return `(${x} >= 3 AND (${started} OR ${inProgress}))`;
}

/** How many ids from xmax on count as in flight: up to the ceiling, or half the id space without one. */
function spanOf(visibility: SnapshotVisibility): bigint {
  return visibility.ceiling === undefined ? EPOCH / 2n : visibility.ceiling - visibility.xmax;
}

/** The same test in JavaScript, for a 32-bit id read from a row. */
export function notVisible(xid: bigint, visibility: SnapshotVisibility): boolean {
  if (xid < 3n) return false;
  if (visibility.xip.some((x) => x % EPOCH === xid)) return true;
  const span = spanOf(visibility);
  return (xid - (visibility.xmax % EPOCH) + EPOCH) % EPOCH < span;
}

/** Rows of one side set aside because a transaction in flight at the pin wrote or was changing them. */
export interface InFlightRows {
  /** How many rows. */
  rows: bigint;
  /**
   * Production only: each row of the snapshot whose xmax the snapshot does not see (no ceiling applied
   * yet: it is known only after the pass), with its hash, bucket and that xmax (32-bit).
   */
  listed?: { hash: string; bucket: number; xmax: bigint }[];
  /**
   * Copy only, once settled: rows production's snapshot showed being changed by such transactions, set
   * aside on both sides, and how many of them the copy still held.
   */
  changing?: bigint;
  stillInCopy?: bigint;
}
