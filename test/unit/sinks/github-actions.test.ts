import type * as Core from '@actions/core';
import { memoryLogger } from '../../../src/log/logger.js';
import {
  publishToActions,
  type ActionsCore,
  type AnnotationProperties,
} from '../../../src/sinks/github-actions.js';
import { writeReport } from '../../../src/report/evidence.js';
import { failingOutcome } from '../../fixtures/report/outcomes.js';
import { testKey, workspace } from '../../support/report-keys.js';

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

describe('publishToActions', () => {
  it('sets the outputs, annotates each failure on its line of the report and writes the summary', async () => {
    const { root, dir } = workspace();
    const env = { GITHUB_WORKSPACE: root, GITHUB_STEP_SUMMARY: '/dev/null' };
    const written = await writeReport({
      plan: { reportDir: dir, signingKey: testKey },
      outcome: failingOutcome,
      env,
      logger: memoryLogger(),
    });
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
    const { root, dir } = workspace();
    const written = await writeReport({
      plan: { reportDir: dir, signingKey: undefined },
      outcome: failingOutcome,
    });
    const fake = fakeCore();
    await publishToActions({ written, core: fake.core, env: { GITHUB_WORKSPACE: root } });
    expect(fake.writes()).toBe(0);
    expect(fake.outputs.result).toBe('fail');
  });
});
