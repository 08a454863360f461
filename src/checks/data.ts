/**
 * Counts and checksums per table, judged against production as of the restore point:
 * - snapshot: production was fingerprinted inside the snapshot at T and the copy restored to exactly T,
 *   so both sides must agree exactly; any residue is a fail with its counts.
 * - watermark: rows at or before the restore point on both sides, exactly.
 * - drift: no watermark, production has moved on: a drift figure and a warn when they differ.
 */
import { differingBuckets, fingerprintDigest, type TableFingerprint } from '../db/fingerprint.js';
import type { CheckResult } from '../model/types.js';
import { countValue, listSome, result } from './result.js';

export type Comparison =
  | { kind: 'snapshot'; at: Date }
  | { kind: 'watermark'; column: string; updateStyle: boolean; notAfter: Date }
  | { kind: 'drift' }
  | { kind: 'skip'; reason: string };

export type Side = { ok: TableFingerprint } | { error: string };

export function compareTable(
  table: string,
  comparison: Comparison,
  production: Side | undefined,
  copy: Side,
): [CheckResult, CheckResult] {
  const countsId = `counts:${table}`;
  const sumId = `checksums:${table}`;
  if ('error' in copy) {
    return [
      result(countsId, 'counts', 'error', `cannot read the table on the copy: ${copy.error}`, 0),
      result(sumId, 'checksums', 'error', `cannot read the table on the copy: ${copy.error}`, 0),
    ];
  }
  const c = copy.ok;
  if (comparison.kind === 'skip' || !production) {
    const reason = comparison.kind === 'skip' ? comparison.reason : 'no production fingerprint';
    return [
      result(countsId, 'counts', 'skip', `${reason}; copy has ${c.count} rows`, c.ms, {
        measured: countValue(c.count),
      }),
      result(sumId, 'checksums', 'skip', reason, 0, { measured: fingerprintDigest(c) }),
    ];
  }
  if ('error' in production) {
    return [
      result(countsId, 'counts', 'error', `cannot read the table on production: ${production.error}`, c.ms),
      result(sumId, 'checksums', 'error', `cannot read the table on production: ${production.error}`, 0),
    ];
  }
  const p = production.ok;
  const setAside = comparison.kind === 'snapshot' ? setAsideNote(c) : undefined;
  const scope =
    comparison.kind === 'snapshot'
      ? `production snapshot at T${setAside ? `; ${setAside}` : ''}`
      : comparison.kind === 'watermark'
        ? `rows with ${comparison.column} <= restore point`
        : 'production now (no watermark column)';
  const ms = Math.max(p.ms, c.ms);
  const narrowed = p.bucketed && c.bucketed;
  const diff = narrowed ? differingBuckets(p.buckets, c.buckets) : [];
  const same = diff.length === 0 && p.count === c.count && p.sum === c.sum;
  const delta = c.count - p.count;
  const signed = (n: bigint): string => (n > 0n ? `+${n}` : `${n}`);

  if (same) {
    return [
      result(countsId, 'counts', 'pass', `${c.count} rows on both sides (${scope})`, ms, {
        measured: countValue(c.count),
        expected: countValue(p.count),
      }),
      result(sumId, 'checksums', 'pass', `content checksum equal over ${c.count} rows (${scope})`, ms, {
        measured: fingerprintDigest(c),
        expected: fingerprintDigest(p),
      }),
    ];
  }

  const bucketIds = diff.map((d) => String(d.bucket));
  const copyExtraOnly = narrowed ? diff.every((d) => d.countDelta > 0n) : delta > 0n;
  let status: 'fail' | 'warn' = 'fail';
  let note = '';
  if (comparison.kind === 'drift') {
    status = 'warn';
    note =
      '; production moved on since the restore point and the table has no watermark column, so this is drift, not proof';
  } else if (comparison.kind === 'watermark' && comparison.updateStyle && copyExtraOnly) {
    status = 'warn';
    note = `; only extra rows on the copy, consistent with rows changed or deleted on production after the restore point`;
  } else if (comparison.kind === 'snapshot') {
    note = '; residual difference against the snapshot';
  }
  const where = narrowed
    ? `${diff.length} ${p.bucketBy} hash bucket${diff.length === 1 ? '' : 's'} differ (${listSome(bucketIds, 8)})`
    : 'not narrowed to buckets';
  const countStatus = delta === 0n ? 'pass' : status;
  return [
    result(
      countsId,
      'counts',
      countStatus,
      delta === 0n
        ? `${c.count} rows on both sides (${scope})`
        : `copy has ${c.count} rows, production ${p.count} (${signed(delta)}; ${scope})${countStatus === 'warn' ? note : ''}`,
      ms,
      { measured: countValue(c.count), expected: countValue(p.count) },
    ),
    result(
      sumId,
      'checksums',
      status,
      `content differs: ${where}; row count ${signed(delta)} (${scope})${note}`,
      ms,
      { measured: fingerprintDigest(c), expected: fingerprintDigest(p) },
    ),
  ];
}

/** "3 only in the copy, 2 changed or deleted by them" for one table, or undefined when none. */
export function setAsideNote(fp: TableFingerprint): string | undefined {
  const f = fp.inFlight;
  if (!f || (f.rows === 0n && !f.changing)) return undefined;
  const parts: string[] = [];
  if (f.rows > 0n) parts.push(`${f.rows} only in the copy`);
  if (f.changing) parts.push(`${f.changing} of production's snapshot changed or deleted by them`);
  return `set aside as written by transactions in flight at the pin (not visible in production's snapshot, committed by the restore point): ${parts.join(', ')}`;
}
