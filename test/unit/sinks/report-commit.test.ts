import { branchFromEnv, commitMessage } from '../../../src/sinks/report-commit.js';
import { buildReport, runContextFromEnv } from '../../../src/report/model.js';
import type { WrittenReport } from '../../../src/sinks/report-files.js';
import { failingOutcome } from '../../fixtures/report/outcomes.js';

describe('report commits', () => {
  it('push only to branches', () => {
    expect(branchFromEnv({ GITHUB_REF: 'refs/heads/main' })).toBe('main');
    expect(branchFromEnv({ GITHUB_REF: 'refs/heads/release/1' })).toBe('release/1');
    expect(branchFromEnv({ GITHUB_REF: 'refs/pull/7/merge' })).toBeNull();
    expect(branchFromEnv({ GITHUB_REF: 'refs/tags/v1' })).toBeNull();
    expect(branchFromEnv({})).toBeNull();
  });

  it('say what the drill found in the commit message', () => {
    const report = buildReport({
      outcome: failingOutcome,
      run: runContextFromEnv({}, 'monthly'),
      file: '2026-02-01T040000Z-monthly-omnirapeutic-production.json',
      markdownFile: '2026-02-01T040000Z-monthly-omnirapeutic-production.md',
      previous: null,
      generatedAt: new Date('2026-02-01T05:00:00Z'),
      toolVersion: 'test',
      secrets: [],
    });
    const message = commitMessage({ report } as WrittenReport);
    expect(message.headline).toBe(
      'restore-proof: fail monthly drill of omnirapeutic-production (2026-02-01)',
    );
    expect(message.body).toMatch(
      /^FAIL: the monthly drill of omnirapeutic-production restored a copy in 40 min 13 s/,
    );
    expect(message.body).toContain('Report: 2026-02-01T040000Z-monthly-omnirapeutic-production.json');
    expect(message.body.endsWith('[skip ci]')).toBe(true);
  });
});
