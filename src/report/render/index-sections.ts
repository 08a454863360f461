/**
 * What both index pages show: the row per source, the estimated cost by month, and the page's shape. The
 * evidence index (README.md of one report directory) and the fleet index (README.md over per-source
 * directories) render from reports read back from their directories.
 */
import { cadencePeriod, nextDue, validUntil } from '../cadence.js';
import { cell, code, duration, plural, resultCell, usd, utcDate } from './format.js';
import {
  clusterName,
  compareReportFiles,
  EVIDENCE_INDEX_FILE,
  PRICING_REGION,
  type Report,
} from '../model.js';

/** A report read back from the directory (the index renders only what the reports say). */
export interface IndexedReport {
  file: string;
  report: Report;
}

/** A report read back from its file, or null when it is not JSON shaped like a report. */
export function readBackReport(file: string, text: string): IndexedReport | null {
  try {
    const report = JSON.parse(text) as Report;
    if (!report || typeof report !== 'object' || !report.restore || !report.objectives) return null;
    return { file, report };
  } catch {
    return null;
  }
}

/** The reports of one directory of a fleet (dir relative to the fleet index, or null for the same directory). */
export interface ReportGroup {
  dir: string | null;
  entries: IndexedReport[];
}

/** One row per source: its last drill, last pass, when the next is due (from the last passing run's cadence). */
export function sources(groups: ReportGroup[], now: Date): string[] {
  const out = [
    '## Sources',
    '',
    '| Source | Drills | Last drill | Result | Restore | Data loss | Last pass | Next due | Reports |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  const rows: { name: string; line: string }[] = [];
  for (const group of groups) {
    const bySource = new Map<string, IndexedReport[]>();
    for (const e of [...group.entries].sort((a, b) => compareReportFiles(a.file, b.file))) {
      const name = clusterName(e.report.source.cluster);
      bySource.set(name, [...(bySource.get(name) ?? []), e]);
    }
    const link = (file: string) => (group.dir ? `${group.dir}/${file}` : file);
    if (bySource.size === 0 && group.dir) {
      rows.push({
        name: group.dir,
        line: `| ${code(group.dir)} | 0 | never | — | — | — | — | **OVERDUE**: never performed | [index](${link(EVIDENCE_INDEX_FILE)}) |`,
      });
    }
    for (const [name, runs] of bySource) {
      const last = runs.at(-1)!.report;
      const lastPass = runs.filter((e) => e.report.result === 'pass').at(-1)?.report;
      let due: string;
      if (!lastPass) due = '**OVERDUE**: no passing run yet';
      else if (cadencePeriod(lastPass.cadence).name === null) due = '— (on demand)';
      else {
        const dueAt = nextDue(lastPass.cadence, new Date(lastPass.startedAt));
        const expiresAt = validUntil(lastPass.cadence, new Date(lastPass.startedAt));
        due =
          now > expiresAt
            ? `**OVERDUE** since ${utcDate(dueAt.toISOString())}`
            : now > dueAt
              ? `due now (${utcDate(dueAt.toISOString())})`
              : utcDate(dueAt.toISOString());
      }
      rows.push({
        name,
        line: [
          '',
          code(name),
          String(runs.length),
          `${utcDate(last.startedAt)} (${cell(last.cadence)}, [report](${link(last.markdown.file)}))`,
          resultCell(last.result),
          duration(last.restore.seconds),
          duration(last.objectives.rpo.measuredSeconds),
          lastPass ? utcDate(lastPass.startedAt) : 'never',
          due,
          group.dir ? `[index](${link(EVIDENCE_INDEX_FILE)})` : '—',
          '',
        ]
          .join(' | ')
          .trim(),
      });
    }
  }
  rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return [...out, ...rows.map((r) => r.line)];
}

/** Estimated drill cost per calendar month (UTC, by start time), for budgeting the cadence. */
export function costs(entries: IndexedReport[]): string[] {
  const out = ['## Estimated cost by month', ''];
  if (!entries.some((e) => e.report.cost)) {
    return [...out, 'No report carries a cost estimate yet.'];
  }
  const months = new Map<string, { drills: number; total: number; unpriced: number; partial: number }>();
  for (const { report } of entries) {
    const month = report.startedAt.slice(0, 7);
    const m = months.get(month) ?? { drills: 0, total: 0, unpriced: 0, partial: 0 };
    m.drills += 1;
    const c = report.cost;
    if (!c || c.totalUsd === null) {
      if (report.provider !== 'local-pitr') m.unpriced += 1;
    } else {
      m.total += c.totalUsd;
      if (!c.complete) m.partial += 1;
    }
    months.set(month, m);
  }
  out.push(
    `Sum of the estimates in the reports started in each month: instance time at on-demand ${PRICING_REGION} list prices (price table of ${latestPrices(entries)}); storage, I/O and transfer only where their size was known. An estimate for budgeting, not a bill.`,
    '',
    '| Month | Drills | Estimated cost | Left out (unknown) |',
    '| --- | --- | --- | --- |',
  );
  for (const [month, m] of [...months].sort(([a], [b]) => (a < b ? 1 : a > b ? -1 : 0))) {
    const missing = [
      m.unpriced ? `${plural(m.unpriced, 'drill')} without a price` : null,
      m.partial ? `storage/I-O of ${plural(m.partial, 'drill')}` : null,
    ].filter(Boolean);
    out.push(
      `| ${month} | ${m.drills} | ${usd(Math.round(m.total * 100) / 100)} | ${missing.join('; ') || '—'} |`,
    );
  }
  return out;
}

/** The newest price table date the reports used. */
function latestPrices(entries: IndexedReport[]): string {
  const dates = entries.map((e) => e.report.cost?.pricesAsOf).filter((d): d is string => Boolean(d));
  return dates.sort().at(-1) ?? 'unknown date';
}

/** Lines to a page: at most one blank line in a row, one newline at the end. */
export function page(lines: string[]): string {
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}
