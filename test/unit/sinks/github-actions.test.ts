import type * as Core from '@actions/core';
import {
  publishToActions,
  type ActionsCore,
  type AnnotationProperties,
} from '../../../src/sinks/github-actions.js';
import { join } from 'node:path';
import type { WrittenReport } from '../../../src/sinks/report-files.js';
import { failingOutcome } from '../../fixtures/report/outcomes.js';
import { composeFirst } from '../../support/report-keys.js';

/** @actions/core itself fits the interface (checked by the compiler, not at run time). */
const _coreFits: typeof Core extends ActionsCore ? true : never = true;

function fakeCore() {
  const outputs: Record<string, string> = {};
  const annotations: { level: string; message: string; properties?: AnnotationProperties }[] = [];
  const summary: string[] = [];
  let written = 0;
  const core: ActionsCore = {
    setOutput: (name, value) => {
      outputs[name] = value;
    },
    error: (message, properties) => annotations.push({ level: 'error', message, properties }),
    warning: (message, properties) => annotations.push({ level: 'warning', message, properties }),
    summary: {
      addRaw: (text) => summary.push(text),
      write: async () => {
        written++;
      },
    },
  };
  return { core, outputs, annotations, summary, writes: () => written };
}

/** What writeReport returns for a report in <root>/docs/tests, composed in memory (nothing is written). */
function writtenIn(root: string, signingKey?: string): WrittenReport {
  const { report, markdown } = composeFirst({ outcome: failingOutcome }, signingKey);
  const dir = join(root, 'docs', 'tests');
  const jsonPath = join(dir, report.file);
  const markdownPath = join(dir, report.markdown.file);
  const evidenceIndexPath = join(dir, 'README.md');
  return {
    report,
    markdown,
    jsonPath,
    markdownPath,
    evidenceIndexPath,
    publicKeyPath: null,
    files: [jsonPath, markdownPath, evidenceIndexPath],
  };
}

describe('publishToActions', () => {
  const root = '/home/runner/work/platform/platform';

  it('sets the outputs, annotates each failure on its line of the report and writes the summary', async () => {
    const env = { GITHUB_WORKSPACE: root, GITHUB_STEP_SUMMARY: '/dev/null' };
    const written = writtenIn(root);
    const fake = fakeCore();
    await publishToActions({ written, core: fake.core, env });

    const md = 'docs/tests/2026-02-01T040000Z-monthly-omnirapeutic-production.md';
    expect(fake.outputs).toMatchObject({
      result: 'fail',
      'report-path': md,
      'report-json': md.replace('.md', '.json'),
      'checks-failed': '4',
    });
    const errors = fake.annotations.filter((a) => a.level === 'error');
    expect(errors).toHaveLength(4);
    expect(errors[0]?.properties).toEqual({
      title: 'restore-proof: counts:public.observations failed',
      file: md,
      startLine:
        written.markdown.split('\n').findIndex((l) => l.includes('`counts:public.observations`')) + 1,
    });
    expect(fake.summary[0]).toContain('## restore-proof: FAIL');
    expect(fake.writes()).toBe(1);
  });

  it('skips the job summary outside GitHub Actions', async () => {
    const written = writtenIn(root, ''); // unsigned
    const fake = fakeCore();
    await publishToActions({ written, core: fake.core, env: { GITHUB_WORKSPACE: root } });
    expect(fake.writes()).toBe(0);
    expect(fake.outputs.result).toBe('fail');
  });
});
