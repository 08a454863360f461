import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fleetIndexCommand, parseFleetIndexFlags } from '../../../src/engine/fleet-index.js';
import { memoryLogger } from '../../../src/log/logger.js';
import { writeReport } from '../../../src/sinks/report-files.js';
import { passingOutcome } from '../../fixtures/report/outcomes.js';
import { GitHubStandIn } from '../../support/github-standin.js';
import { tempDir } from '../../support/temp-dir.js';

describe('restore-proof fleet-index', () => {
  let api: GitHubStandIn;
  let apiUrl: string;
  beforeEach(async () => {
    api = new GitHubStandIn();
    apiUrl = await api.start();
  });
  afterEach(() => api.stop());

  /** A checkout with docs/tests/fleet/<cluster> holding one report each. */
  async function fleet() {
    const root = tempDir('fleet-cmd');
    const dir = join(root, 'docs', 'tests', 'fleet');
    for (const cluster of ['billing-db', 'prod-db']) {
      await writeReport({
        plan: { reportDir: join(dir, cluster), signingKey: undefined },
        outcome: { ...passingOutcome, source: { ...passingOutcome.source, cluster } },
        now: new Date(passingOutcome.finishedAt),
      });
    }
    mkdirSync(join(dir, 'new-db'));
    const env = {
      GITHUB_WORKSPACE: root,
      GITHUB_REPOSITORY: 'omnirapeutic/platform',
      GITHUB_REF: 'refs/heads/main',
      GITHUB_TOKEN: 'test-token',
      GITHUB_GRAPHQL_URL: apiUrl,
    };
    return { root, dir, env };
  }

  const run = (argv: string[], env: Record<string, string | undefined>) => {
    const logger = memoryLogger();
    const printed: string[] = [];
    const summaries: string[] = [];
    const io = {
      env,
      logger,
      print: (text: string) => printed.push(text),
      summary: async (markdown: string) => {
        summaries.push(markdown);
      },
      now: () => new Date('2026-02-02T00:00:00Z'),
      commit: { sleep: async () => undefined },
    };
    return { io, logger, printed, summaries, code: fleetIndexCommand(argv, io) };
  };

  it('writes the fleet index, puts it in the job summary and commits it on the branch', async () => {
    const { dir, env } = await fleet();
    const r = run(['fleet-index', '--report-dir', dir, '--commit-report', 'true'], env);
    expect(await r.code).toBe(0);
    const markdown = readFileSync(join(dir, 'README.md'), 'utf8');
    expect(markdown).toContain('from 2 reports of 2 sources in 3 directories');
    expect(r.summaries).toEqual([markdown]);
    expect(api.commits).toHaveLength(1);
    expect(api.commits[0]).toMatchObject({
      headline: 'restore-proof: fleet index (2026-02-02)',
      body: '[skip ci]',
      files: { 'docs/tests/fleet/README.md': markdown },
    });
    expect(api.requests[0]?.authorization).toBe('token test-token');
    expect(r.logger.lines.at(-1)).toMatch(
      /^fleet-index: committed docs\/tests\/fleet\/README\.md as [0-9a-f]{12}$/,
    );
    expect(r.logger.lines.join('\n')).not.toContain('test-token');
  });

  it('only writes without --commit-report true, and takes the token from --github-token', async () => {
    const { dir, env } = await fleet();
    expect(await run(['fleet-index', '--report-dir', dir], env).code).toBe(0);
    expect(api.requests).toHaveLength(0);
    api.token = 'flag-token';
    const r = run(
      ['fleet-index', '--report-dir', dir, '--commit-report', 'True', '--github-token', 'flag-token'],
      env,
    );
    expect(await r.code).toBe(0);
    expect(api.commits).toHaveLength(1);
  });

  it('fails loudly, keeping the written index, when the commit is refused', async () => {
    const { dir, env } = await fleet();
    const r = run(['fleet-index', '--report-dir', dir, '--commit-report', 'true'], {
      ...env,
      GITHUB_TOKEN: 'wrong',
    });
    expect(await r.code).toBe(1);
    expect(r.logger.lines.at(-1)).toMatch(
      /^error: fleet-index: docs\/tests\/fleet\/README\.md NOT committed \(GitHub API refused the token \(HTTP 401\)/,
    );
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain('# Restore test evidence: fleet');
  });

  it('commits to --report-branch (the evidence branch the drills committed to), not the run branch', async () => {
    const { dir, env } = await fleet();
    api.refs.set('restore-proof-evidence', api.head);
    const mainHead = api.head;
    const r = run(
      [
        'fleet-index',
        '--report-dir',
        dir,
        '--commit-report',
        'true',
        '--report-branch',
        'refs/heads/restore-proof-evidence',
      ],
      env,
    );
    expect(await r.code).toBe(0);
    expect(api.commits).toHaveLength(1);
    expect(api.commits[0]).toMatchObject({ branch: 'restore-proof-evidence', parent: mainHead });
    expect(api.head).toBe(mainHead);
    expect(parseFleetIndexFlags(['--report-dir', 'x', '--report-branch', 'a..b'], {})).toEqual({
      error: expect.stringMatching(/^input 'report-branch' accepts a branch name .*; got 'a\.\.b'$/),
    });
  });

  it('needs a branch to commit to', async () => {
    const { dir, env } = await fleet();
    const r = run(['fleet-index', '--report-dir', dir, '--commit-report', 'true'], {
      ...env,
      GITHUB_REF: 'refs/tags/v1',
    });
    expect(await r.code).toBe(1);
    expect(r.logger.lines.at(-1)).toMatch(/^error: fleet-index: --commit-report true needs .*a branch ref/);
    expect(api.requests).toHaveLength(0);
  });

  it('prints its usage for --help and refuses flags it does not take, naming them', async () => {
    const help = run(['fleet-index', '--help'], {});
    expect(await help.code).toBe(0);
    expect(help.printed[0]).toMatch(/^usage: restore-proof fleet-index --report-dir <directory>/);
    const missing = run(['fleet-index'], {});
    expect(await missing.code).toBe(2);
    expect(missing.logger.lines[0]?.split('\n')[0]).toBe(
      "error: input 'report-dir' is required for command fleet-index",
    );
    expect(parseFleetIndexFlags(['fleet-index', '--report-dir', 'x', '--commit'], {})).toEqual({
      error: expect.stringMatching(/^fleet-index: Unknown option '--commit'/),
    });
    expect(parseFleetIndexFlags(['--report-dir', 'x', '--commit-report', 'yes'], {})).toEqual({
      error: "input 'commit-report' accepts true | false; got 'yes'",
    });
    expect(parseFleetIndexFlags(['fleet-index', 'extra', '--report-dir', 'x'], {})).toEqual({
      error: "fleet-index: unexpected argument 'extra'",
    });
    expect(parseFleetIndexFlags(['fleet-index', '--report-dir', 'x'], { GITHUB_TOKEN: 't' })).toEqual({
      reportDir: 'x',
      commit: false,
      token: 't',
    });
  });
});
