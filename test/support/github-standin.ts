/**
 * A local stand-in for the GitHub GraphQL operations restore-proof uses (a ref's head, a tree's entries with
 * their text, createRef, createCommitOnBranch), on 127.0.0.1. It keeps branches and the files of every
 * commit, so a test can see which branch a commit landed on and what a later run reads back. It answers on
 * any path and records it, so a test can see where GITHUB_API_URL or GITHUB_GRAPHQL_URL sent a request.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCommit {
  oid: string;
  branch: string;
  parent: string;
  headline: string;
  body?: string;
  files: Record<string, string>;
}

export class GitHubStandIn {
  /** Branch name to head commit. The default branch is main. */
  readonly refs = new Map<string, string>([['main', oid('initial')]]);
  /** Every commit's whole tree: path to text. */
  readonly trees = new Map<string, Record<string, string>>([[oid('initial'), {}]]);
  readonly repositoryId = 'R_standin';
  readonly commits: RecordedCommit[] = [];
  /** Refs created through createRef, in order. */
  readonly createdRefs: { name: string; oid: string }[] = [];
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
  /** Runs just before the next createRef is answered (another run creating the same branch first). */
  beforeCreateRef?: () => void;
  /** Statuses to answer the next requests with, before behaving normally. */
  failWith: number[] = [];
  token = 'test-token';
  private server?: Server;

  /** The head of main. */
  get head(): string {
    return this.refs.get('main')!;
  }
  set head(value: string) {
    this.refs.set('main', value);
    if (!this.trees.has(value)) this.trees.set(value, {});
  }

  /** Puts files in the tree of a branch's head (as if it had been pushed that way). */
  seed(branch: string, files: Record<string, string>): void {
    const head = this.refs.get(branch)!;
    this.trees.set(head, { ...this.trees.get(head), ...files });
  }

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
    if (query.includes('createRef')) return { status: 200, body: this.createRef(variables) };
    if (query.includes('ref(qualifiedName')) {
      const name = String(variables.ref).replace(/^refs\/heads\//, '');
      const head = this.refs.get(name);
      const ref = head ? { target: { oid: head } } : null;
      return { status: 200, body: { data: { repository: { id: this.repositoryId, ref } } } };
    }
    if (query.includes('object(expression')) {
      const [commit = '', dir = ''] = String(variables.expression).split(':');
      const tree = this.trees.get(commit) ?? {};
      const prefix = dir ? `${dir.replace(/\/+$/, '')}/` : '';
      const entries = Object.entries(tree)
        .filter(([path]) => path.startsWith(prefix) && !path.slice(prefix.length).includes('/'))
        .map(([path, text]) => ({
          name: path.slice(prefix.length),
          type: 'blob',
          object: { text, isBinary: false, isTruncated: false },
        }));
      for (const name of this.treeEntries) entries.push({ name, type: 'blob', object: null as never });
      const object = this.trees.has(commit) || this.treeEntries.length > 0 ? { entries } : null;
      return { status: 200, body: { data: { repository: { object } } } };
    }
    return { status: 200, body: { errors: [{ message: 'unknown query' }] } };
  }

  private createRef(variables: Record<string, unknown>) {
    const input = variables.input as { repositoryId: string; name: string; oid: string };
    const name = input.name.replace(/^refs\/heads\//, '');
    const before = this.beforeCreateRef;
    this.beforeCreateRef = undefined;
    before?.();
    if (input.repositoryId !== this.repositoryId)
      return {
        data: { createRef: null },
        errors: [{ type: 'NOT_FOUND', message: 'Could not resolve to a node' }],
      };
    if (this.refs.has(name))
      return {
        data: { createRef: null },
        errors: [
          { type: 'UNPROCESSABLE', message: `A ref named "${input.name}" already exists in the repository.` },
        ],
      };
    if (!this.trees.has(input.oid))
      return {
        data: { createRef: null },
        errors: [{ type: 'UNPROCESSABLE', message: 'Object does not exist' }],
      };
    this.refs.set(name, input.oid);
    this.createdRefs.push({ name: input.name, oid: input.oid });
    return { data: { createRef: { ref: { name: input.name, target: { oid: input.oid } } } } };
  }

  private commit(variables: Record<string, unknown>) {
    const input = variables.input as {
      branch: { repositoryNameWithOwner: string; branchName: string };
      message: { headline: string; body?: string };
      expectedHeadOid: string;
      fileChanges: { additions: { path: string; contents: string }[] };
    };
    const branch = input.branch.branchName;
    const current = this.refs.get(branch);
    if (current === undefined) {
      return {
        data: { createCommitOnBranch: null },
        errors: [{ type: 'NOT_FOUND', message: `A ref named "refs/heads/${branch}" does not exist.` }],
      };
    }
    if (this.movesBeforeCommit > 0) {
      this.movesBeforeCommit--;
      const moved = oid(`someone else ${this.commits.length} ${this.movesBeforeCommit}`);
      this.trees.set(moved, this.trees.get(current) ?? {});
      this.refs.set(branch, moved);
    }
    const head = this.refs.get(branch)!;
    if (input.expectedHeadOid !== head) {
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
      branch,
      parent: head,
      headline: input.message.headline,
      body: input.message.body,
      files,
    };
    this.commits.push(commit);
    this.trees.set(commit.oid, { ...this.trees.get(head), ...files });
    this.refs.set(branch, commit.oid);
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
