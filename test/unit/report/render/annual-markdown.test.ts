import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildAnnualReport } from '../../../../src/report/annual.js';
import { DEFAULT_EVIDENCE_CONFIG } from '../../../../src/report/evidence-config.js';
import { renderAnnualMarkdown, span } from '../../../../src/report/render/annual-markdown.js';
import {
  SAMPLE_NOW,
  sampleDrills,
  sampleExercises,
  verifiedChain,
} from '../../../fixtures/report/sample-year.js';
import { fixtures } from '../../../support/report-keys.js';

function render(verification?: Parameters<typeof buildAnnualReport>[0]['verification']): string {
  const reports = sampleDrills();
  const exercises = sampleExercises();
  return renderAnnualMarkdown(
    buildAnnualReport({
      year: 2026,
      config: DEFAULT_EVIDENCE_CONFIG,
      reports,
      exercises,
      verification: verification ?? verifiedChain(reports, exercises),
      now: SAMPLE_NOW,
    }),
  );
}

/**
 * The annual B/DR test report an auditor reads, byte for byte. Regenerate after an intended change with
 * UPDATE_GOLDEN=1 and read the diff.
 */
describe('annual report Markdown', () => {
  const markdown = render();

  it('matches golden-annual.md', () => {
    const path = join(fixtures, 'golden-annual.md');
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, markdown);
    expect(markdown).toBe(readFileSync(path, 'utf8'));
  });

  it('renders on GitHub: no HTML or entities, no temp paths, singular units', () => {
    expect(markdown).not.toMatch(/&[a-z#0-9]+;/i);
    expect(markdown).not.toMatch(/(^|[^\\`])<\/?[a-z]/im);
    expect(markdown).not.toMatch(/\/tmp\/|restore-proof-report-/);
    expect(markdown).not.toMatch(/\b1 (days|drills|exercises|documents|due dates|checks)\b/);
    expect(markdown).toContain('| 1 day |');
  });

  it('draws the RTO and RPO trend as Mermaid xychart-beta charts with one value per month', () => {
    const charts = [...markdown.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(charts).toHaveLength(2);
    for (const chart of charts) {
      expect(chart.startsWith('xychart-beta\n')).toBe(true);
      const count = (line: string) => chart.match(new RegExp(`${line} \\[(.*)\\]`))![1]!.split(', ').length;
      expect([count('x-axis'), count('bar'), count('line')]).toEqual([12, 12, 12]);
    }
  });

  it('names the failing documents when the chain does not verify', () => {
    const broken = render({
      ok: false,
      reports: [
        {
          file: '2026-01-03T030000Z-weekly-omnirapeutic-production.json',
          status: 'verified',
          reasons: [],
          fingerprint: null,
        },
        {
          file: '2026-01-10T030000Z-weekly-omnirapeutic-production.json',
          status: 'failed',
          reasons: ['signature does not match the content (the JSON was edited)'],
          fingerprint: null,
        },
      ],
    });
    expect(broken).toContain('- **Report chain:** **FAILED**');
    expect(broken).toContain('**FAILED**: 1 of 2 documents verified.');
    expect(broken).toContain(
      '- `2026-01-10T030000Z-weekly-omnirapeutic-production.json`: signature does not match the content (the JSON was edited)',
    );
  });

  it('writes spans as a reader would', () => {
    expect([span(86400), span(3 * 86400), span(5 * 3600)]).toEqual(['1 day', '3 days', '5 h']);
  });
});
