/**
 * report-branch against the GitHub stand-in: the evidence goes to its own branch (created when missing, from
 * the run's commit), each report chains onto that branch's last report, and the run's branch is untouched.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plan } from '../../../src/model/types.js';
import { sha256Hex } from '../../../src/report/canonical.js';
import { publishDrill } from '../../../src/sinks/publish.js';
import { prepareReportBranch } from '../../../src/sinks/report-branch.js';
import { memoryLogger } from '../../../src/log/logger.js';
import { actionsEnv, passingOutcome } from '../../fixtures/report/outcomes.js';
import { GitHubStandIn, oid } from '../../support/github-standin.js';
import { memoryIO } from '../../support/memory-io.js';
import { testKey, workspace } from '../../support/report-keys.js';

const REPORT_BRANCH = 'restore-proof-evidence';
const EARLIER = '2026-01-24T030000Z-weekly-omnirapeutic-production.json';

describe('report-branch', () => {
  let api: GitHubStandIn;
  let graphqlUrl: string;
  beforeEach(async () => {
    api = new GitHubStandIn();
    graphqlUrl = await api.start();
    // main already holds one report (committed before report-branch was set)
    api.seed('main', { [`docs/tests/${EARLIER}`]: '{"earlier":true}\n' });
  });
  afterEach(() => api.stop());

  /** A fresh checkout of main at its head, as actions/checkout gives each run. */
  function checkout() {
    const { root, dir } = workspace();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, EARLIER), '{"earlier":true}\n');
    const env = {
      ...actionsEnv,
      GITHUB_WORKSPACE: root,
      GITHUB_SHA: api.head,
      GITHUB_GRAPHQL_URL: graphqlUrl,
    };
    return { root, dir, env };
  }

  const plan = (dir: string, reportBranch?: string) =>
    ({
      command: 'restore-test',
      provider: 'aurora',
      reportDir: dir,
      signingKey: testKey,
      commitReport: true,
      githubToken: 'test-token',
      cadence: 'weekly',
      evidence: { reportBranch },
    }) as unknown as Plan & { evidence: { reportBranch?: string } };

  async function drill(at: string, reportBranch: string | null = REPORT_BRANCH) {
    const { dir, env } = checkout();
    const io = memoryIO({}, { env });
    const outcome = { ...passingOutcome, startedAt: at };
    const code = await publishDrill(plan(dir, reportBranch ?? undefined), io, outcome);
    return { code, io, dir };
  }

  it('creates the branch from the run commit, commits there, and leaves main untouched', async () => {
    const mainHead = api.head;
    const { code, io } = await drill('2026-01-31T03:00:00.000Z');
    expect(code).toBe(0);
    expect(api.createdRefs).toEqual([{ name: `refs/heads/${REPORT_BRANCH}`, oid: mainHead }]);
    expect(api.commits).toHaveLength(1);
    const commit = api.commits[0]!;
    expect(commit).toMatchObject({ branch: REPORT_BRANCH, parent: mainHead });
    expect(api.refs.get(REPORT_BRANCH)).toBe(commit.oid);
    expect(api.head).toBe(mainHead);
    expect(io.outputs['commit-sha']).toBe(commit.oid);
    // created from the run's commit, the branch keeps the earlier report, and the new one chains onto it
    const json = Object.entries(commit.files).find(([p]) =>
      p.endsWith('-weekly-omnirapeutic-production.json'),
    )!;
    const report = JSON.parse(json[1]) as { previous: { file: string; sha256: string } | null };
    expect(report.previous).toEqual({ file: EARLIER, sha256: sha256Hex(Buffer.from('{"earlier":true}\n')) });
    expect(io.logger.lines.join('\n')).toContain(`report-branch: created ${REPORT_BRANCH} from`);
  });

  it("chains the second run onto the first run's report read from the branch, not from the checkout", async () => {
    await drill('2026-01-31T03:00:00.000Z');
    const first = api.commits[0]!;
    const [firstPath, firstText] = Object.entries(first.files).find(([p]) => p.endsWith('.json'))!;
    const mainHead = api.head;

    // the next run checks out main again: the first run's report is not in its checkout
    const { code, io, dir } = await drill('2026-02-07T03:00:00.000Z');
    expect(code).toBe(0);
    expect(api.createdRefs).toHaveLength(1);
    expect(api.commits).toHaveLength(2);
    const second = api.commits[1]!;
    expect(second).toMatchObject({ branch: REPORT_BRANCH, parent: first.oid });
    const json = Object.entries(second.files).find(
      ([p]) => p.endsWith('.json') && p !== firstPath && !p.endsWith(EARLIER),
    )!;
    const report = JSON.parse(json[1]) as { previous: { file: string; sha256: string } | null };
    expect(report.previous).toEqual({
      file: firstPath.split('/').at(-1),
      sha256: sha256Hex(Buffer.from(firstText)),
    });
    // the index committed with it lists both drills
    expect(second.files['docs/tests/README.md']).toContain('2026-01-31');
    expect(second.files['docs/tests/README.md']).toContain('2026-02-07');
    expect(readFileSync(join(dir, firstPath.split('/').at(-1)!), 'utf8')).toBe(firstText);
    expect(api.head).toBe(mainHead);
    expect(io.outputs['commit-sha']).toBe(second.oid);
  });

  it('takes the branch as it is when it exists: its chain documents replace the checkout ones', async () => {
    api.refs.set(REPORT_BRANCH, oid('evidence head'));
    api.trees.set(oid('evidence head'), {
      'docs/tests/2026-01-17T030000Z-weekly-omnirapeutic-production.json': '{"on":"branch"}\n',
    });
    const { dir, env } = checkout();
    const target = await prepareReportBranch({
      plan: { githubToken: 'test-token', reportDir: dir, reportBranch: REPORT_BRANCH },
      env,
      logger: memoryLogger(),
    });
    expect(target).toEqual({ branch: REPORT_BRANCH, head: oid('evidence head'), created: false });
    expect(api.createdRefs).toEqual([]);
    // the checkout's report is not on the branch: it is no part of that chain
    expect(readdirSync(dir)).toEqual(['2026-01-17T030000Z-weekly-omnirapeutic-production.json']);
  });

  it('joins the branch another run created between its read and its createRef (a fleet starts together)', async () => {
    const mainHead = api.head;
    const other = oid('the other drill');
    api.beforeCreateRef = () => {
      api.refs.set(REPORT_BRANCH, other);
      api.trees.set(other, {
        ...api.trees.get(mainHead),
        'docs/tests/2026-01-31T030500Z-weekly-omnirapeutic-production.json': '{"other":true}\n',
      });
    };
    const { dir, env } = checkout();
    const logger = memoryLogger();
    const target = await prepareReportBranch({
      plan: { githubToken: 'test-token', reportDir: dir, reportBranch: REPORT_BRANCH },
      env,
      logger,
    });
    expect(target).toEqual({ branch: REPORT_BRANCH, head: other, created: false });
    expect(api.createdRefs).toEqual([]);
    expect(logger.lines.join('\n')).toMatch(/created by another run meanwhile/);
    // the report will chain onto the other run's, read from the branch
    expect(readdirSync(dir).sort()).toEqual([
      EARLIER,
      '2026-01-31T030500Z-weekly-omnirapeutic-production.json',
    ]);
  });

  it('keeps the report on the runner and names report-branch when the branch cannot be made ready', async () => {
    api.token = 'another-token';
    const { code, io, dir } = await drill('2026-01-31T03:00:00.000Z');
    expect(code).toBe(0);
    expect(api.commits).toHaveLength(0);
    expect(api.createdRefs).toHaveLength(0);
    const log = io.logger.lines.join('\n');
    expect(log).toMatch(/report-branch restore-proof-evidence: GitHub API refused the token \(HTTP 401\)/);
    expect(log).toMatch(
      /report NOT committed \(report-branch restore-proof-evidence: .*the files are on the runner/,
    );
    expect(io.outputs['commit-sha']).toBeUndefined();
    expect(readFileSync(join(dir, EARLIER), 'utf8')).toBe('{"earlier":true}\n');
  });

  it('without report-branch commits to the run branch as before', async () => {
    const mainHead = api.head;
    await drill('2026-01-31T03:00:00.000Z', null);
    expect(api.createdRefs).toEqual([]);
    expect(api.commits[0]).toMatchObject({ branch: 'main', parent: mainHead });
  });
});
