import { buildReport, runContextFromEnv, type Report } from '../../../../src/report/model.js';
import { renderMarkdown } from '../../../../src/report/render/markdown.js';
import {
  annotationsFor,
  renderJobSummary,
  reportMetrics,
  reportOutputs,
} from '../../../../src/report/render/summary.js';
import { erroredOutcome, failingOutcome, passingOutcome } from '../../../fixtures/report/outcomes.js';
import type { DrillOutcome } from '../../../../src/model/types.js';

const build = (outcome: DrillOutcome): Report =>
  buildReport({
    outcome,
    run: runContextFromEnv({}, outcome.cadence),
    file: 'r.json',
    markdownFile: 'r.md',
    previous: null,
    generatedAt: new Date('2026-02-01T05:00:00Z'),
    toolVersion: 'test',
    secrets: [],
  });

describe('job summary', () => {
  it('shows the verdict, objectives and only the failing checks', () => {
    const summary = renderJobSummary(build(failingOutcome), { markdownPath: 'docs/tests/r.md' });
    expect(summary.split('\n')[0]).toBe('## restore-proof: FAIL');
    expect(summary).toContain('**FAIL**: the monthly drill of `omnirapeutic-production`');
    expect(summary).toContain('| RTO (restore time) | 30 min | 40 min 13 s | **NO** |');
    expect(summary).toContain('### Failing checks (4)');
    expect(summary).toContain(
      '| **FAIL** | `counts:public.observations` | copy has 44 rows fewer than production | 12,039,407 | 12,039,451 |',
    );
    expect(summary).toContain('| **ERROR** | `smoke:command` |');
    expect(summary).not.toContain('counts:public.patients');
    expect(summary).toContain('**Cleanup kept:** instance `restore-proof-20260201t040000z-b21c-1`');
    expect(summary).toContain('the full report is in `docs/tests/r.md` (**unsigned**)');
  });

  it('has no failing-checks table when everything passed', () => {
    const summary = renderJobSummary(build(passingOutcome));
    expect(summary).toContain('## restore-proof: PASS');
    expect(summary).not.toContain('Failing checks');
  });
});

describe('annotations', () => {
  it('point at each failure on its line of the Markdown report', () => {
    const report = build(failingOutcome);
    const text = renderMarkdown(report, { signingFingerprint: null, reportDir: 'docs/tests' });
    const annotations = annotationsFor(report, { path: 'docs/tests/r.md', text });
    const errors = annotations.filter((a) => a.level === 'error');
    expect(errors.map((a) => a.title)).toEqual([
      'restore-proof: counts:public.observations failed',
      'restore-proof: checksums:public.observations failed',
      'restore-proof: smoke:command errored',
      'restore-proof: objectives:rto failed',
    ]);
    const lines = text.split('\n');
    for (const a of errors) {
      expect(a.file).toBe('docs/tests/r.md');
      const id = a.title.replace('restore-proof: ', '').split(' ')[0]!;
      expect(lines[a.startLine! - 1]).toContain(`\`${id}\``);
    }
    expect(errors[0]?.message).toBe(
      'copy has 44 rows fewer than production (measured 12,039,407, expected 12,039,451)',
    );
    expect(annotations.filter((a) => a.level === 'warning').map((a) => a.title)).toEqual([
      'restore-proof: access:force-ssl warning',
    ]);
  });

  it('name the drill error and a failed cleanup', () => {
    const annotations = annotationsFor(build(erroredOutcome));
    expect(annotations.map((a) => a.title)).toEqual([
      'restore-proof: drill error',
      'restore-proof: cleanup failed',
    ]);
    expect(annotations[0]?.message).not.toContain('hunter2');
    expect(annotations[1]?.message).toBe(
      'not deleted: cluster restore-proof-20260207t030000z-c9d0 (InvalidDBClusterStateFault)',
    );
  });

  it('report a missed objective when no check covers it', () => {
    const outcome: DrillOutcome = {
      ...failingOutcome,
      checks: failingOutcome.checks.filter((c) => c.category !== 'objectives'),
    };
    expect(annotationsFor(build(outcome)).map((a) => a.title)).toContain('restore-proof: RTO missed');
  });
});

describe('outputs and metrics', () => {
  it('map onto the action outputs', () => {
    expect(reportOutputs(build(failingOutcome), { markdownPath: 'a.md', jsonPath: 'a.json' })).toEqual({
      result: 'fail',
      'report-path': 'a.md',
      'report-json': 'a.json',
      'restored-cluster': 'restore-proof-20260201t040000z-b21c',
      'restore-seconds': '2412.5',
      'data-loss-seconds': '64.5',
      'checks-passed': '18',
      'checks-failed': '4',
    });
    expect(reportOutputs(build(erroredOutcome), { markdownPath: '', jsonPath: '' })['restore-seconds']).toBe(
      '',
    );
  });

  it('leave unmeasured values out of the metrics', () => {
    expect(reportMetrics(build(erroredOutcome)).map((m) => m.name)).toEqual([
      'DrillSucceeded',
      'DrillFailed',
      'ChecksFailed',
      'CleanupFailed',
    ]);
    expect(reportMetrics(build(passingOutcome)).find((m) => m.name === 'RestoreSeconds')?.value).toBe(
      1315.999,
    );
  });
});
