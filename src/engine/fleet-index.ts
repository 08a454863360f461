/**
 * Regenerates the fleet index (README.md of a directory of per-cluster report directories) and, with
 * --commit, commits it as a verified commit on the current branch. Run by the fleet workflow's last job:
 *
 *   node dist/fleet-index/index.js --report-dir docs/tests/fleet [--commit]
 *
 * Environment for --commit: GITHUB_TOKEN (contents: write), GITHUB_REPOSITORY, GITHUB_REF, GITHUB_WORKSPACE.
 */
import { appendFile, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { streamLogger } from '../log/logger.js';
import { commitFiles } from '../sinks/github-commit.js';
import { branchFromEnv } from '../sinks/report-commit.js';
import { writeFleetIndex } from '../sinks/fleet-index.js';
import { repositoryPath } from '../sinks/report-files.js';

export async function fleetIndexMain(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const logger = streamLogger((line) => process.stderr.write(`${line}\n`));
  const { values } = parseArgs({
    args: argv,
    options: { 'report-dir': { type: 'string' }, commit: { type: 'boolean' } },
  });
  const dir = values['report-dir'];
  if (!dir) {
    logger.error('fleet-index: --report-dir is required');
    return 2;
  }
  if (env.GITHUB_TOKEN) logger.setSecret(env.GITHUB_TOKEN);
  const { path, markdown } = await writeFleetIndex(dir, new Date(), logger);
  if (env.GITHUB_STEP_SUMMARY) await appendFile(env.GITHUB_STEP_SUMMARY, markdown);
  if (!values.commit) return 0;
  const branch = branchFromEnv(env);
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const repoPath = repositoryPath(resolve(path), workspace);
  if (!env.GITHUB_TOKEN || !env.GITHUB_REPOSITORY || !branch || !repoPath) {
    logger.error(
      'fleet-index: --commit needs GITHUB_TOKEN, GITHUB_REPOSITORY, a branch ref and a path inside the workspace',
    );
    return 1;
  }
  const result = await commitFiles({
    token: env.GITHUB_TOKEN,
    repository: env.GITHUB_REPOSITORY,
    branch,
    files: [{ path: repoPath, contents: await readFile(path) }],
    message: {
      headline: `restore-proof: fleet index (${new Date().toISOString().slice(0, 10)})`,
      body: '[skip ci]',
    },
    logger,
  });
  logger.info(`fleet-index: committed ${repoPath} as ${result.oid.slice(0, 12)}`);
  return 0;
}
