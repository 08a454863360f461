import { renderExerciseMarkdown } from '../../../../src/report/render/exercise-markdown.js';
import { exerciseReport, SECOND_TABLETOP_YAML, TABLETOP_YAML } from '../../../fixtures/report/sample-year.js';

describe('renderExerciseMarkdown', () => {
  const markdown = renderExerciseMarkdown(
    exerciseReport(TABLETOP_YAML.replace('for six hours', 'for <six> hours')),
    { signingFingerprint: 'SHA256:abc', reportDir: 'docs/tests' },
  );

  it('shows the scenario, roles, findings and actions', () => {
    expect(markdown).toMatch(/^# Exercise: us-east-1 is unavailable/);
    expect(markdown).toContain('held on 2026-06-12 by 4 participants, with 2 findings and 2 actions.');
    expect(markdown).toContain('- DBA on call');
    expect(markdown).toContain('2. Restoring in us-west-2 needs a KMS key there; nobody knew its alias.');
    expect(markdown).toContain(
      '| Record the us-west-2 KMS key alias in the plan | DBA on call | 2026-06-30 |',
    );
    expect(markdown).toContain('restore-proof verify-reports --report-dir docs/tests');
  });

  it('escapes angle brackets without HTML entities', () => {
    expect(markdown).toContain('for \\<six\\> hours');
    expect(markdown).not.toMatch(/&[a-z]+;|(^|[^\\])<[a-z]/im);
  });
});

describe('renderExerciseMarkdown without findings, actions or a key', () => {
  const markdown = renderExerciseMarkdown(exerciseReport(SECOND_TABLETOP_YAML), {
    signingFingerprint: null,
    reportDir: 'docs/tests',
  });

  it('says none were recorded and that the record is unsigned', () => {
    expect(markdown).toContain('## Findings\n\nNone recorded.');
    expect(markdown).toContain('## Actions\n\nNone recorded.');
    expect(markdown).toContain('**Unsigned.**');
    expect(markdown).toContain('with 0 findings and 0 actions.');
  });
});
