import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderEvidenceIndex } from '../../../../src/report/render/evidence-index.js';
import { readBackReport } from '../../../../src/report/render/index-sections.js';
import { actionsEnv, failingOutcome, passingOutcome } from '../../../fixtures/report/outcomes.js';
import { composeChain, fixtures } from '../../../support/report-keys.js';

/**
 * The Markdown an auditor reads, byte for byte, and the evidence index rendered from the reports as they
 * read back. Regenerate after an intended change with
 * UPDATE_GOLDEN=1 npm test -- test/unit/report/render/markdown.test.ts, then read the diff.
 */
describe('golden Markdown report', () => {
  const update = process.env.UPDATE_GOLDEN === '1';

  function render() {
    const [first, second] = composeChain([
      {
        outcome: passingOutcome,
        env: actionsEnv,
        now: new Date('2026-01-31T03:31:25Z'),
        toolVersion: '0.1.0',
      },
      {
        outcome: failingOutcome,
        env: { ...actionsEnv, GITHUB_RUN_ID: '13370002', GITHUB_WORKFLOW: 'Restore drill (monthly)' },
        now: new Date('2026-02-01T04:52:15Z'),
        toolVersion: '0.1.0',
      },
    ]);
    const entries = [first!, second!].map((c) => readBackReport(c.report.file, c.json)!);
    const index = renderEvidenceIndex(entries, new Date('2026-02-01T04:52:15Z'));
    return { pass: first!.markdown, fail: second!.markdown, index };
  }

  const cases: [string, 'pass' | 'fail' | 'index'][] = [
    ['golden.md', 'pass'],
    ['golden-fail.md', 'fail'],
    ['golden-index.md', 'index'],
  ];

  it.each(cases)('%s matches', (name, which) => {
    const rendered = render()[which];
    const path = join(fixtures, name);
    if (update) writeFileSync(path, rendered);
    expect(rendered).toBe(readFileSync(path, 'utf8'));
  });
});
