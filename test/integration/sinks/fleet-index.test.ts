import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFleetIndex } from '../../../src/sinks/fleet-index.js';
import { writeReport } from '../../../src/sinks/report-files.js';
import { failingOutcome, passingOutcome } from '../../fixtures/report/outcomes.js';
import { tempDir } from '../../support/temp-dir.js';

test('the fleet index: a row per source across the per-cluster directories, and the monthly cost', async () => {
  const fleet = tempDir('fleet');
  const write = (dir: string, outcome: typeof passingOutcome, cluster: string) =>
    writeReport({
      plan: { reportDir: join(fleet, dir), signingKey: undefined },
      outcome: { ...outcome, source: { ...outcome.source, cluster } },
      now: new Date(outcome.finishedAt),
    });
  await write('billing-db', passingOutcome, 'billing-db');
  await write('prod-db', passingOutcome, 'prod-db');
  await write('prod-db', failingOutcome, 'prod-db');
  mkdirSync(join(fleet, 'new-db'));
  const { markdown } = await writeFleetIndex(fleet, new Date('2026-02-02T00:00:00Z'));
  expect(readFileSync(join(fleet, 'README.md'), 'utf8')).toBe(markdown);
  expect(markdown).toContain('# Restore test evidence: fleet');
  expect(markdown).toContain('from 3 reports of 2 sources in 3 directories');
  const rows = markdown.split('\n').filter((l) => l.startsWith('| `'));
  expect(rows).toHaveLength(3);
  expect(rows[0]).toMatch(
    /^\| `billing-db` \| 1 \| 2026-01-31 \(weekly, \[report\]\(billing-db\/2026-01-31T030000Z-weekly-billing-db\.md\)\) \| pass \|.*\| 2026-02-07 \| \[index\]\(billing-db\/README\.md\) \|$/,
  );
  expect(rows[1]).toMatch(/^\| `new-db` \| 0 \| never .*\*\*OVERDUE\*\*: never performed/);
  expect(rows[2]).toMatch(
    /^\| `prod-db` \| 2 \| 2026-02-01 \(monthly, .*\| \*\*FAIL\*\* \|.*\| 2026-01-31 \|/,
  );
  expect(markdown).toContain('| 2026-02 | 1 | $0.13 |');
  expect(markdown).toContain('| 2026-01 | 2 | $0.26 |');
});
