import { buildPlan } from '../../../src/inputs/plan.js';

describe('planning record-exercise and annual-report', () => {
  it('needs exercise-file for record-exercise, naming the input', () => {
    expect(() => buildPlan({ command: 'record-exercise' }, {})).toThrow(
      "input 'exercise-file' is required with command record-exercise",
    );
    const plan = buildPlan({ command: 'record-exercise', 'exercise-file': 'tabletop.yml' }, {});
    expect(plan).toMatchObject({
      command: 'record-exercise',
      exerciseFile: 'tabletop.yml',
      evidence: { reportDir: 'docs/tests' },
    });
  });

  it('takes a calendar year for annual-report, the current one by default', () => {
    expect(buildPlan({ command: 'annual-report', year: '2026' }, {})).toMatchObject({
      command: 'annual-report',
      year: 2026,
      reportDir: 'docs/tests',
    });
    expect(buildPlan({ command: 'annual-report' }, {})).toMatchObject({ year: new Date().getUTCFullYear() });
    expect(() => buildPlan({ command: 'annual-report', year: '26' }, {})).toThrow(
      "input 'year' accepts a whole number of years",
    );
  });
});
