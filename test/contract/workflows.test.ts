/**
 * Every workflow in .github/workflows and action.yml through GitHub's own parser (@actions/workflow-parser):
 * schema, expressions, and (for callers of restore-test.yml) the inputs and secrets they pass against the
 * reusable workflow's declarations. Then what the schedule promises: cadence, triggers, concurrency, the
 * quiet skip when a fork has no configuration, and the action run at the workflow's own commit.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  convertWorkflowTemplate,
  NoOperationTraceWriter,
  parseWorkflow,
  type WorkflowTemplate,
} from '@actions/workflow-parser';
import { parseAction } from '@actions/workflow-parser/actions/action-parser';
import type { FileReference } from '@actions/workflow-parser/workflows/file-reference';
import { parse } from 'yaml';
import { tempDir } from '../support/temp-dir.js';

const ROOT = resolve(import.meta.dirname ?? '.', '../..');
const WORKFLOWS = join(ROOT, '.github', 'workflows');
const files = readdirSync(WORKFLOWS)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();
const read = (file: string): string => readFileSync(join(WORKFLOWS, file), 'utf8');

/** Reads `./.github/workflows/x.yml` references from this repository, so callers are checked against callees. */
const localFiles = {
  async getFileContent(ref: FileReference) {
    if (!('path' in ref) || 'repository' in ref)
      throw new Error(`only local workflows: ${JSON.stringify(ref)}`);
    const path = ref.path.replace(/^\.\//, '');
    return { name: path, content: readFileSync(join(ROOT, path), 'utf8') };
  },
};

async function parseErrors(name: string, content: string): Promise<string[]> {
  const parsed = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((e) => e.message);
  if (errors.length > 0 || !parsed.value) return errors;
  const template: WorkflowTemplate = await convertWorkflowTemplate(parsed.context, parsed.value, localFiles, {
    fetchReusableWorkflowDepth: 1,
  });
  return [
    ...(template.errors ?? []).map((e) => e.Message),
    ...parsed.context.errors.getErrors().map((e) => e.message),
  ];
}

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  if?: string;
  uses?: string;
  with?: Record<string, unknown>;
  secrets?: Record<string, string> | string;
  permissions?: Record<string, string>;
  steps?: Step[];
  needs?: string | string[];
}
interface Workflow {
  on: Record<string, unknown>;
  concurrency?: { group: string; 'cancel-in-progress': boolean };
  permissions?: unknown;
  jobs: Record<string, Job>;
}
const workflow = (file: string): Workflow => parse(read(file)) as Workflow;

const CALLERS = ['weekly.yml', 'monthly.yml', 'quarterly.yml', 'annual.yml', 'audit.yml', 'janitor.yml'];
const ACTION_INPUTS = Object.keys(
  (parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, unknown> }).inputs,
);
/**
 * Inputs the workflows pass that action.yml does not declare yet (the preflight inputs the lead adds with the
 * wiring of command preflight). Delete names from this list as action.yml gains them.
 */
const PENDING_ACTION_INPUTS: string[] = [];

describe("GitHub's parser", () => {
  test('finds the workflows', () => {
    expect(files).toEqual(expect.arrayContaining([...CALLERS, 'restore-test.yml', 'infra-pr.yml', 'ci.yml']));
  });

  test.each(files)('%s parses without an error', async (file) => {
    expect(await parseErrors(file, read(file))).toEqual([]);
  });

  test('action.yml parses against the action schema', () => {
    const parsed = parseAction(
      { name: 'action.yml', content: readFileSync(join(ROOT, 'action.yml'), 'utf8') },
      new NoOperationTraceWriter(),
    );
    expect(parsed.context.errors.getErrors().map((e) => e.message)).toEqual([]);
  });

  test('a broken workflow does fail (the harness is not blind)', async () => {
    const broken = read('weekly.yml').replace('workflow_dispatch:', 'workflow_dispach:');
    expect((await parseErrors('weekly.yml', broken)).length).toBeGreaterThan(0);
    const badInput = read('weekly.yml').replace('cadence: weekly', 'cadance: weekly');
    expect((await parseErrors('weekly.yml', badInput)).join('\n')).toMatch(/cadance/);
    const badExpression = read('weekly.yml').replace(
      'vars.RESTORE_PROOF_ROLE_ARN }}',
      'var.RESTORE_PROOF_ROLE_ARN }}',
    );
    expect((await parseErrors('weekly.yml', badExpression)).join('\n')).toMatch(
      /Unrecognized named-value: 'var'/,
    );
    const badAction = parseAction(
      { name: 'action.yml', content: 'name: x\nruns:\n  using: node99\n  main: a.js\n' },
      new NoOperationTraceWriter(),
    );
    expect(badAction.context.errors.getErrors().length).toBeGreaterThan(0);
  });
});

describe('the schedule', () => {
  test.each(CALLERS)(
    '%s: schedule and workflow_dispatch, a queue per source cluster, a quiet skip',
    (file) => {
      const wf = workflow(file);
      expect(Object.keys(wf.on).sort()).toEqual(['schedule', 'workflow_dispatch']);
      expect(wf.concurrency).toMatchObject({ 'cancel-in-progress': false });
      expect(wf.concurrency!.group).toMatch(
        file === 'janitor.yml' ? /vars\.RESTORE_PROOF_AWS_REGION/ : /vars\.RESTORE_PROOF_SOURCE_CLUSTER/,
      );
      expect(wf.permissions).toEqual({});
      const skip = wf.jobs.configuration!;
      expect(skip.if).toMatch(/vars\.RESTORE_PROOF_[A-Z_]+ == ''/);
      expect(skip.steps!.map((s) => s.run).join('\n')).toMatch(/::notice::/);
      // every other job runs only when configured, and reaches AWS only through the reusable workflow
      for (const [name, job] of Object.entries(wf.jobs)) {
        if (name === 'configuration') continue;
        expect([name, job.if ?? `needs ${String(job.needs)}`]).toEqual([
          name,
          expect.stringMatching(/!= ''|needs|always\(\)/),
        ]);
        if (job.uses) {
          expect(job.uses).toBe('./.github/workflows/restore-test.yml');
          expect(job.permissions).toEqual({ contents: 'write', 'id-token': 'write' });
        }
      }
    },
  );

  const drill = (file: string): Record<string, unknown> =>
    Object.values(workflow(file).jobs).find(
      (j) => j.uses && (j.with?.command ?? 'restore-test') === 'restore-test',
    )!.with!;

  test('weekly: latest restore, full validation', () => {
    expect(drill('weekly.yml')).toMatchObject({ 'restore-type': 'latest', cadence: 'weekly' });
    expect(drill('weekly.yml')['checks-file']).toMatch(/RESTORE_PROOF_CHECKS_FILE/);
  });

  test('monthly: point-in-time to a random instant, restore under 30 minutes', () => {
    expect(drill('monthly.yml')).toMatchObject({
      'restore-type': 'point-in-time',
      'restore-time': 'random',
      'max-restore-minutes': '30',
      cadence: 'monthly',
    });
  });

  test('quarterly: full DR, smoke command, RTO 2 hours', () => {
    expect(drill('quarterly.yml')).toMatchObject({ 'restore-type': 'latest', 'max-restore-minutes': '120' });
    expect(drill('quarterly.yml')['smoke-command']).toMatch(/RESTORE_PROOF_SMOKE_COMMAND/);
  });

  test('annual: cross-region to RESTORE_PROOF_TARGET_REGION (RTO 4 hours), else the quarterly drill, said so', () => {
    const annual = drill('annual.yml');
    expect(annual).toMatchObject({ 'restore-type': 'latest', cadence: 'annual' });
    expect(annual['target-region']).toMatch(/vars\.RESTORE_PROOF_TARGET_REGION/);
    expect(annual['target-kms-key-id']).toMatch(/vars\.RESTORE_PROOF_TARGET_KMS_KEY_ID/);
    expect(annual['max-restore-minutes']).toMatch(/RESTORE_PROOF_TARGET_REGION != '' && '240' \|\| '120'/);
    expect(annual['smoke-command']).toMatch(/RESTORE_PROOF_SMOKE_COMMAND/);
    expect(read('annual.yml')).toMatch(
      /RESTORE_PROOF_TARGET_REGION is not set, so this run is the quarterly full-DR drill/,
    );
  });

  test('audit: a drill, then verify-reports over the history whatever the drill concluded', () => {
    const jobs = workflow('audit.yml').jobs;
    expect(jobs.drill!.with).toMatchObject({ cadence: 'audit' });
    expect(jobs.verify).toMatchObject({ needs: 'drill', with: { command: 'verify-reports' } });
    expect(jobs.verify!.if).toMatch(/always\(\)/);
  });

  test('janitor: command janitor on a schedule', () => {
    expect(workflow('janitor.yml').jobs.sweep!.with).toMatchObject({ command: 'janitor' });
  });

  test('the crons do not fire on the same hour (a queue holds only one waiting run)', () => {
    const crons = CALLERS.filter((f) => f !== 'janitor.yml').map(
      (f) => (workflow(f).on.schedule as { cron: string }[])[0]!.cron,
    );
    // two crons can collide only when their hours match and their days of month are not two different numbers
    for (const a of crons) {
      for (const b of crons) {
        if (a === b) continue;
        const [, ha, da] = a.split(' ');
        const [, hb, db] = b.split(' ');
        const apart = ha !== hb || (da !== '*' && db !== '*' && da !== db);
        expect([a, b, apart]).toEqual([a, b, true]);
      }
    }
  });
});

describe('the reusable workflow', () => {
  const wf = workflow('restore-test.yml');
  const call = wf.on.workflow_call as { inputs: Record<string, unknown>; secrets: Record<string, unknown> };
  const job = wf.jobs.run!;
  const steps = job.steps!;
  const step = (pred: (s: Step) => boolean): Step => steps.find(pred)!;

  test('takes everything a caller sets, and the two secrets', () => {
    expect(Object.keys(call.inputs)).toEqual(
      expect.arrayContaining([
        'source-cluster',
        'aws-region',
        'role-to-assume',
        'runs-on',
        'restore-type',
        'restore-time',
        'max-restore-minutes',
        'max-data-loss-minutes',
        'checks-file',
        'cadence',
        'commit-report',
      ]),
    );
    expect(Object.keys(call.secrets).sort()).toEqual(['production-url', 'signing-key']);
  });

  test('authenticates with OIDC for a session long enough for the drill and its cleanup', () => {
    expect(job.permissions).toEqual({ contents: 'write', 'id-token': 'write' });
    const aws = step((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@') ?? false);
    expect(aws.with).toMatchObject({ 'role-to-assume': '${{ inputs.role-to-assume }}' });
    const session = (call.inputs['role-duration-seconds'] as { default: number }).default;
    const drillMinutes = Number((call.inputs['timeout-minutes'] as { default: string }).default);
    expect(session).toBeGreaterThanOrEqual((drillMinutes + 30) * 60);
  });

  test('runs restore-proof at the commit of this workflow file, not the caller’s', () => {
    expect(step((s) => s.id === 'self').run).toMatch(/job_workflow_sha/);
    expect(read('restore-test.yml')).toContain('${{ job.workflow_sha }}');
    const checkout = step((s) => s.with?.path === '.restore-proof/action');
    expect(checkout.with).toMatchObject({
      repository: '${{ steps.self.outputs.repository }}',
      ref: '${{ steps.self.outputs.sha }}',
    });
    expect(steps.filter((s) => s.uses === './.restore-proof/action').length).toBe(2);
    expect(read('restore-test.yml')).not.toMatch(/uses: restore-proof\/restore-proof@/);
  });

  test('uploads the report and lets the action commit it', () => {
    expect(step((s) => s.uses?.startsWith('actions/upload-artifact@') ?? false).if).toMatch(/always\(\)/);
    expect(step((s) => s.id === 'action').with).toMatchObject({ 'github-token': '${{ github.token }}' });
    expect(String(step((s) => s.id === 'action').with!['commit-report'])).toMatch(/inputs\.commit-report/);
  });

  test.each(['restore-test.yml', 'infra-pr.yml'])(
    '%s passes the action only inputs action.yml declares',
    (file) => {
      const passed = workflow(file)
        .jobs[file === 'infra-pr.yml' ? 'preflight' : 'run']!.steps!.filter(
          (s) => s.uses === './.restore-proof/action',
        )
        .flatMap((s) => Object.keys(s.with ?? {}));
      const unknown = passed.filter((name) => !ACTION_INPUTS.includes(name));
      expect(unknown.filter((name) => !PENDING_ACTION_INPUTS.includes(name))).toEqual([]);
    },
  );
});

describe('report-branch: evidence on its own branch, verified where it was committed', () => {
  const reusable = workflow('restore-test.yml');
  const call = reusable.on.workflow_call as {
    inputs: Record<string, { type: string }>;
    outputs: Record<string, { value: string }>;
  };
  const steps = reusable.jobs.run!.steps!;

  test('the reusable workflow takes report-branch, passes it to the action and outputs the commit', () => {
    expect(call.inputs['report-branch']?.type).toBe('string');
    expect(steps.find((s) => s.id === 'action')!.with).toMatchObject({
      'report-branch': '${{ inputs.report-branch }}',
    });
    expect(call.outputs['commit-sha']?.value).toBe('${{ jobs.run.outputs.commit-sha }}');
    expect((reusable.jobs.run as Job & { outputs: Record<string, string> }).outputs['commit-sha']).toBe(
      '${{ steps.action.outputs.commit-sha }}',
    );
  });

  test('verify-reports checks out the given ref, else the report branch', () => {
    const checkout = steps.find((s) => s.uses?.startsWith('actions/checkout@') && !s.with?.path)!;
    expect(String(checkout.with!.ref)).toBe(
      "${{ inputs.ref || (inputs.command == 'verify-reports' && inputs.report-branch) || '' }}",
    );
  });

  test.each(['weekly.yml', 'monthly.yml', 'quarterly.yml', 'annual.yml', 'audit.yml'])(
    '%s passes the repository variable RESTORE_PROOF_REPORT_BRANCH to its drill',
    (file) => {
      const drills = Object.values(workflow(file).jobs).filter(
        (j) => j.uses === './.github/workflows/restore-test.yml' && j.with?.command === undefined,
      );
      expect(drills.length).toBeGreaterThan(0);
      for (const j of drills)
        expect(j.with!['report-branch']).toBe('${{ vars.RESTORE_PROOF_REPORT_BRANCH }}');
    },
  );

  test("audit verifies the commit its drill just made (or the report branch's head), not github.sha", () => {
    const verify = workflow('audit.yml').jobs.verify!;
    expect(verify.with).toMatchObject({ command: 'verify-reports' });
    const ref = String(verify.with!.ref);
    expect(ref).toMatch(
      /^\$\{\{ needs\.drill\.outputs\.commit-sha \|\| vars\.RESTORE_PROOF_REPORT_BRANCH \|\|/,
    );
    expect(ref).not.toMatch(/github\.sha/);
    expect(verify.needs).toBe('drill');
  });
});

describe('HoursSinceLastPass: the evidence-overdue heartbeat (docs/metrics.md)', () => {
  test.each(['weekly.yml', 'monthly.yml', 'quarterly.yml', 'annual.yml'])(
    '%s publishes its drill metrics to RESTORE_PROOF_METRICS_NAMESPACE',
    (file) => {
      expect(workflow(file).jobs.drill!.with!['metrics-namespace']).toBe(
        '${{ vars.RESTORE_PROOF_METRICS_NAMESPACE }}',
      );
    },
  );

  test('the source-region sweep publishes it from the reports on the report branch; the target sweep does not', () => {
    const jobs = workflow('janitor.yml').jobs;
    expect(jobs.sweep!.with).toMatchObject({
      command: 'janitor',
      'metrics-namespace': '${{ vars.RESTORE_PROOF_METRICS_NAMESPACE }}',
      'report-branch': '${{ vars.RESTORE_PROOF_REPORT_BRANCH }}',
    });
    expect(jobs['sweep-target']!.with!['metrics-namespace']).toBeUndefined();
    const steps = workflow('restore-test.yml').jobs.run!.steps!;
    const fetch = steps.find((s) => s.name === 'Reports from the report branch')!;
    expect(fetch.if).toMatch(/inputs\.command == 'janitor'/);
    // a report branch that does not exist yet must not stop the sweep
    expect(fetch.run).toMatch(/if git fetch .*then[\s\S]*else[\s\S]*::warning::/);
    const janitorStep = steps.findIndex((s) => s.id === 'action');
    expect(steps.indexOf(fetch)).toBeLessThan(janitorStep);
  });
});

describe('infra-pr', () => {
  const wf = workflow('infra-pr.yml');
  test('on every pull request (so it can be required), deciding from the changed files', () => {
    expect(Object.keys(wf.on).sort()).toEqual(['pull_request', 'workflow_call']);
    expect(wf.on.pull_request).toBeNull();
    const steps = wf.jobs.preflight!.steps!;
    expect(steps.find((s) => s.id === 'changed')!.run).toMatch(/git diff --name-only/);
    const preflight = steps.find((s) => s.uses === './.restore-proof/action')!;
    expect(preflight.with).toMatchObject({
      command: 'preflight',
      'terraform-dir': '${{ env.TERRAFORM_DIR }}',
    });
    expect(wf.jobs.preflight!.permissions).toMatchObject({ contents: 'read' });
  });
});

describe('docs/workflows.md', () => {
  const doc = readFileSync(join(ROOT, 'docs/workflows.md'), 'utf8');
  const examples = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);

  test('the ten-line caller is ten lines, and every example parses', async () => {
    expect(examples.length).toBeGreaterThanOrEqual(2);
    expect(
      examples[0]!.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#')).length,
    ).toBeLessThanOrEqual(10);
    for (const example of examples) {
      const parsed = parseWorkflow({ name: 'example.yml', content: example }, new NoOperationTraceWriter());
      expect(parsed.context.errors.getErrors().map((e) => e.message)).toEqual([]);
    }
  });
});

describe('fleet.yml: one drill per cluster', () => {
  const wf = workflow('fleet.yml');
  interface MatrixJob extends Job {
    strategy?: { 'fail-fast': boolean; 'max-parallel': string; matrix: { target: string } };
    concurrency?: { group: string; 'cancel-in-progress': boolean };
  }
  const drillJob = wf.jobs.drill as MatrixJob;
  const call = wf.on.workflow_call as { inputs: Record<string, { default?: unknown; required?: boolean }> };

  test('takes a list of clusters and a bounded parallelism', () => {
    expect(call.inputs['source-clusters']).toMatchObject({ required: true });
    expect(call.inputs['max-parallel']!.default).toBe(2);
    expect(wf.permissions).toEqual({});
  });

  test('fans out with a matrix: fail-fast off, max-parallel, a queue per cluster, its own report directory', () => {
    expect(drillJob.needs).toBe('clusters');
    expect(drillJob.strategy).toEqual({
      'fail-fast': false,
      'max-parallel': '${{ inputs.max-parallel }}',
      matrix: { target: '${{ fromJSON(needs.clusters.outputs.matrix) }}' },
    });
    // the same group name as the single-cluster callers' workflow-level groups, per matrix leg
    expect(drillJob.concurrency).toEqual({
      group: 'restore-proof-${{ matrix.target.cluster }}',
      'cancel-in-progress': false,
    });
    expect(drillJob.uses).toBe('./.github/workflows/restore-test.yml');
    expect(drillJob.permissions).toEqual({ contents: 'write', 'id-token': 'write' });
    expect(drillJob.with).toMatchObject({
      'source-cluster': '${{ matrix.target.cluster }}',
      'report-dir': '${{ inputs.report-dir }}/${{ matrix.target.dir }}',
      'tunnel-command': '${{ inputs.tunnel-command }}',
      'metrics-namespace': '${{ inputs.metrics-namespace }}',
    });
    expect(String((drillJob.secrets as Record<string, string>)['production-url'])).toMatch(
      /fromJSON\(secrets\.production-urls\)\[matrix\.target\.cluster\]/,
    );
  });

  test('each drill uploads its own artifact (the name carries the source)', () => {
    const upload = workflow('restore-test.yml').jobs.run!.steps!.find((s) =>
      s.uses?.startsWith('actions/upload-artifact@'),
    )!;
    expect(String(upload.with!.name)).toContain('${{ steps.check.outputs.source-slug }}');
  });

  test('then one job regenerates the fleet index, whatever the drills concluded', () => {
    const index = wf.jobs.index!;
    expect(index.needs).toEqual(['clusters', 'drill']);
    expect(index.if).toMatch(/always\(\)/);
    expect(
      index.steps!.find((s) => s.uses?.startsWith('actions/checkout@') && !s.with?.path)!.with,
    ).toMatchObject({
      ref: '${{ inputs.commit-report && inputs.report-branch || github.ref }}',
    });
    expect(index.steps!.map((s) => s.run ?? '').join('\n')).toContain(
      'node .restore-proof/action/dist/cli/index.js fleet-index',
    );
  });

  test('report-branch: every drill and the fleet index commit to the evidence branch', () => {
    expect(call.inputs['report-branch']).toMatchObject({ default: '' });
    expect(drillJob.with).toMatchObject({ 'report-branch': '${{ inputs.report-branch }}' });
    const regenerate = wf.jobs.index!.steps!.find((s) => s.name === 'Regenerate the fleet index')!;
    expect(regenerate.env).toMatchObject({ REPORT_BRANCH: '${{ inputs.report-branch }}' });
    // the flag is passed only when the input is set (an empty --report-branch would be refused)
    const argv = (branch: string) =>
      spawnSync(
        'bash',
        ['-c', 'set -- ${REPORT_BRANCH:+--report-branch "$REPORT_BRANCH"}; printf "%s|" "$#" "$@"'],
        { env: { PATH: process.env.PATH, REPORT_BRANCH: branch }, encoding: 'utf8' },
      ).stdout;
    expect(String(regenerate.run)).toContain('${REPORT_BRANCH:+--report-branch "$REPORT_BRANCH"}');
    expect(argv('')).toBe('0|');
    expect(argv('restore-proof-evidence')).toBe('2|--report-branch|restore-proof-evidence|');
  });

  const listScript = (wf.jobs.clusters!.steps!.find((s) => s.id === 'list')!.run ?? '').toString();
  const runList = (clusters: string, maxParallel = '2') => {
    const dir = tempDir('fleet');
    const output = join(dir, 'output');
    writeFileSync(output, '');
    const result = spawnSync('bash', ['-c', listScript], {
      env: { PATH: process.env.PATH, CLUSTERS: clusters, MAX_PARALLEL: maxParallel, GITHUB_OUTPUT: output },
      encoding: 'utf8',
    });
    const line = readFileSync(output, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('matrix='));
    return { code: result.status, stdout: result.stdout, matrix: line ? JSON.parse(line.slice(7)) : null };
  };

  test('the list: a JSON array or one per line, deduplicated, each with its directory', () => {
    const arn = 'arn:aws:rds:us-east-1:123456789012:cluster:Billing-DB';
    expect(runList(`["prod-db", "${arn}", "prod-db"]`).matrix).toEqual([
      { cluster: arn, dir: 'billing-db' },
      { cluster: 'prod-db', dir: 'prod-db' },
    ]);
    expect(runList('prod-db\n  reporting-db  \n\nbilling-db, audit-db\n').matrix).toEqual(
      ['audit-db', 'billing-db', 'prod-db', 'reporting-db'].map((c) => ({ cluster: c, dir: c })),
    );
  });

  test('the list refuses bad names, an empty list and an unbounded parallelism', () => {
    const bad = runList('prod-db\n$(reboot)');
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/::error::fleet.yml: source-clusters accepts .*not: \$\(reboot\)/);
    expect(runList('  \n').stdout).toMatch(/must name 1 to 256 clusters; got 0/);
    expect(runList('prod-db', '50').stdout).toMatch(/max-parallel accepts 1 to 20; got 50/);
  });
});

describe('what the workflows ask of the platform', () => {
  const files = readdirSync(join(ROOT, '.github/workflows')).filter(
    (f) => f.endsWith('.yml') && f !== 'fleet.yml',
  );
  const text = (f: string): string => readFileSync(join(ROOT, '.github/workflows', f), 'utf8');

  test('no role session longer than docs/setup.md creates the role with', () => {
    const max = Number(
      /--max-session-duration (\d+)/.exec(readFileSync(join(ROOT, 'docs/setup.md'), 'utf8'))![1],
    );
    const asked: [string, number][] = files.flatMap((f) =>
      [...text(f).matchAll(/role-duration-seconds: (\d+)/g)].map((m): [string, number] => [f, Number(m[1])]),
    );
    const reusable = workflow('restore-test.yml').on.workflow_call as {
      inputs: Record<string, { default: number }>;
    };
    asked.push(['restore-test.yml (default)', reusable.inputs['role-duration-seconds']!.default]);
    expect(asked.length).toBeGreaterThan(3);
    for (const [f, seconds] of asked) expect([f, seconds, seconds <= max]).toEqual([f, seconds, true]);
  });

  test('no scheduled run at minute 0 (the hour GitHub delays or drops scheduled runs most)', () => {
    for (const f of files) {
      for (const m of text(f).matchAll(/cron: '(\S+) /g)) expect([f, m[1]]).not.toEqual([f, '0']);
    }
  });

  test('every action used is a major that runs on Node 24', () => {
    const node24: Record<string, string> = {
      'actions/checkout': 'v5',
      'actions/setup-node': 'v5',
      'actions/upload-artifact': 'v6',
      'aws-actions/configure-aws-credentials': 'v6',
    };
    for (const f of files) {
      for (const m of text(f).matchAll(/uses: ([\w-]+\/[\w-]+)@(\S+)/g)) {
        expect([f, m[1], m[2]]).toEqual([f, m[1], node24[m[1]!]]);
      }
    }
  });
});

describe("the copy's parameter groups (production's scheduled jobs must not run on the copy)", () => {
  const reusable = workflow('restore-test.yml');
  const call = reusable.on.workflow_call as { inputs: Record<string, { type: string }> };
  const action = reusable.jobs.run!.steps!.find((s) => s.id === 'action')!;

  test.each(['restore-parameter-group', 'restore-instance-parameter-group'])(
    'the reusable workflow takes %s and passes it to the action',
    (input) => {
      expect(call.inputs[input]?.type).toBe('string');
      expect(action.with![input]).toBe(`\${{ inputs.${input} }}`);
    },
  );

  test.each(['weekly.yml', 'monthly.yml', 'quarterly.yml', 'annual.yml', 'audit.yml'])(
    '%s passes RESTORE_PROOF_PARAMETER_GROUP and RESTORE_PROOF_INSTANCE_PARAMETER_GROUP to its drill',
    (file) => {
      const drills = Object.values(workflow(file).jobs).filter(
        (j) => j.uses === './.github/workflows/restore-test.yml' && j.with?.command === undefined,
      );
      expect(drills.length).toBeGreaterThan(0);
      for (const j of drills) {
        expect(j.with!['restore-parameter-group']).toBe('${{ vars.RESTORE_PROOF_PARAMETER_GROUP }}');
        expect(j.with!['restore-instance-parameter-group']).toBe(
          '${{ vars.RESTORE_PROOF_INSTANCE_PARAMETER_GROUP }}',
        );
      }
    },
  );
});
