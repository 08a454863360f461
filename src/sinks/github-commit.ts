/**
 * One commit of several files through GitHub's GraphQL createCommitOnBranch mutation, over
 * @actions/github's Octokit: GitHub signs it, so it shows as Verified. The branch head is an optimistic
 * lock (expectedHeadOid); when the branch moved, the head is read again and the commit retried with
 * backoff, after checkHead (the report chain's fork guard) approves the new head.
 */
import { getOctokit } from '@actions/github';
import type { Logger } from '../log/logger.js';

export interface FileAddition {
  /** Path in the repository, forward slashes, no leading slash. */
  path: string;
  contents: string | Uint8Array;
}

export interface CommitFilesInput {
  token: string;
  /** owner/name */
  repository: string;
  branch: string;
  /** The head the files were written against (GITHUB_SHA); read from the API when absent. */
  expectedHeadOid?: string;
  files: FileAddition[];
  message: { headline: string; body?: string };
  /** The GraphQL endpoint. Default: GITHUB_GRAPHQL_URL, else from GITHUB_API_URL (GitHub Enterprise Server). */
  apiUrl?: string;
  /** Where GITHUB_API_URL and GITHUB_GRAPHQL_URL are read from; default process.env. */
  env?: Record<string, string | undefined>;
  sleep?: (ms: number) => Promise<void>;
  /** Attempts in all, including the first. Default 5. */
  maxAttempts?: number;
  /** First backoff; doubles each retry. Default 1000 ms. */
  baseDelayMs?: number;
  /**
   * Called with the head's oid whenever it was read from the API and differs from expectedHeadOid,
   * before committing on it; throw to stop (e.g. when another run committed files this commit would
   * conflict with).
   */
  checkHead?: (headOid: string, client: GraphqlClient) => Promise<void>;
  fetch?: typeof fetch;
  logger?: Logger;
}

export interface CommitResult {
  oid: string;
  url: string;
  attempts: number;
}

export type CommitFailure = 'stale' | 'auth' | 'not-found' | 'graphql' | 'network' | 'conflict';

export class CommitError extends Error {
  constructor(
    message: string,
    readonly kind: CommitFailure,
    readonly attempts: number,
  ) {
    super(message);
    this.name = 'CommitError';
  }
}

interface GraphqlError {
  type?: string;
  message?: string;
}

export interface GraphqlClient {
  query<T>(query: string, variables: Record<string, unknown>): Promise<T>;
}

const STALE = /expected branch to point to|expectedHeadOid/i;
const isStale = (errors: GraphqlError[]): boolean =>
  errors.some((e) => e.type === 'STALE_DATA' || STALE.test(e.message ?? ''));

/** Errors a retry can fix: network failures, 5xx, secondary rate limits. */
class Transient extends Error {}

class GraphqlErrors extends Error {
  constructor(readonly errors: GraphqlError[]) {
    super(errors.map((e) => e.message ?? e.type ?? 'unknown error').join('; '));
  }
}

/** What @octokit/request throws for an HTTP error or an unreachable host (status 500, no response). */
interface OctokitRequestError {
  name: string;
  status: number;
  message: string;
  response?: { headers: Record<string, string | undefined> };
}
const isRequestError = (error: unknown): error is OctokitRequestError =>
  error instanceof Error &&
  error.name === 'HttpError' &&
  typeof (error as { status?: unknown }).status === 'number';

/** What @octokit/graphql throws when the response carries errors (a stale head among them). */
const graphqlErrorsOf = (error: unknown): GraphqlError[] | null =>
  error instanceof Error &&
  error.name === 'GraphqlResponseError' &&
  Array.isArray((error as { errors?: unknown }).errors)
    ? (error as unknown as { errors: GraphqlError[] }).errors
    : null;

export interface GraphqlClientOptions {
  token: string;
  /** The GraphQL endpoint; default GITHUB_GRAPHQL_URL, else derived from GITHUB_API_URL by Octokit. */
  apiUrl?: string;
  env?: Record<string, string | undefined>;
  fetch?: typeof fetch;
}

/**
 * GraphQL through @actions/github's Octokit (its proxy-aware fetch, GITHUB_API_URL as the base), with
 * errors sorted into what a retry can fix (Transient), a stale head (GraphqlErrors) and the rest (CommitError).
 */
export function graphqlClient(options: GraphqlClientOptions): GraphqlClient & { url: string } {
  const env = options.env ?? process.env;
  // The REST base: https://HOST/api/v3 on GitHub Enterprise Server.
  const baseUrl = env.GITHUB_API_URL || 'https://api.github.com';
  const endpoint = options.apiUrl ?? (env.GITHUB_GRAPHQL_URL || undefined);
  const octokit = getOctokit(options.token, {
    baseUrl,
    userAgent: 'restore-proof',
    ...(options.fetch ? { request: { fetch: options.fetch } } : {}),
  });
  // An explicit endpoint wins over the base (Octokit would send an /api/v3 base's GraphQL to /api/graphql).
  const graphql = endpoint
    ? octokit.graphql.defaults({ url: endpoint, baseUrl: originOf(endpoint) })
    : octokit.graphql;
  const url = endpoint ?? graphqlUrlOf(baseUrl);
  return {
    url,
    async query<T>(query: string, variables: Record<string, unknown>): Promise<T> {
      let data: T | undefined;
      try {
        data = await graphql<T>(query, variables);
      } catch (error) {
        const errors = graphqlErrorsOf(error);
        if (errors) throw new GraphqlErrors(errors);
        if (!isRequestError(error)) throw error;
        if (!error.response) throw new Transient(`GitHub API unreachable at ${url}: ${error.message}`);
        const { status } = error;
        if (status === 401 || status === 403) {
          const limited = error.response.headers['retry-after'] || /rate limit/i.test(error.message);
          if (limited) throw new Transient(`GitHub API rate limit (HTTP ${status})`);
          throw new CommitError(
            `GitHub API refused the token (HTTP ${status}); github-token needs contents: write`,
            'auth',
            0,
          );
        }
        if (status >= 500 || status === 429) throw new Transient(`GitHub API HTTP ${status}`);
        throw new CommitError(`GitHub API HTTP ${status}: ${error.message}`, 'graphql', 0);
      }
      if (data === undefined || data === null || typeof data !== 'object')
        throw new CommitError(`GitHub API at ${url} answered without data`, 'graphql', 0);
      return data;
    },
  };
}

function originOf(endpoint: string): string {
  try {
    return new URL(endpoint).origin;
  } catch {
    throw new CommitError(`the GraphQL endpoint ${JSON.stringify(endpoint)} is not a URL`, 'not-found', 0);
  }
}

/** Where Octokit sends GraphQL for a REST base: /api/graphql on Enterprise Server, else <base>/graphql. */
function graphqlUrlOf(baseUrl: string): string {
  return /\/api\/v3\/?$/.test(baseUrl)
    ? baseUrl.replace(/\/api\/v3\/?$/, '/api/graphql')
    : `${baseUrl.replace(/\/+$/, '')}/graphql`;
}

const HEAD_QUERY = `query($owner: String!, $name: String!, $ref: String!) {
  repository(owner: $owner, name: $name) { ref(qualifiedName: $ref) { target { oid } } }
}`;

const COMMIT_MUTATION = `mutation($input: CreateCommitOnBranchInput!) {
  createCommitOnBranch(input: $input) { commit { oid url } }
}`;

export async function readHeadOid(
  client: GraphqlClient,
  repository: string,
  branch: string,
): Promise<string> {
  const [owner, name] = repository.split('/');
  const data = await client.query<{ repository: { ref: { target: { oid: string } } | null } | null }>(
    HEAD_QUERY,
    {
      owner,
      name,
      ref: `refs/heads/${branch}`,
    },
  );
  const oid = data.repository?.ref?.target.oid;
  if (!oid) throw new CommitError(`branch ${branch} not found in ${repository}`, 'not-found', 0);
  return oid;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function commitFiles(input: CommitFilesInput): Promise<CommitResult> {
  if (!/^[^/\s]+\/[^/\s]+$/.test(input.repository)) {
    throw new CommitError(`repository ${JSON.stringify(input.repository)} is not owner/name`, 'not-found', 0);
  }
  const client = graphqlClient({
    token: input.token,
    apiUrl: input.apiUrl,
    env: input.env,
    fetch: input.fetch,
  });
  const sleep = input.sleep ?? defaultSleep;
  const maxAttempts = Math.max(1, input.maxAttempts ?? 5);
  const baseDelay = input.baseDelayMs ?? 1000;
  const additions = input.files.map((f) => ({
    path: f.path,
    contents: Buffer.from(f.contents).toString('base64'),
  }));

  let head: string | undefined = input.expectedHeadOid;
  let lastError = '';
  let lastKind: CommitFailure = 'stale';
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    try {
      if (head === undefined) {
        head = await readHeadOid(client, input.repository, input.branch);
        if (head !== input.expectedHeadOid) await input.checkHead?.(head, client);
      }
      const data = await client.query<{
        createCommitOnBranch: { commit: { oid: string; url: string } } | null;
      }>(COMMIT_MUTATION, {
        input: {
          branch: { repositoryNameWithOwner: input.repository, branchName: input.branch },
          message: input.message,
          expectedHeadOid: head,
          fileChanges: { additions },
        },
      });
      const commit = data.createCommitOnBranch?.commit;
      if (!commit) throw new CommitError('createCommitOnBranch returned no commit', 'graphql', attempt);
      input.logger?.info(
        `commit: ${commit.oid} on ${input.branch} (${additions.length} files, attempt ${attempt})`,
      );
      return { oid: commit.oid, url: commit.url, attempts: attempt };
    } catch (error) {
      if (error instanceof CommitError) throw new CommitError(error.message, error.kind, attempt);
      if (error instanceof GraphqlErrors && isStale(error.errors)) {
        lastKind = 'stale';
        lastError = `${input.branch} moved past ${head?.slice(0, 12)} (${error.message})`;
        head = undefined;
      } else if (error instanceof Transient) {
        lastKind = 'network';
        lastError = error.message;
      } else if (error instanceof GraphqlErrors) {
        throw new CommitError(`createCommitOnBranch failed: ${error.message}`, 'graphql', attempt);
      } else {
        throw error;
      }
    }
    if (attempt < maxAttempts) {
      const delay = baseDelay * 2 ** (attempt - 1);
      input.logger?.info(
        `commit: ${lastError}; retrying in ${delay} ms (attempt ${attempt + 1} of ${maxAttempts})`,
      );
      await sleep(delay);
    }
  }
  throw new CommitError(`commit failed after ${maxAttempts} attempts: ${lastError}`, lastKind, maxAttempts);
}
