/**
 * Puts a drill's evidence in the repository: the report files and the index in one verified commit.
 * When the commit cannot be made, the files stay on the runner (and in an artifact when an uploader
 * is given) and the result says so.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Logger } from '../log/logger.js';
import { verdictSentence } from '../report/render/markdown.js';
import { clusterName, REPORT_FILE } from '../report/model.js';
import { listReportFiles } from './report-dir.js';
import { repositoryPath, type WrittenReport } from './report-files.js';
import { CommitError, commitFiles, type CommitFilesInput, type GraphqlClient } from './github-commit.js';
import type { ReportBranchTarget } from './report-branch.js';

export interface CommitReportInput {
  plan: { commitReport: boolean; githubToken?: string; reportDir: string };
  /** A drill's written report, or another chain document's files with its own commit message. */
  written: WrittenReport | ChainEvidence;
  env: Record<string, string | undefined>;
  logger: Logger;
  /** Uploads files as a workflow artifact (e.g. @actions/artifact); called only when the commit failed. */
  uploadArtifact?: (name: string, files: string[], rootDirectory: string) => Promise<void>;
  /**
   * report-branch: the branch prepareReportBranch made ready (the commit goes there, on its head), or why
   * it could not be (the commit is then not attempted). Absent: the run's own branch at GITHUB_SHA.
   */
  reportBranch?: ReportBranchTarget | { error: string };
  /** Passed to commitFiles (tests point it at a local stand-in of the API). */
  commit?: Pick<CommitFilesInput, 'apiUrl' | 'sleep' | 'fetch' | 'maxAttempts' | 'baseDelayMs'>;
}

/** Files of a chain document other than a drill report (an exercise, a retraction), and its commit message. */
export interface ChainEvidence {
  files: string[];
  report: { file: string };
  message: { headline: string; body: string };
}

export interface CommitReportResult {
  status: 'committed' | 'skipped' | 'failed';
  /** One line for the log and the job summary. */
  message: string;
  oid?: string;
  url?: string;
  /** Set when the files went to an artifact instead. */
  artifact?: string;
}

/** The branch a push would go to, or null on a tag, a pull request merge ref or outside Actions. */
export function branchFromEnv(env: Record<string, string | undefined>): string | null {
  const ref = env.GITHUB_REF ?? '';
  return ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : null;
}

export function commitMessage(written: WrittenReport): { headline: string; body: string } {
  const r = written.report;
  return {
    headline: `restore-proof: ${r.result} ${r.cadence} drill of ${clusterName(r.source.cluster)} (${r.startedAt.slice(0, 10)})`,
    body: `${verdictSentence(r).replace(/\*\*|`/g, '')}\n\nReport: ${r.file}${r.signature ? `\nSigned: ${r.signature.publicKeyFingerprint}` : ''}\n\n[skip ci]`,
  };
}

const TREE_QUERY = `query($owner: String!, $name: String!, $expression: String!) {
  repository(owner: $owner, name: $name) { object(expression: $expression) { ... on Tree { entries { name } } } }
}`;

/**
 * Refuses to commit on a head where another run already committed a report this checkout did not
 * see: this report's `previous` link would then fork the chain. Serialise drills that share a report
 * directory with a workflow concurrency group.
 */
export function chainGuard(repository: string, dirPath: string, known: string[]) {
  const [owner, name] = repository.split('/');
  return async (head: string, client: GraphqlClient): Promise<void> => {
    const data = await client.query<{
      repository: { object: { entries?: { name: string }[] } | null } | null;
    }>(TREE_QUERY, { owner, name, expression: `${head}:${dirPath}` });
    const remote = (data.repository?.object?.entries ?? [])
      .map((e) => e.name)
      .filter((n) => REPORT_FILE.test(n));
    const unseen = remote.filter((n) => !known.includes(n));
    if (unseen.length > 0) {
      throw new CommitError(
        `another run committed ${unseen.join(', ')} to ${dirPath} after this checkout; committing would fork the report chain (serialise drills with a concurrency group and re-run)`,
        'conflict',
        0,
      );
    }
  };
}

export async function commitReport(input: CommitReportInput): Promise<CommitReportResult> {
  const { plan, written, env, logger } = input;
  if (!plan.commitReport)
    return { status: 'skipped', message: 'commit-report is off; the report stays on the runner' };

  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const files = written.files.map((f) => resolve(f));
  let reason: string;
  try {
    if (!plan.githubToken)
      throw new CommitError('commit-report needs github-token (contents: write)', 'auth', 0);
    const repository = env.GITHUB_REPOSITORY;
    if (!repository)
      throw new CommitError(
        'commit-report needs GITHUB_REPOSITORY (run inside GitHub Actions)',
        'not-found',
        0,
      );
    const target = input.reportBranch;
    if (target && 'error' in target) throw new CommitError(target.error, 'not-found', 0);
    const branch = target ? target.branch : branchFromEnv(env);
    if (!branch)
      throw new CommitError(
        `commit-report needs a branch; this run is on ${env.GITHUB_REF || 'no ref'}`,
        'not-found',
        0,
      );
    const additions = await Promise.all(
      files.map(async (file) => {
        const path = repositoryPath(file, workspace);
        if (!path) throw new CommitError(`${file} is outside the repository (${workspace})`, 'not-found', 0);
        return { path, contents: await readFile(file) };
      }),
    );
    const dirPath = repositoryPath(resolve(plan.reportDir), workspace) ?? plan.reportDir;
    const result = await commitFiles({
      token: plan.githubToken,
      repository,
      branch,
      expectedHeadOid: target ? target.head : env.GITHUB_SHA || undefined,
      files: additions,
      message: 'message' in written ? written.message : commitMessage(written),
      checkHead: chainGuard(repository, dirPath, await listReportFiles(plan.reportDir)),
      env,
      logger,
      ...input.commit,
    });
    return {
      status: 'committed',
      message: `report committed to ${branch} as ${result.oid.slice(0, 12)} (verified commit)`,
      oid: result.oid,
      url: result.url,
    };
  } catch (error) {
    if (!(error instanceof CommitError)) throw error;
    reason = error.message;
  }

  const artifact = `restore-proof-report-${written.report.file.replace(/\.json$/, '')}`;
  if (input.uploadArtifact) {
    try {
      await input.uploadArtifact(artifact, files, workspace);
      const message = `report NOT committed (${reason}); the files are in the workflow artifact ${artifact}`;
      logger.error(message);
      return { status: 'failed', message, artifact };
    } catch (error) {
      reason += `; artifact upload failed too (${error instanceof Error ? error.message : String(error)})`;
    }
  }
  const message = `report NOT committed (${reason}); the files are on the runner in ${plan.reportDir}: keep them with actions/upload-artifact`;
  logger.error(message);
  return { status: 'failed', message };
}
