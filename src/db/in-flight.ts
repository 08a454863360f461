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
 * A row's xmax may be a MultiXactId rather than a transaction id (several lockers, or an update while
 * foreign-key checks hold key-share locks on the row: common on parent tables). The row version carries
 * no flag SQL can read to tell which; a value is taken as both, and a MultiXactId created after the
 * snapshot (and before the ceiling) counts as in flight. A lock-only MultiXactId lists a row the copy still
 * holds: it is matched and set aside on both sides. Row versions frozen by vacuum report xmin 2
 * (FrozenTransactionId) and are old by definition.
 */

/** pg_current_snapshot() as read with the production snapshot: full (64-bit) transaction ids. */
export interface SnapshotVisibility {
  xmin: bigint;
  xmax: bigint;
  xip: bigint[];
  /**
   * Production's xmax read a second after its clock passed the pin rounded up to the second, raised past
   * any transaction still running then: every transaction that committed by the restore point has a lower id. Ids at or past it are not in flight: a row written
   * on the copy after it was restored (the copy's own transactions reuse ids past its last replayed one)
   * is compared, not set aside. Unknown (a reader that had not replayed past the pin, or the read
   * failed): no bound, every id at or past xmax counts as in flight.
   */
  ceiling?: bigint;
  /** The next MultiXactId when the snapshot was taken (32-bit), when it could be read. */
  nextMulti?: bigint;
  /** The next MultiXactId when the ceiling was read. */
  multiCeiling?: bigint;
}

const EPOCH = 1n << 32n;
const HALF = EPOCH / 2n;

/** Parses pg_current_snapshot()'s text form "xmin:xmax:xip,xip,...". */
export function parseSnapshotVisibility(text: string, nextMulti?: bigint): SnapshotVisibility {
  const m = /^(\d+):(\d+):([\d,]*)$/.exec(text.trim());
  if (!m) throw new Error(`unexpected pg_current_snapshot() value: ${text}`);
  return {
    xmin: BigInt(m[1]!),
    xmax: BigInt(m[2]!),
    xip: m[3] ? m[3].split(',').map((x) => BigInt(x)) : [],
    ...(nextMulti !== undefined ? { nextMulti } : {}),
  };
}

/** `x - from` modulo 2^32 is below span: x is in [from, from + span) as PostgreSQL compares 32-bit ids. */
const windowSql = (x: string, from: bigint, span: bigint): string =>
  span > 0n ? `(${x} - ${from % EPOCH} + ${EPOCH}) % ${EPOCH} < ${span}` : 'false';
const inWindow = (x: bigint, from: bigint, span: bigint): boolean =>
  span > 0n && (x - (from % EPOCH) + EPOCH) % EPOCH < span;

/** How many ids from xmax on count as in flight: up to the ceiling, or half the id space without one. */
const xidSpan = (v: SnapshotVisibility): bigint => (v.ceiling === undefined ? HALF : v.ceiling - v.xmax);
/** How many MultiXactIds from the snapshot's next one on were created by the ceiling (0: unknown start). */
const multiSpan = (v: SnapshotVisibility): bigint =>
  v.nextMulti === undefined
    ? 0n
    : v.multiCeiling === undefined
      ? HALF
      : (v.multiCeiling - v.nextMulti + EPOCH) % EPOCH;

/**
 * SQL that is true when the id in `column` (xmin or xmax of alias `t`) belongs to a transaction in flight
 * at the pin: as a transaction id (>= 3), in the snapshot's in-progress list, or at or after its xmax and
 * below the ceiling; for xmax also as a MultiXactId created after the snapshot (several lockers, or an
 * update while others hold key-share locks, leave one there instead of a transaction id). Modulo 2^32, as
 * PostgreSQL compares ids. Only numbers from the snapshot enter the text.
 */
export function notVisibleSql(column: 'xmin' | 'xmax', visibility: SnapshotVisibility, alias = 't'): string {
  const x = `${alias}.${column}::text::bigint`;
  const xip32 = [...new Set(visibility.xip.map((id) => id % EPOCH))];
  const inProgress = xip32.length ? `${x} IN (${xip32.join(', ')})` : 'false';
  const started = windowSql(x, visibility.xmax, xidSpan(visibility));
  const xid = `(${x} >= 3 AND (${started} OR ${inProgress}))`;
  if (column === 'xmin' || visibility.nextMulti === undefined) return xid;
  return `(${xid} OR (${x} >= 1 AND ${windowSql(x, visibility.nextMulti, multiSpan(visibility))}))`;
}

/**
 * MultiXactIds created this many ids before the snapshot are listed too: one created before it may hold an
 * updater still in progress at it (in the snapshot's xip), whose change the copy holds.
 */
const MULTI_LOOKBACK = 1_000_000n;

/**
 * What production's pass lists, before the ceilings are known: rows whose xmax, as a transaction id, the
 * snapshot does not see (any id from its xmax on), or, as a MultiXactId, was created from MULTI_LOOKBACK
 * ids before the snapshot on. Listing too much is safe: a listed row the copy still holds is set aside on
 * both sides; one the copy lacks is set aside only when its absence is proven (settlement in checks).
 */
export function listedSql(visibility: SnapshotVisibility, alias = 't'): string {
  const open = { ...visibility, ceiling: undefined, multiCeiling: undefined };
  if (open.nextMulti === undefined) return notVisibleSql('xmax', open, alias);
  // MultiXactIds start at 1: a younger database has fewer behind it (none at all while nextMulti is 1).
  const back = open.nextMulti - 1n < MULTI_LOOKBACK ? open.nextMulti - 1n : MULTI_LOOKBACK;
  if (back <= 0n) return notVisibleSql('xmax', { ...open, nextMulti: undefined }, alias);
  const from = open.nextMulti - back;
  return notVisibleSql('xmax', { ...open, nextMulti: from }, alias);
}

/** The same test in JavaScript, for the 32-bit id read from a row (`xmax` adds the MultiXactId window). */
export function notVisible(
  id: bigint,
  visibility: SnapshotVisibility,
  column: 'xmin' | 'xmax' = 'xmin',
): boolean {
  if (id >= 3n) {
    if (visibility.xip.some((x) => x % EPOCH === id)) return true;
    if (inWindow(id, visibility.xmax, xidSpan(visibility))) return true;
  }
  if (column === 'xmin' || visibility.nextMulti === undefined || id < 1n) return false;
  return inWindow(id, visibility.nextMulti, multiSpan(visibility));
}

/** Rows of one side set aside because a transaction in flight at the pin wrote or was changing them. */
export interface InFlightRows {
  /** How many rows. */
  rows: bigint;
  /**
   * Production only: each row of the snapshot whose xmax may belong to a transaction in flight (listedSql),
   * with its hash, bucket, that xmax (32-bit) and its key hash.
   */
  listed?: { hash: string; bucket: number; xmax: bigint; key: string }[];
  /** Copy only: the key hashes of the rows set aside (a row production listed under one was replaced). */
  keys?: Set<string>;
  /**
   * Copy only, once settled: rows of production's snapshot that such transactions changed or deleted, gone
   * from the copy (set aside on production); and the listed rows the copy still held, identical (matched).
   */
  changing?: bigint;
  stillInCopy?: bigint;
}
