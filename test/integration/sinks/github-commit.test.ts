import { readFileSync } from 'node:fs';
import { memoryLogger } from '../../../src/log/logger.js';
import { CommitError, commitFiles } from '../../../src/sinks/github-commit.js';
import { commitReport } from '../../../src/sinks/report-commit.js';
import { writeReport } from '../../../src/sinks/report-files.js';
import { actionsEnv, passingOutcome } from '../../fixtures/report/outcomes.js';
import { testKey, workspace } from '../../support/report-keys.js';
import { GitHubStandIn, oid } from '../../support/github-standin.js';

describe('commitFiles against a local stand-in of the GitHub GraphQL API', () => {
  let api: GitHubStandIn;
  let apiUrl: string;
  let sleeps: number[];
  const sleep = async (ms: number) => {
    sleeps.push(ms);
  };
  const base = () => ({
    token: 'test-token',
    repository: 'omnirapeutic/platform',
    branch: 'main',
    files: [
      { path: 'docs/tests/a.json', contents: '{"a":1}\n' },
      { path: 'docs/tests/README.md', contents: Buffer.from('# Index\n') },
    ],
    message: { headline: 'restore-proof: pass weekly drill', body: 'body' },
    apiUrl,
    sleep,
  });

  beforeEach(async () => {
    api = new GitHubStandIn();
    apiUrl = await api.start();
    sleeps = [];
  });
  afterEach(() => api.stop());

  it('reads the head and commits every file in one commit', async () => {
    const parent = api.head;
    const result = await commitFiles(base());
    expect(result).toEqual({
      oid: api.head,
      url: `https://github.com/omnirapeutic/platform/commit/${api.head}`,
      attempts: 1,
    });
    expect(api.commits).toHaveLength(1);
    expect(api.commits[0]).toMatchObject({
      parent,
      headline: 'restore-proof: pass weekly drill',
      body: 'body',
      files: { 'docs/tests/a.json': '{"a":1}\n', 'docs/tests/README.md': '# Index\n' },
    });
    expect(api.requests[0]?.authorization).toBe('token test-token');
    expect(sleeps).toEqual([]);
  });

  it('retries on a moved branch head: reads the new head, backs off, and commits on it', async () => {
    const stale = api.head;
    api.head = oid('pushed by someone else');
    const checked: string[] = [];
    const result = await commitFiles({
      ...base(),
      expectedHeadOid: stale,
      checkHead: async (head) => {
        checked.push(head);
      },
    });
    expect(result.attempts).toBe(2);
    expect(sleeps).toEqual([1000]);
    expect(checked).toEqual([oid('pushed by someone else')]);
    expect(api.commits[0]?.parent).toBe(oid('pushed by someone else'));
    expect(api.mutations()).toBe(2);
  });

  it('backs off exponentially while the head keeps moving, then gives up naming the cause', async () => {
    api.movesBeforeCommit = 10;
    const error = await commitFiles({ ...base(), maxAttempts: 4 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommitError);
    expect(error).toMatchObject({ kind: 'stale', attempts: 4 });
    expect((error as Error).message).toMatch(
      /^commit failed after 4 attempts: main moved past [0-9a-f]{12} \(Expected branch/,
    );
    expect(sleeps).toEqual([1000, 2000, 4000]);
    expect(api.commits).toHaveLength(0);
  });

  it('retries server errors and stops on a refused token', async () => {
    api.failWith = [502];
    await expect(commitFiles(base())).resolves.toMatchObject({ attempts: 2 });
    const refused = await commitFiles({ ...base(), token: 'wrong' }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ kind: 'auth', attempts: 1 });
    expect(String(refused)).not.toContain('wrong');
  });

  it('honours GITHUB_API_URL: on GitHub Enterprise Server, GraphQL goes to /api/graphql', async () => {
    const env = { GITHUB_API_URL: `${api.origin}/api/v3` };
    await expect(commitFiles({ ...base(), apiUrl: undefined, env })).resolves.toMatchObject({ attempts: 1 });
    expect(api.requests.map((r) => r.path)).toEqual(['/api/graphql', '/api/graphql']);
    expect(api.commits).toHaveLength(1);
  });

  it('honours GITHUB_GRAPHQL_URL over GITHUB_API_URL', async () => {
    const env = {
      GITHUB_API_URL: 'http://127.0.0.1:9/api/v3',
      GITHUB_GRAPHQL_URL: `${api.origin}/custom/graphql`,
    };
    await expect(commitFiles({ ...base(), apiUrl: undefined, env })).resolves.toMatchObject({ attempts: 1 });
    expect(api.requests.map((r) => r.path)).toEqual(['/custom/graphql', '/custom/graphql']);
  });

  it('retries an unreachable API, then names it', async () => {
    await api.stop();
    const error = await commitFiles({ ...base(), maxAttempts: 2 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'network', attempts: 2 });
    expect((error as Error).message).toContain(`GitHub API unreachable at ${apiUrl}`);
    expect(sleeps).toEqual([1000]);
  });

  it('stops when the head check refuses the moved head', async () => {
    api.head = oid('other drill');
    const error = await commitFiles({
      ...base(),
      expectedHeadOid: oid('initial'),
      checkHead: async () => {
        throw new CommitError('conflict', 'conflict', 0);
      },
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'conflict', attempts: 2 });
    expect(api.commits).toHaveLength(0);
  });
});

describe('commitReport', () => {
  let api: GitHubStandIn;
  let apiUrl: string;
  beforeEach(async () => {
    api = new GitHubStandIn();
    apiUrl = await api.start();
  });
  afterEach(() => api.stop());

  async function written() {
    const { root, dir } = workspace();
    const env = { ...actionsEnv, GITHUB_WORKSPACE: root, GITHUB_SHA: api.head };
    const w = await writeReport({
      plan: { reportDir: dir, signingKey: testKey },
      outcome: passingOutcome,
      env,
    });
    return { root, dir, env, w };
  }

  it('commits the report, its Markdown, the public key and the index in one verified commit', async () => {
    const { dir, env, w } = await written();
    const logger = memoryLogger();
    const result = await commitReport({
      plan: { commitReport: true, githubToken: 'test-token', reportDir: dir },
      written: w,
      env,
      logger,
      commit: { apiUrl, sleep: async () => undefined },
    });
    expect(result).toMatchObject({ status: 'committed', oid: api.head });
    const commit = api.commits[0]!;
    expect(Object.keys(commit.files).sort()).toEqual([
      'docs/tests/2026-01-31T030000Z-weekly-omnirapeutic-production.json',
      'docs/tests/2026-01-31T030000Z-weekly-omnirapeutic-production.md',
      'docs/tests/README.md',
      'docs/tests/restore-proof.pub.pem',
    ]);
    expect(commit.files['docs/tests/2026-01-31T030000Z-weekly-omnirapeutic-production.json']).toBe(
      readFileSync(w.jsonPath, 'utf8'),
    );
    expect(commit.headline).toBe('restore-proof: pass weekly drill of omnirapeutic-production (2026-01-31)');
    expect(commit.body).toContain('[skip ci]');
  });

  it('refuses to fork the chain when another run committed a report meanwhile, and keeps the files', async () => {
    const { dir, env, w } = await written();
    api.head = oid('monthly drill committed');
    api.treeEntries = ['2026-01-31T020000Z-monthly-omnirapeutic-production.json', 'README.md'];
    const uploads: { name: string; files: string[] }[] = [];
    const logger = memoryLogger();
    const result = await commitReport({
      plan: { commitReport: true, githubToken: 'test-token', reportDir: dir },
      written: w,
      env,
      logger,
      uploadArtifact: async (name, files) => {
        uploads.push({ name, files });
      },
      commit: { apiUrl, sleep: async () => undefined },
    });
    expect(result.status).toBe('failed');
    expect(result.message).toMatch(
      /^report NOT committed \(another run committed 2026-01-31T020000Z-monthly-omnirapeutic-production\.json to docs\/tests/,
    );
    expect(result.message).toMatch(
      /in the workflow artifact restore-proof-report-2026-01-31T030000Z-weekly-omnirapeutic-production$/,
    );
    expect(uploads[0]?.files).toHaveLength(4);
    expect(logger.lines.some((l) => l.startsWith('error: report NOT committed'))).toBe(true);
    expect(api.commits).toHaveLength(0);
  });

  it('says where the files are when the push fails and no uploader is given', async () => {
    const { dir, env, w } = await written();
    api.failWith = [500, 500, 500];
    const result = await commitReport({
      plan: { commitReport: true, githubToken: 'test-token', reportDir: dir },
      written: w,
      env,
      logger: memoryLogger(),
      commit: { apiUrl, sleep: async () => undefined, maxAttempts: 3 },
    });
    expect(result.status).toBe('failed');
    expect(result.message).toContain('commit failed after 3 attempts: GitHub API HTTP 500');
    expect(result.message).toContain(`the files are on the runner in ${dir}`);
  });

  it('is skipped when commit-report is off and refuses runs not on a branch', async () => {
    const { dir, env, w } = await written();
    const plan = { commitReport: false, reportDir: dir };
    expect((await commitReport({ plan, written: w, env, logger: memoryLogger() })).status).toBe('skipped');
    const onPr = await commitReport({
      plan: { ...plan, commitReport: true, githubToken: 'test-token' },
      written: w,
      env: { ...env, GITHUB_REF: 'refs/pull/7/merge' },
      logger: memoryLogger(),
    });
    expect(onPr.message).toMatch(/needs a branch; this run is on refs\/pull\/7\/merge/);
  });
});
