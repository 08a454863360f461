/**
 * command: fleet-index. Regenerates the fleet index (README.md of a directory of per-cluster report
 * directories) and, with --commit-report true, commits it as a verified commit on the current branch. Run
 * by the fleet workflow's last job:
 *
 *   restore-proof fleet-index --report-dir docs/tests/fleet [--commit-report true] [--report-branch <branch>]
 *     [--github-token ...]
 *
 * Its flags are the action's input names, parsed here (the command takes no other input). The token
 * defaults to GITHUB_TOKEN; the commit also reads GITHUB_REPOSITORY, GITHUB_REF and GITHUB_WORKSPACE, and
 * GITHUB_API_URL / GITHUB_GRAPHQL_URL on GitHub Enterprise Server.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { reportBranchName } from '../inputs/evidence.js';
import { InputError } from '../inputs/input-error.js';
import type { Logger } from '../log/logger.js';
import { CommitError, commitFiles, type CommitFilesInput } from '../sinks/github-commit.js';
import { branchFromEnv } from '../sinks/report-commit.js';
import { writeFleetIndex } from '../sinks/fleet-index.js';
import { repositoryPath } from '../sinks/report-files.js';

export const FLEET_INDEX_USAGE = `usage: restore-proof fleet-index --report-dir <directory> [--commit-report true|false] [--report-branch <branch>] [--github-token <token>]
Regenerates <directory>/README.md from the report chains in its subdirectories; with --commit-report true,
commits it to --report-branch (the branch the drills committed their reports to), else to the current branch
(token: --github-token, else GITHUB_TOKEN; needs contents: write).`;

export interface FleetIndexIO {
  env: Record<string, string | undefined>;
  logger: Logger;
  /** Where --help goes (stdout in the CLI). */
  print(text: string): void;
  /** Markdown for the job summary, where there is one. */
  summary?(markdown: string): Promise<void>;
  now?: () => Date;
  /** Passed to commitFiles (tests point it at a local stand-in of the API). */
  commit?: Pick<CommitFilesInput, 'apiUrl' | 'sleep' | 'maxAttempts' | 'baseDelayMs'>;
}

interface FleetIndexFlags {
  reportDir: string;
  commit: boolean;
  token: string | undefined;
  /** The evidence branch the drills committed to; the index goes there too. */
  reportBranch?: string;
}

/** The command's flags, or the one line naming what is wrong. */
export function parseFleetIndexFlags(
  argv: string[],
  env: Record<string, string | undefined>,
): FleetIndexFlags | { error: string } | { help: true } {
  let values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        'report-dir': { type: 'string' },
        'commit-report': { type: 'string', default: 'false' },
        'github-token': { type: 'string' },
        'report-branch': { type: 'string' },
      },
    }));
  } catch (error) {
    return { error: `fleet-index: ${(error as Error).message.split('\n')[0]}` };
  }
  if (values.help) return { help: true };
  const extra = positionals.filter((p, i) => !(p === 'fleet-index' && i === 0));
  if (extra.length > 0) return { error: `fleet-index: unexpected argument '${extra[0]}'` };
  const reportDir = values['report-dir']?.trim();
  if (!reportDir) return { error: "input 'report-dir' is required for command fleet-index" };
  const commit = values['commit-report'];
  if (!/^(true|false)$/i.test(commit)) {
    return { error: `input 'commit-report' accepts true | false; got '${commit}'` };
  }
  let reportBranch: string | undefined;
  const branchValue = values['report-branch']?.trim();
  if (branchValue) {
    try {
      reportBranch = reportBranchName(branchValue);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      return { error: error.message };
    }
  }
  return {
    reportDir,
    commit: commit.toLowerCase() === 'true',
    token: values['github-token'] || env.GITHUB_TOKEN || undefined,
    ...(reportBranch ? { reportBranch } : {}),
  };
}

/** Resolves with the exit code: 0 written (and committed when asked), 1 when the commit failed, 2 bad flags. */
export async function fleetIndexCommand(argv: string[], io: FleetIndexIO): Promise<number> {
  const { env, logger } = io;
  const flags = parseFleetIndexFlags(argv, env);
  if ('help' in flags) {
    io.print(FLEET_INDEX_USAGE);
    return 0;
  }
  if ('error' in flags) {
    logger.error(`${flags.error}\n${FLEET_INDEX_USAGE}`);
    return 2;
  }
  if (flags.token) logger.setSecret(flags.token);
  const now = io.now?.() ?? new Date();
  const { path, markdown } = await writeFleetIndex(flags.reportDir, now, logger);
  await io.summary?.(markdown);
  if (!flags.commit) return 0;

  const branch = flags.reportBranch ?? branchFromEnv(env);
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const repoPath = repositoryPath(resolve(path), workspace);
  if (!flags.token || !env.GITHUB_REPOSITORY || !branch || !repoPath) {
    logger.error(
      'fleet-index: --commit-report true needs a token (--github-token or GITHUB_TOKEN), GITHUB_REPOSITORY, a branch ref and a report directory inside the workspace',
    );
    return 1;
  }
  let result;
  try {
    result = await commitFiles({
      token: flags.token,
      repository: env.GITHUB_REPOSITORY,
      branch,
      files: [{ path: repoPath, contents: await readFile(path) }],
      message: {
        headline: `restore-proof: fleet index (${now.toISOString().slice(0, 10)})`,
        body: '[skip ci]',
      },
      env,
      logger,
      ...io.commit,
    });
  } catch (error) {
    if (!(error instanceof CommitError)) throw error;
    logger.error(`fleet-index: ${repoPath} NOT committed (${error.message})`);
    return 1;
  }
  logger.info(`fleet-index: committed ${repoPath} as ${result.oid.slice(0, 12)}`);
  return 0;
}
