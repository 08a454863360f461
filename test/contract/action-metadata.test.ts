import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { INPUT_DEFAULTS } from '../../src/inputs/plan.js';

const action = parse(readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')) as {
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string; post: string };
};

test('action.yml declares exactly the inputs the engine reads, with the same defaults', () => {
  expect(Object.keys(action.inputs).sort()).toEqual(Object.keys(INPUT_DEFAULTS).sort());
  for (const [name, spec] of Object.entries(action.inputs)) {
    expect([name, spec.default ?? '']).toEqual([name, INPUT_DEFAULTS[name as keyof typeof INPUT_DEFAULTS]]);
    expect(spec.description.length).toBeGreaterThan(10);
  }
});

test('action.yml declares the outputs and runs on node24 with main and post bundles', () => {
  expect(Object.keys(action.outputs).sort()).toEqual(
    [
      'checks-failed',
      'checks-passed',
      'commit-sha',
      'data-loss-seconds',
      'report-json',
      'report-path',
      'restore-seconds',
      'restored-cluster',
      'result',
    ].sort(),
  );
  expect(action.runs).toMatchObject({
    using: 'node24',
    main: 'dist/main/index.js',
    post: 'dist/post/index.js',
  });
});
