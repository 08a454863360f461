/**
 * Fault injection: the built action runs whole drills against moto through the fault proxy while calls are
 * throttled, failed, held, dropped, lagged or cancelled. Every drill must end with the right exit code, a
 * report written (with the error when it failed), and no restore-proof resource left once the post step ran.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { RDSClient } from '@aws-sdk/client-rds';
import { LocalServer } from '../../src/db/local-server.js';
import {
  createSourceCluster,
  leftovers,
  motoClient,
  REGION,
  sourceFingerprint,
} from '../support/aurora-fixture.js';
import { startDrillServers, type DrillServers } from '../support/drill-servers.js';
import type { FaultRule } from '../support/fault-proxy.js';
import { parseFileCommands, runStep, type StepOptions, type StepResult } from '../support/runner.js';
import { tempDir } from '../support/temp-dir.js';

let servers: DrillServers;
let passwordServer: LocalServer;
let rds: RDSClient;
let closedPort: number;
const outcomes: string[][] = [];

beforeAll(async () => {
  [servers, passwordServer] = await Promise.all([startDrillServers(), LocalServer.create()]);
  // A server that refuses the drill's password: every TCP login needs a password it does not know.
  writeFileSync(
    join(passwordServer.dataDir, 'pg_hba.conf'),
    'local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n',
  );
  await passwordServer.start();
  const c = new pg.Client({
    host: passwordServer.options.runDir,
    port: passwordServer.port,
    user: 'postgres',
  });
  await c.connect();
  await c.query('create database app');
  await c.end();
  const spare = await LocalServer.create();
  await spare.start();
  closedPort = spare.port;
  await spare.destroy(); // a port where nothing listens any more
  rds = motoClient(servers.moto.endpoint);
});

afterAll(async () => {
  const header = [
    'fault',
    'exit',
    'result',
    'report written',
    'error in report',
    'left after main',
    'left after post',
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...outcomes.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const table = [line(header), line(widths.map((w) => '-'.repeat(w))), ...outcomes.map(line)];
  const leftoverDrills = outcomes.filter((r) => r[6] !== '0').length;
  const reports = outcomes.filter((r) => r[3] === 'yes').length;
  process.stdout.write(
    `\nfault injection: ${outcomes.length} faults tried, ${leftoverDrills} drills with leftovers, ${reports} reports written\n${table.join('\n')}\n`,
  );
  await Promise.all([servers?.stop(), passwordServer?.destroy()]);
});

beforeEach(async () => {
  await servers.reset();
  await createSourceCluster(rds);
});

const env = (): NodeJS.ProcessEnv => servers.env();

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'source-cluster': 'prod-db',
    'aws-region': REGION,
    'restored-host': '127.0.0.1',
    'restored-port': String(servers.server.port),
    'ssl-mode': 'disable',
    'timeout-minutes': '1',
    'report-dir': tempDir('faults'),
    ...extra,
  };
}

interface Fault {
  name: string;
  rules?: FaultRule[];
  inputs?: Record<string, string>;
  expect: { code: 0 | 1 | 3 | 130; error?: RegExp; cleanup?: string; check?: [string, string] };
  /** Drive main differently (signals, kills). */
  main?: (base: StepOptions) => Promise<StepResult>;
  /** Lift the fault before the post step (credentials refreshed, API back). */
  liftBeforePost?: boolean;
}

interface WrittenReport {
  result: string;
  error: string | null;
  cleanup: { status: string };
  checks: { id: string; status: string }[];
}

function report(dir: string): WrittenReport | undefined {
  const json = readdirSync(dir).find((f) => f.endsWith('.json'));
  return json ? JSON.parse(readFileSync(join(dir, json), 'utf8')) : undefined;
}

async function drill(fault: Fault): Promise<void> {
  servers.proxy.rules.push(...(fault.rules ?? []));
  const before = await sourceFingerprint(rds);
  const base: StepOptions = { inputs: inputs(fault.inputs), env: env() };
  const main = await (fault.main ?? ((o: StepOptions) => runStep('main', o)))(base);
  const afterMain = await leftovers(rds);
  if (fault.liftBeforePost) servers.proxy.rules.length = 0;
  const post = await runStep('post', { inputs: base.inputs, env: env(), state: main.state });
  const afterPost = await leftovers(rds);
  const written = report(base.inputs!['report-dir']!);
  outcomes.push([
    fault.name,
    String(main.code ?? main.signal),
    main.outputs.result ?? '-',
    written ? 'yes' : 'no',
    written?.error ? 'yes' : 'no',
    String(afterMain.length),
    String(afterPost.length),
  ]);

  if (main.signal !== 'SIGKILL') {
    expect(main.code).toBe(fault.expect.code);
    expect(written).toBeDefined();
    expect(written!.result).toBe(
      fault.expect.code === 0 ? 'pass' : fault.expect.code === 130 ? 'cancelled' : 'fail',
    );
    if (fault.expect.error) expect(written!.error ?? '').toMatch(fault.expect.error);
    if (fault.expect.cleanup) expect(written!.cleanup.status).toBe(fault.expect.cleanup);
    if (fault.expect.check) {
      const [id, status] = fault.expect.check;
      expect(written!.checks.find((c) => c.id === id)?.status).toBe(status);
    }
  }
  expect(post.code).toBe(0);
  expect(afterPost).toEqual([]);
  expect(await sourceFingerprint(rds)).toBe(before);
}

/** Runs main and, once it has recorded `kind`, sends the runner's signals (or SIGKILL outright). */
function interrupted(kind: 'cluster' | 'instance', how: 'cancel' | 'kill') {
  return (base: StepOptions): Promise<StepResult> =>
    runStep('main', {
      ...base,
      onSpawn: (child, files) => {
        void (async () => {
          for (let i = 0; i < 400; i++) {
            const state = parseFileCommands(readFileSync(files.state, 'utf8'));
            if (state.resources?.includes(`"${kind}"`)) break;
            await new Promise((r) => setTimeout(r, 25));
          }
          if (how === 'kill') return void child.kill('SIGKILL');
          child.kill('SIGINT');
          const term = setTimeout(() => child.kill('SIGTERM'), 7_500);
          const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
          child.on('exit', () => [term, kill].forEach(clearTimeout));
        })();
      },
    });
}

const FAULTS: Fault[] = [
  { name: 'throttling on 30% of calls', rules: [{ kind: 'throttle', fraction: 0.3 }], expect: { code: 0 } },
  {
    name: '5xx burst (4 x 503)',
    rules: [{ kind: 'fail', action: '*', code: 'ServiceUnavailable', status: 503, times: 4 }],
    expect: { code: 0 },
  },
  {
    name: 'connections dropped (3 calls)',
    rules: [{ kind: 'drop', action: '*', times: 3 }],
    expect: { code: 0 },
  },
  {
    name: 'RestoreDBClusterToPointInTime fails',
    rules: [
      { kind: 'fail', action: 'RestoreDBClusterToPointInTime', code: 'InsufficientDBClusterCapacityFault' },
    ],
    expect: { code: 3, error: /InsufficientDBClusterCapacityFault/ },
  },
  {
    name: 'RestoreDBClusterFromSnapshot fails',
    rules: [
      { kind: 'fail', action: 'RestoreDBClusterFromSnapshot', code: 'InvalidDBClusterSnapshotStateFault' },
    ],
    inputs: { 'restore-type': 'snapshot' },
    expect: { code: 3, error: /InvalidDBClusterSnapshotStateFault/ },
  },
  {
    name: 'CreateDBInstance: InsufficientDBInstanceCapacity',
    rules: [{ kind: 'fail', action: 'CreateDBInstance', code: 'InsufficientDBInstanceCapacity' }],
    expect: { code: 3, error: /InsufficientDBInstanceCapacity/ },
  },
  {
    name: 'cluster stuck in creating past timeout-minutes',
    rules: [{ kind: 'hold', resource: 'cluster', status: 'creating' }],
    inputs: { 'timeout-minutes': '0.25' },
    expect: { code: 3, error: /timed out after timeout-minutes 0\.25/ },
  },
  {
    name: 'instance ends in a failed state',
    rules: [{ kind: 'hold', resource: 'instance', status: 'failed' }],
    expect: { code: 3, error: /entered state failed/ },
  },
  {
    name: 'database unreachable',
    inputs: { 'timeout-minutes': '0.15' },
    main: (base) =>
      runStep('main', { ...base, inputs: { ...base.inputs, 'restored-port': String(closedPort) } }),
    expect: { code: 3, error: /timed out|first query|ECONNREFUSED/ },
  },
  {
    name: 'authentication refused',
    main: (base) =>
      runStep('main', { ...base, inputs: { ...base.inputs, 'restored-port': String(passwordServer.port) } }),
    expect: { code: 3, error: /password authentication failed/ },
  },
  {
    name: 'a check query erroring',
    main: (base) => {
      const file = join(tempDir('checks'), 'checks.yml');
      writeFileSync(
        file,
        'checks:\n  - name: broken\n    query: select count(*) from no_such_table\n    expect: { equals: 0 }\n',
      );
      return runStep('main', { ...base, inputs: { ...base.inputs, 'checks-file': file } });
    },
    expect: { code: 1, check: ['custom:broken', 'error'] },
  },
  {
    name: 'runner cancel mid-wait (SIGINT, SIGTERM, SIGKILL), then post',
    rules: [{ kind: 'hold', resource: 'cluster', status: 'creating' }],
    main: interrupted('cluster', 'cancel'),
    expect: { code: 130, error: /cancelled/ },
  },
  {
    name: 'main killed outright, post alone',
    rules: [{ kind: 'hold', resource: 'instance', status: 'creating' }],
    main: interrupted('instance', 'kill'),
    liftBeforePost: true,
    expect: { code: 1 },
  },
  {
    name: 'a delete call failing once',
    rules: [{ kind: 'fail', action: 'DeleteDBCluster', code: 'AccessDenied', status: 403, times: 1 }],
    expect: { code: 1, cleanup: 'failed' },
  },
  {
    name: 'credentials expiring mid-drill',
    rules: [
      { kind: 'fail', action: '*', code: 'ExpiredToken', status: 400, afterAction: 'CreateDBInstance' },
    ],
    liftBeforePost: true,
    expect: { code: 3, error: /ExpiredToken/ },
  },
  {
    name: 'LatestRestorableTime lagging past the timeout',
    rules: [
      {
        kind: 'rewrite',
        action: 'DescribeDBClusters',
        element: 'LatestRestorableTime',
        value: '2026-01-01T00:00:00Z',
      },
    ],
    main: (base) =>
      runStep('main', {
        ...base,
        inputs: { ...base.inputs, 'timeout-minutes': '0.25', 'production-url': servers.server.url('app') },
      }),
    expect: { code: 3, error: /timed out/ },
  },
];

test.each(FAULTS.map((f) => [f.name, f] as const))('%s', async (_name, fault) => {
  await drill(fault);
});

test('two drills on the same source at once', async () => {
  const before = await sourceFingerprint(rds);
  const [a, b] = await Promise.all([
    runStep('main', { inputs: inputs(), env: env() }),
    runStep('main', { inputs: inputs(), env: env() }),
  ]);
  const left = await leftovers(rds);
  outcomes.push([
    'two drills on the same source at once',
    `${a.code}/${b.code}`,
    `${a.outputs.result}/${b.outputs.result}`,
    'yes',
    'no',
    String(left.length),
    String(left.length),
  ]);
  expect([a.code, b.code]).toEqual([0, 0]);
  expect(a.outputs['restored-cluster']).not.toBe(b.outputs['restored-cluster']);
  expect(left).toEqual([]);
  expect(await sourceFingerprint(rds)).toBe(before);
});
