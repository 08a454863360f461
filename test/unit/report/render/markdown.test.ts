import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeReport } from '../../../../src/report/evidence.js';
import { actionsEnv, failingOutcome, passingOutcome } from '../../../fixtures/report/outcomes.js';
import { fixtures, testKey, workspace } from '../../../support/report-keys.js';

/**
 * The Markdown an auditor reads, byte for byte. Regenerate after an intended change with
 * UPDATE_GOLDEN=1 npm test -- test/unit/report/golden.test.ts, then read the diff.
 */
describe('golden Markdown report', () => {
  const update = process.env.UPDATE_GOLDEN === '1';

  async function render() {
    const { root, dir } = workspace();
    const env = { ...actionsEnv, GITHUB_WORKSPACE: root };
    const plan = { reportDir: dir, signingKey: testKey };
    const first = await writeReport({
      plan,
      outcome: passingOutcome,
      env,
      now: new Date('2026-01-31T03:31:25Z'),
      toolVersion: '0.1.0',
    });
    const second = await writeReport({
      plan,
      outcome: failingOutcome,
      env: { ...env, GITHUB_RUN_ID: '13370002', GITHUB_WORKFLOW: 'Restore drill (monthly)' },
      now: new Date('2026-02-01T04:52:15Z'),
      toolVersion: '0.1.0',
    });
    const index = readFileSync(second.indexPath, 'utf8');
    return { pass: first.markdown, fail: second.markdown, index };
  }

  const cases: [string, 'pass' | 'fail' | 'index'][] = [
    ['golden.md', 'pass'],
    ['golden-fail.md', 'fail'],
    ['golden-index.md', 'index'],
  ];

  it.each(cases)('%s matches', async (name, which) => {
    const rendered = (await render())[which];
    const path = join(fixtures, name);
    if (update) writeFileSync(path, rendered);
    expect(rendered).toBe(readFileSync(path, 'utf8'));
  });
});
