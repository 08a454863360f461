/**
 * Data loss, measured against production: what production had committed at or before the restore point
 * that the copy lacks. Per table compared with production at the restore point (inside the pinned
 * snapshot, or filtered by its watermark on both sides):
 * - equal (same row count and content checksum): nothing lost, whatever the age of its newest row;
 * - only extra rows on the copy (every differing key bucket has more rows on the copy): every row
 *   production had at the restore point is there, and the extras are rows production changed or deleted
 *   afterwards (the plan's Scenario 1): nothing lost;
 * - behind: production's newest watermark value is later than the copy's: the copy lacks production's
 *   writes from the copy's newest to production's newest, and that span is the table's loss;
 * - otherwise unmeasured, with the reason (not compared, no watermark while production moved on, content
 *   differs without a later watermark on production, table missing on the copy): the checksums say what
 *   differs, the loss there has no date.
 * The drill's loss is the largest span, plus the time the source needed to make the restore point
 * restorable (objectives.ts). Pure: no clock, no I/O. See docs/data-loss.md.
 */
import type { TableInfo } from '../db/catalog.js';
import { differingBuckets, type TableFingerprint } from '../db/fingerprint.js';
import type { Comparison, Side } from './data.js';
import type { ProductionSide } from './production-side.js';
import { round } from '../time/timeline.js';

export interface DataLoss {
  /** The largest span (seconds) of production's writes a table of the copy lacks; null when no table was measured. */
  seconds: number | null;
  /** Tables equal to production at the restore point. */
  equal: number;
  /** Tables holding every row production had at the restore point, plus rows production later changed or deleted. */
  extraOnly: number;
  /** Tables behind production, with the span each lacks (seconds), largest first. */
  behind: { table: string; seconds: number }[];
  /** Tables whose loss could not be dated, with why. */
  unmeasured: { table: string; reason: string }[];
}

export interface DataLossInputs {
  copyTables: TableInfo[];
  comparisonFor: (table: TableInfo) => Comparison;
  copy: Map<string, Side>;
  production: ProductionSide;
}

export function measureDataLoss(inputs: DataLossInputs): DataLoss {
  const { production } = inputs;
  const out: DataLoss = { seconds: null, equal: 0, extraOnly: 0, behind: [], unmeasured: [] };
  const onProduction = new Set(production.tables.map((t) => t.key));
  for (const table of inputs.copyTables) {
    const comparison = inputs.comparisonFor(table);
    if (comparison.kind === 'skip') continue;
    const key = table.key;
    const unmeasured = (reason: string): void => void out.unmeasured.push({ table: key, reason });
    if (production.error) {
      unmeasured('not compared with production');
      continue;
    }
    if (!onProduction.has(key)) continue; // only on the copy: nothing of production's is missing there
    const c = inputs.copy.get(key);
    const p = production.fingerprints.get(key);
    if (!c || !p || 'error' in c || 'error' in p) {
      unmeasured('not compared with production');
      continue;
    }
    if (sameContent(p.ok, c.ok)) {
      out.equal++;
      continue;
    }
    if (onlyExtraOnCopy(p.ok, c.ok)) {
      out.extraOnly++;
      continue;
    }
    const pNewest = p.ok.newestEpoch;
    const cNewest = c.ok.newestEpoch;
    if (comparison.kind === 'drift')
      unmeasured('no watermark column, and production moved on since the restore point');
    else if (pNewest === undefined) unmeasured('content differs; no watermark value to date it');
    else if (cNewest === undefined) unmeasured('the copy has none of the dated rows production has');
    else if (pNewest > cNewest) out.behind.push({ table: key, seconds: round(pNewest - cNewest) });
    else unmeasured('content differs without a later watermark on production (changed or extra rows)');
  }
  const onCopy = new Set(inputs.copyTables.map((t) => t.key));
  for (const table of production.tables) {
    if (!onCopy.has(table.key) && table.persistence !== 'u') {
      out.unmeasured.push({ table: table.key, reason: 'table missing on the copy' });
    }
  }
  out.behind.sort((a, b) => b.seconds - a.seconds);
  if (out.behind.length) out.seconds = out.behind[0]!.seconds;
  else if (out.equal || out.extraOnly) out.seconds = 0;
  return out;
}

/** Same row count and checksum (and, when both sides were bucketed, the same buckets). */
function sameContent(p: TableFingerprint, c: TableFingerprint): boolean {
  if (p.count !== c.count || p.sum !== c.sum) return false;
  return !(p.bucketed && c.bucketed) || differingBuckets(p.buckets, c.buckets).length === 0;
}

/** Bucketed on both sides, and every bucket that differs has more rows on the copy: nothing of production's is missing. */
function onlyExtraOnCopy(p: TableFingerprint, c: TableFingerprint): boolean {
  if (!p.bucketed || !c.bucketed) return false;
  const diff = differingBuckets(p.buckets, c.buckets);
  return diff.length > 0 && diff.every((d) => d.countDelta > 0n);
}
