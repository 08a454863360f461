import { actionsEnv, passingOutcome } from '../../fixtures/report/outcomes.js';
import { composeFirst } from '../../support/report-keys.js';

/** The HIPAA table counts only checks that ran: a clause whose checks were all skipped is not shown to pass. */
test('a clause whose every check was skipped reads "not evidenced", never pass', () => {
  const outcome = {
    ...passingOutcome,
    checks: passingOutcome.checks.map((c) =>
      c.category === 'encryption'
        ? { ...c, status: 'skip' as const, summary: 'not reported by the provider' }
        : c,
    ),
  };
  const { markdown } = composeFirst({ outcome, env: actionsEnv, now: new Date('2026-01-31T03:31:25Z') });
  const row = markdown.split('\n').find((l) => l.startsWith('| §164.312(a)(2)(iv)'))!;
  expect(row).toMatch(/\| 0 checks \(3 more skipped\) \| not evidenced \|$/);
  const backup = markdown.split('\n').find((l) => l.startsWith('| §164.308(a)(7)(ii)(A)'))!;
  expect(backup).toMatch(/\| pass \|$/);
});
