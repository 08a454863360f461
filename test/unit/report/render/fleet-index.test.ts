import { renderFleetIndex } from '../../../../src/report/render/fleet-index.js';
import { readBackReport, type ReportGroup } from '../../../../src/report/render/index-sections.js';
import { failingOutcome, passingOutcome } from '../../../fixtures/report/outcomes.js';
import { composeFirst } from '../../../support/report-keys.js';

const group = (dir: string | null, cluster: string, outcome = passingOutcome): ReportGroup => {
  const { report, json } = composeFirst({ outcome: { ...outcome, source: { ...outcome.source, cluster } } });
  return { dir, entries: [readBackReport(report.file, json)!] };
};

describe('the fleet index (README.md over per-source directories)', () => {
  const now = new Date('2026-02-02T00:00:00Z');

  it('one row per source, linking into its directory and its evidence index; empty directories are OVERDUE', () => {
    const page = renderFleetIndex(
      [
        group('prod-db', 'prod-db', failingOutcome),
        group('billing-db', 'billing-db'),
        { dir: 'new-db', entries: [] },
      ],
      now,
    );
    expect(page.startsWith('# Restore test evidence: fleet\n')).toBe(true);
    expect(page).toContain('from 2 reports of 2 sources in 3 directories, as of 2026-02-02 00:00:00 UTC');
    const rows = page.split('\n').filter((l) => l.startsWith('| `'));
    expect(rows.map((r) => r.split(' | ')[0])).toEqual(['| `billing-db`', '| `new-db`', '| `prod-db`']);
    expect(rows[0]).toContain('[report](billing-db/2026-01-31T030000Z-weekly-billing-db.md)');
    expect(rows[0]!.endsWith('| [index](billing-db/README.md) |')).toBe(true);
    expect(rows[1]).toContain('**OVERDUE**: never performed');
    expect(rows[2]).toContain('| **FAIL** |');
  });

  it('names the files it could not read', () => {
    const page = renderFleetIndex([group('prod-db', 'prod-db')], now, [
      'prod-db/2026-01-01T000000Z-weekly-x.json',
    ]);
    expect(page).toContain('## Unreadable files\n\n- `prod-db/2026-01-01T000000Z-weekly-x.json`\n');
  });
});
