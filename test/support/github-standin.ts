/**
 * A local stand-in for the three GitHub GraphQL operations restore-proof uses, on 127.0.0.1. It answers on
 * any path and records it, so a test can see where GITHUB_API_URL or GITHUB_GRAPHQL_URL sent a request.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCommit {
  oid: string;
  parent: string;
  headline: string;
  body?: string;
  files: Record<string, string>;
}

export class GitHubStandIn {
  head = oid('initial');
  readonly commits: RecordedCommit[] = [];
  readonly requests: {
    path?: string;
    query: string;
    variables: Record<string, unknown>;
    authorization?: string;
  }[] = [];
  /** http://127.0.0.1:<port>, once started. */
  origin = '';
  /** Report file names the tree at any head holds under the report directory. */
  treeEntries: string[] = [];
  /** Before each of the next N mutations, another push moves the branch. */
  movesBeforeCommit = 0;
  /** Statuses to answer the next requests with, before behaving normally. */
  failWith: number[] = [];
  token = 'test-token';
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(({ status, body }) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.origin = `http://127.0.0.1:${port}`;
    return `${this.origin}/graphql`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  mutations(): number {
    return this.requests.filter((r) => r.query.includes('createCommitOnBranch')).length;
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    let text = '';
    for await (const chunk of req) text += chunk;
    const { query, variables } = JSON.parse(text) as { query: string; variables: Record<string, unknown> };
    this.requests.push({ path: req.url, query, variables, authorization: req.headers.authorization });
    const status = this.failWith.shift();
    if (status) return { status, body: { message: `stand-in says ${status}` } };
    // GitHub takes either scheme; Octokit sends `token` for an installation or personal token.
    const [scheme, credential] = (req.headers.authorization ?? '').split(' ');
    if (!/^(bearer|token)$/i.test(scheme ?? '') || credential !== this.token) {
      return { status: 401, body: { message: 'Bad credentials' } };
    }
    if (query.includes('createCommitOnBranch')) return { status: 200, body: this.commit(variables) };
    if (query.includes('ref(qualifiedName')) {
      return { status: 200, body: { data: { repository: { ref: { target: { oid: this.head } } } } } };
    }
    if (query.includes('object(expression')) {
      return {
        status: 200,
        body: { data: { repository: { object: { entries: this.treeEntries.map((name) => ({ name })) } } } },
      };
    }
    return { status: 200, body: { errors: [{ message: 'unknown query' }] } };
  }

  private commit(variables: Record<string, unknown>) {
    const input = variables.input as {
      branch: { repositoryNameWithOwner: string; branchName: string };
      message: { headline: string; body?: string };
      expectedHeadOid: string;
      fileChanges: { additions: { path: string; contents: string }[] };
    };
    if (this.movesBeforeCommit > 0) {
      this.movesBeforeCommit--;
      this.head = oid(`someone else ${this.commits.length} ${this.movesBeforeCommit}`);
    }
    if (input.expectedHeadOid !== this.head) {
      return {
        data: { createCommitOnBranch: null },
        errors: [
          {
            type: 'STALE_DATA',
            path: ['createCommitOnBranch'],
            message: `Expected branch to point to "${input.expectedHeadOid}" but it did not. Pull and try again.`,
          },
        ],
      };
    }
    const files: Record<string, string> = {};
    for (const a of input.fileChanges.additions)
      files[a.path] = Buffer.from(a.contents, 'base64').toString('utf8');
    const commit: RecordedCommit = {
      oid: oid(JSON.stringify(input)),
      parent: this.head,
      headline: input.message.headline,
      body: input.message.body,
      files,
    };
    this.commits.push(commit);
    this.head = commit.oid;
    return {
      data: {
        createCommitOnBranch: {
          commit: {
            oid: commit.oid,
            url: `https://github.com/${input.branch.repositoryNameWithOwner}/commit/${commit.oid}`,
          },
        },
      },
    };
  }
}

export const oid = (seed: string): string => createHash('sha1').update(seed).digest('hex');
