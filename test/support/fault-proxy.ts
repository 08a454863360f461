/**
 * A fault-injecting HTTP proxy in front of moto_server. It forwards the RDS query protocol and, per rule,
 * fails a named action with a named error, holds restore-proof clusters and instances in a status, or
 * rewrites one element of an action's responses. In realistic mode (the `realistic` argument, or
 * RESTORE_PROOF_REALISTIC=1 in the environment for any suite) it also behaves the way AWS does where moto
 * does not: test/support/realistic-rds.ts.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { RealisticRds, requestRegion, type RealisticOptions } from './realistic-rds.js';

export interface FailRule {
  kind: 'fail';
  /** The action to fail, or '*' for every action. */
  action: string;
  code: string;
  status?: number;
  /** How many calls to fail; unlimited when absent. */
  times?: number;
  /** Start failing only once this many calls have been seen. */
  afterCalls?: number;
  /** Start failing only once this action has been seen (e.g. credentials that expire mid-drill). */
  afterAction?: string;
}

/** Answers a deterministic fraction of all calls with a Throttling error (every call that crosses a step). */
export interface ThrottleRule {
  kind: 'throttle';
  fraction: number;
}

/** Destroys the connection without an answer, for the next `times` calls of `action` ('*' for any). */
export interface DropRule {
  kind: 'drop';
  action: string;
  times: number;
}

export interface HoldRule {
  kind: 'hold';
  /** 'cluster' rewrites DescribeDBClusters, 'instance' DescribeDBInstances, for restore-proof-* resources. */
  resource: 'cluster' | 'instance';
  status: string;
}

/** Rewrites every <element>…</element> in the responses to `action` (e.g. LatestRestorableTime, which moto
 * always reports as now, or SnapshotCreateTime) to `value`: the figures moto cannot produce on its own. */
export interface RewriteRule {
  kind: 'rewrite';
  action: string;
  element: string;
  value: string;
}

export type FaultRule = FailRule | HoldRule | RewriteRule | ThrottleRule | DropRule;

export interface FaultProxy {
  endpoint: string;
  rules: FaultRule[];
  /** Actions seen, in order. */
  calls: string[];
  /** How many calls were answered with an injected fault (error, throttle or drop). */
  injected: number;
  /** The realistic-mode model, when on. */
  realistic?: RealisticRds;
  close(): Promise<void>;
}

const readBody = (req: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

/** Realistic mode from the environment: RESTORE_PROOF_REALISTIC=1 runs any suite against it. */
export const realisticFromEnv = (): RealisticOptions | undefined =>
  process.env.RESTORE_PROOF_REALISTIC === '1' ? {} : undefined;

/** POSTs an RDS query straight to moto, signed for `region` (moto reads the region from the signature). */
async function callMoto(upstream: string, params: Record<string, string>, region: string): Promise<string> {
  const res = await fetch(`${upstream}/`, {
    method: 'POST',
    body: new URLSearchParams({ Version: '2014-10-31', ...params }),
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `AWS4-HMAC-SHA256 Credential=testing/20260101/${region}/rds/aws4_request, SignedHeaders=host, Signature=0`,
    },
  });
  return res.text();
}

export async function startFaultProxy(
  upstream: string,
  rules: FaultRule[] = [],
  realistic: RealisticOptions | undefined = realisticFromEnv(),
): Promise<FaultProxy> {
  const target = new URL(upstream);
  const calls: string[] = [];
  const proxy: FaultProxy = { endpoint: '', rules, calls, injected: 0, close: async () => undefined };
  if (realistic) {
    proxy.realistic = new RealisticRds(realistic, (params, region) => callMoto(upstream, params, region));
  }
  const matches = (ruleAction: string, action: string): boolean =>
    ruleAction === '*' || ruleAction === action;
  const errorXml = (code: string, message = `injected ${code}`): string =>
    `<ErrorResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>`;
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const params = new URLSearchParams(body.toString('utf8'));
    const action = params.get('Action') ?? '';
    calls.push(action);
    const drop = proxy.rules.find(
      (r): r is DropRule => r.kind === 'drop' && matches(r.action, action) && r.times > 0,
    );
    if (drop) {
      drop.times -= 1;
      proxy.injected += 1;
      req.socket.destroy();
      return;
    }
    const throttle = proxy.rules.find((r): r is ThrottleRule => r.kind === 'throttle');
    if (
      throttle &&
      Math.floor(calls.length * throttle.fraction) > Math.floor((calls.length - 1) * throttle.fraction)
    ) {
      proxy.injected += 1;
      res.writeHead(400, { 'content-type': 'text/xml' });
      res.end(errorXml('Throttling'));
      return;
    }
    const fail = proxy.rules.find(
      (r): r is FailRule =>
        r.kind === 'fail' &&
        matches(r.action, action) &&
        (r.times ?? 1) > 0 &&
        calls.length > (r.afterCalls ?? 0) &&
        (r.afterAction === undefined || calls.slice(0, -1).includes(r.afterAction)),
    );
    if (fail) {
      if (fail.times !== undefined) fail.times -= 1;
      proxy.injected += 1;
      res.writeHead(fail.status ?? 400, { 'content-type': 'text/xml' });
      res.end(errorXml(fail.code));
      return;
    }
    const region = requestRegion(req.headers.authorization);
    const refused = await proxy.realistic?.refuse(action, params, region);
    if (refused) {
      res.writeHead(refused.status ?? 400, { 'content-type': 'text/xml' });
      res.end(errorXml(refused.code, refused.message.replace(/&/g, '&amp;').replace(/</g, '&lt;')));
      return;
    }
    const headers = { ...req.headers, host: target.host };
    delete headers['accept-encoding'];
    const upstreamReq = httpRequest(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers },
      async (upstreamRes) => {
        let out = await readBody(upstreamRes);
        if (proxy.realistic && (upstreamRes.statusCode ?? 500) < 300) {
          proxy.realistic.observe(action, params);
          out = Buffer.from(await proxy.realistic.rewrite(action, out.toString('utf8'), region));
        }
        const holdId = params.get('DBClusterIdentifier') ?? params.get('DBInstanceIdentifier') ?? '';
        for (const rule of proxy.rules) {
          if (rule.kind !== 'hold' || !holdId.startsWith('restore-proof-')) continue;
          if (rule.resource === 'cluster' && action === 'DescribeDBClusters') {
            out = Buffer.from(
              out.toString('utf8').replace(/<Status>[a-z-]+<\/Status>/g, `<Status>${rule.status}</Status>`),
            );
          }
          if (rule.resource === 'instance' && action === 'DescribeDBInstances') {
            out = Buffer.from(
              out
                .toString('utf8')
                .replace(
                  /<DBInstanceStatus>[a-z-]+<\/DBInstanceStatus>/g,
                  `<DBInstanceStatus>${rule.status}</DBInstanceStatus>`,
                ),
            );
          }
        }
        for (const rule of proxy.rules) {
          if (rule.kind !== 'rewrite' || rule.action !== action) continue;
          const element = new RegExp(`<${rule.element}>[^<]*</${rule.element}>`, 'g');
          out = Buffer.from(
            out.toString('utf8').replace(element, `<${rule.element}>${rule.value}</${rule.element}>`),
          );
        }
        const outHeaders = { ...upstreamRes.headers, 'content-length': String(out.length) };
        res.writeHead(upstreamRes.statusCode ?? 502, outHeaders);
        res.end(out);
      },
    );
    upstreamReq.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    upstreamReq.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  proxy.endpoint = `http://127.0.0.1:${port}`;
  proxy.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}
