/**
 * report-branch: the evidence lives on its own branch, so a protected default branch that refuses the
 * workflow's token still gets its reports. Before the drill's report is written, the branch is made ready:
 * created from the checkout's commit when missing (so it starts with every report already committed and
 * the chain stays one chain), and the report directory is brought to the branch head's copy, so the new
 * report links to the branch's last document rather than the checkout's. The commit then goes on that
 * branch, with the head read here as its optimistic lock.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Logger } from '../log/logger.js';
import { REPORT_FILE } from '../report/model.js';
import { CommitError, graphqlClient, readHeadOid, type GraphqlClient } from './github-commit.js';
import { repositoryPath } from './report-files.js';

export interface ReportBranchTarget {
  branch: string;
  /** The branch head the report directory was brought to; the commit's expectedHeadOid. */
  head: string;
  /** True when this run created the branch. */
  created: boolean;
}

export interface PrepareReportBranchInput {
  plan: { githubToken?: string; reportDir: string; reportBranch: string };
  env: Record<string, string | undefined>;
  logger: Logger;
  /** Tests point these at a local stand-in of the API. */
  commit?: { apiUrl?: string; fetch?: typeof fetch };
}

const REF_QUERY = `query($owner: String!, $name: String!, $ref: String!) {
  repository(owner: $owner, name: $name) { id ref(qualifiedName: $ref) { target { oid } } }
}`;

const CREATE_REF = `mutation($input: CreateRefInput!) {
  createRef(input: $input) { ref { name target { oid } } }
}`;

const TREE_TEXT_QUERY = `query($owner: String!, $name: String!, $expression: String!) {
  repository(owner: $owner, name: $name) {
    object(expression: $expression) {
      ... on Tree { entries { name type object { ... on Blob { text isBinary isTruncated } } } }
    }
  }
}`;

/** GitHub's answer to createRef for a name that is taken. */
const ALREADY_EXISTS = /already exists/i;

interface TreeEntry {
  name: string;
  type: string;
  object: { text?: string | null; isBinary?: boolean; isTruncated?: boolean } | null;
}

/** Chain documents (and their Markdown) are mirrored exactly; other files (key, index, config) only added. */
const chainFile = (name: string): boolean =>
  REPORT_FILE.test(name) || REPORT_FILE.test(name.replace(/\.md$/, '.json'));

/**
 * Creates the report branch when missing and brings the report directory to its head. Throws a
 * CommitError naming report-branch when the branch cannot be read or created.
 */
export async function prepareReportBranch(input: PrepareReportBranchInput): Promise<ReportBranchTarget> {
  const { plan, env, logger } = input;
  const branch = plan.reportBranch;
  try {
    if (!plan.githubToken) throw new CommitError('needs github-token (contents: write)', 'auth', 0);
    const repository = env.GITHUB_REPOSITORY;
    if (!repository)
      throw new CommitError('needs GITHUB_REPOSITORY (run inside GitHub Actions)', 'not-found', 0);
    const [owner, name] = repository.split('/');
    const client = graphqlClient({
      token: plan.githubToken,
      apiUrl: input.commit?.apiUrl,
      env,
      fetch: input.commit?.fetch,
    });
    const repo = { owner: owner!, name: name! };
    const readBranch = async () => {
      const data = await client.query<{
        repository: { id: string; ref: { target: { oid: string } } | null } | null;
      }>(REF_QUERY, { ...repo, ref: `refs/heads/${branch}` });
      if (!data.repository) throw new CommitError(`repository ${repository} not found`, 'not-found', 0);
      return { repositoryId: data.repository.id, head: data.repository.ref?.target.oid };
    };
    const joinBranch = async (head: string): Promise<ReportBranchTarget> => {
      await mirrorBranch(client, repo, head, plan.reportDir, env, logger);
      logger.info(`report-branch: ${branch} is at ${head.slice(0, 12)}; the report chains onto its head`);
      return { branch, head, created: false };
    };
    const { repositoryId, head: existing } = await readBranch();
    if (existing) return await joinBranch(existing);
    const base = await baseCommit(client, repository, env);
    try {
      await client.query(CREATE_REF, {
        input: { repositoryId, name: `refs/heads/${branch}`, oid: base },
      });
    } catch (error) {
      // Another run (a fleet's drills start together) created it between the read and here: join it.
      if (!(error instanceof Error) || !ALREADY_EXISTS.test(error.message)) throw error;
      const { head } = await readBranch();
      if (!head) throw error;
      logger.info(`report-branch: ${branch} was created by another run meanwhile`);
      return await joinBranch(head);
    }
    logger.info(
      `report-branch: created ${branch} from ${base.slice(0, 12)} (this run's commit, with the reports already there)`,
    );
    return { branch, head: base, created: true };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new CommitError(
      `report-branch ${branch}: ${message}`,
      error instanceof CommitError ? error.kind : 'network',
      0,
    );
  }
}

/** The commit a new report branch starts from: the checkout's commit, else the head of the run's branch. */
async function baseCommit(
  client: GraphqlClient,
  repository: string,
  env: Record<string, string | undefined>,
): Promise<string> {
  if (env.GITHUB_SHA) return env.GITHUB_SHA;
  const ref = env.GITHUB_REF ?? '';
  if (!ref.startsWith('refs/heads/'))
    throw new CommitError(
      'is missing and this run has no commit (GITHUB_SHA) to create it from',
      'not-found',
      0,
    );
  return readHeadOid(client, repository, ref.slice('refs/heads/'.length));
}

/** Writes the branch head's copy of the report directory over the local one. */
async function mirrorBranch(
  client: GraphqlClient,
  repo: { owner: string; name: string },
  head: string,
  reportDir: string,
  env: Record<string, string | undefined>,
  logger: Logger,
): Promise<void> {
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const dirPath = repositoryPath(resolve(reportDir), workspace);
  if (!dirPath)
    throw new CommitError(`report-dir ${reportDir} is outside the repository (${workspace})`, 'not-found', 0);
  const data = await client.query<{ repository: { object: { entries?: TreeEntry[] } | null } | null }>(
    TREE_TEXT_QUERY,
    { ...repo, expression: `${head}:${dirPath}` },
  );
  const entries = (data.repository?.object?.entries ?? []).filter((e) => e.type === 'blob');
  const remote = new Set(entries.map((e) => e.name));
  await mkdir(reportDir, { recursive: true });
  let written = 0;
  for (const entry of entries) {
    const text = entry.object?.text;
    if (entry.object?.isBinary || entry.object?.isTruncated || typeof text !== 'string') {
      if (chainFile(entry.name))
        throw new CommitError(
          `${dirPath}/${entry.name} on the branch could not be read as text`,
          'graphql',
          0,
        );
      continue;
    }
    await writeFile(join(reportDir, entry.name), text);
    written++;
  }
  let removed = 0;
  if (existsSync(reportDir)) {
    for (const local of await readdir(reportDir)) {
      if (chainFile(local) && !remote.has(local)) {
        await rm(join(reportDir, local));
        removed++;
      }
    }
  }
  logger.info(
    `report-branch: ${dirPath} brought to the branch head (${written} files${removed ? `, ${removed} of this checkout's chain documents not on the branch removed from the runner's copy` : ''})`,
  );
}

/**
 * For a command about to write a chain document: the report branch made ready when commit-report and
 * report-branch are set, or why it could not be (a warning; the document is still written and kept, and the
 * commit is not tried), or undefined without report-branch.
 */
export async function readyReportBranch(
  plan: { commitReport: boolean; githubToken?: string; reportDir: string; reportBranch?: string },
  env: Record<string, string | undefined>,
  logger: Logger,
): Promise<ReportBranchTarget | { error: string } | undefined> {
  const branch = plan.reportBranch;
  if (!plan.commitReport || !branch) return undefined;
  try {
    return await prepareReportBranch({
      plan: { githubToken: plan.githubToken, reportDir: plan.reportDir, reportBranch: branch },
      env,
      logger,
    });
  } catch (error) {
    if (!(error instanceof CommitError)) throw error;
    logger.warning(error.message);
    return { error: error.message };
  }
}
