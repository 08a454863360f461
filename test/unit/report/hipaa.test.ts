import { hipaaForCheck } from '../../../src/report/hipaa.js';
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
  // encryption:tls now serves transmission security, § 164.312(e)(2)(ii), not encryption at rest.
  expect(row).toMatch(/\| 0 checks \(2 more skipped\) \| not evidenced \|$/);
  const transit = markdown.split('\n').find((l) => l.startsWith('| §164.312(e)(2)(ii)'))!;
  expect(transit).toMatch(/\| 1 check \(1 more skipped\) \| pass \|$/);
  const backup = markdown.split('\n').find((l) => l.startsWith('| §164.308(a)(7)(ii)(A)'))!;
  expect(backup).toMatch(/\| pass \|$/);
});

test('the corrected mapping: TLS under transmission security, checksums and amcheck also under integrity', () => {
  expect(hipaaForCheck({ id: 'encryption:tls', category: 'encryption' })).toEqual(['164.312(e)(2)(ii)']);
  expect(hipaaForCheck({ id: 'access:force-ssl', category: 'access' })).toEqual(['164.312(e)(2)(ii)']);
  expect(hipaaForCheck({ id: 'integrity:amcheck', category: 'integrity' })).toContain('164.312(c)(1)');
  expect(hipaaForCheck({ id: 'checksums:users', category: 'checksums' })).toContain('164.312(c)(1)');
  expect(hipaaForCheck({ id: 'encryption:storage', category: 'encryption' })).toEqual(['164.312(a)(2)(iv)']);
  const { markdown, report } = composeFirst({
    outcome: passingOutcome,
    env: actionsEnv,
    now: new Date('2026-01-31T03:31:25Z'),
  });
  expect(report.checks.find((c) => c.id === 'encryption:tls')?.hipaa).toEqual(['164.312(e)(2)(ii)']);
  expect(markdown).toContain('| §164.316(b)(2) |');
  expect(markdown).toContain('keep it at least six years');
});
