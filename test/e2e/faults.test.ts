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
import { useDrillServers } from '../support/drill-servers.js';
import type { FaultRule } from '../support/fault-proxy.js';
import { runStep, type StepOptions, type StepResult } from '../support/runner.js';
import { tempDir } from '../support/temp-dir.js';
import { interruptWhenRecorded } from '../support/wait-for.js';

// Production is a server of its own (the lagging-restorable-time drill pins against it).
const servers = useDrillServers({ production: true });
let passwordServer: LocalServer;
let rds: RDSClient;
let closedPort: number;
const outcomes: string[][] = [];

beforeAll(async () => {
  passwordServer = await LocalServer.create();
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
  await passwordServer?.destroy();
});

beforeEach(async () => {
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

/** Main ran to its end: its exit code, and what its report says. */
interface Finished {
  code: 0 | 1 | 3 | 130;
  /** The report's error (a function when it names something only known once the servers run). */
  error?: RegExp | (() => RegExp);
  cleanup?: string;
  check?: [string, string];
  /** Main's output shows what it was doing when the fault struck. */
  stdout?: RegExp;
}

/** Main was SIGKILLed once it had created these (no exit code, no report): post alone deletes them. */
interface Killed {
  killed: ('cluster' | 'instance')[];
}

interface Fault {
  name: string;
  rules?: FaultRule[];
  inputs?: Record<string, string>;
  expect: Finished | Killed;
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

  // Which branch is the fault's to say, never the run's: a drill that should finish and was killed fails here.
  if ('killed' in fault.expect) {
    expect(main.signal).toBe('SIGKILL');
    expect(main.code).toBeNull();
    expect(written).toBeUndefined();
    expect(afterMain.map((r) => r.split(' ')[0]).sort()).toEqual(fault.expect.killed);
    // Post names and deletes every one of them.
    for (const left of afterMain) expect(post.stdout).toContain(left);
    expect(post.stdout).toMatch(/post: cleaning up run /);
  } else {
    const { code, error, cleanup, check, stdout } = fault.expect;
    if (main.code !== code) process.stdout.write(`main step output:\n${main.stdout}\n${main.stderr}\n`);
    expect(main.signal).toBeNull();
    expect(main.code).toBe(code);
    expect(written).toBeDefined();
    expect(written!.result).toBe(code === 0 ? 'pass' : code === 130 ? 'cancelled' : 'fail');
    if (code === 0) expect(written!.error).toBeNull();
    if (error) expect(written!.error).toMatch(typeof error === 'function' ? error() : error);
    if (cleanup) expect(written!.cleanup.status).toBe(cleanup);
    if (check) expect(written!.checks.find((c) => c.id === check[0])?.status).toBe(check[1]);
    if (stdout) expect(main.stdout).toMatch(stdout);
  }
  expect(post.code).toBe(0);
  expect(afterPost).toEqual([]);
  expect(await sourceFingerprint(rds)).toBe(before);
}

/**
 * Runs main and, once it has recorded `kind`, sends the runner's signals (or SIGKILL outright); fails,
 * naming what it waited for, when main never recorded it.
 */
function interrupted(kind: 'cluster' | 'instance', how: 'cancel' | 'kill') {
  return async (base: StepOptions): Promise<StepResult> => {
    const { onSpawn, signalled } = interruptWhenRecorded(kind, how);
    const result = await runStep('main', { ...base, onSpawn });
    await signalled;
    return result;
  };
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
    // Either deadline may be seen first (the drill's and its wait's are the same instant): both say what timed out.
    expect: {
      code: 3,
      error:
        /^(timed out after timeout-minutes 0\.25|timed out waiting for cluster restore-proof-[a-z0-9-]+ \(last status creating, after \d+s\))$/,
      stdout: /cluster restore-proof-[a-z0-9-]+: creating/,
    },
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
    // Not any timeout: the copy's database, its endpoint, and that nothing answered there.
    expect: {
      code: 3,
      error: () => {
        const at = `127\\.0\\.0\\.1:${closedPort}`;
        return new RegExp(
          `^(timed out after timeout-minutes 0\\.15: )?the copy's database 'app' at ${at} was unreachable for \\d+s: ` +
            `cannot connect to postgres@${at}/app \\(ssl-mode disable\\): connect ECONNREFUSED ${at}$`,
        );
      },
    },
  },
  {
    name: 'authentication refused',
    main: (base) =>
      runStep('main', { ...base, inputs: { ...base.inputs, 'restored-port': String(passwordServer.port) } }),
    expect: { code: 3, error: /still refuses the drill's new password .*password authentication failed/ },
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
    expect: { killed: ['cluster', 'instance'] },
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
        inputs: { ...base.inputs, 'timeout-minutes': '0.25', 'production-url': servers.productionUrl() },
      }),
    // Timed out while waiting for the source to become restorable past production's pinned instant.
    expect: {
      code: 3,
      error:
        /^(timed out after timeout-minutes 0\.25|timed out waiting for source prod-db restorable past \S+ \(last status latest restorable 2026-01-01T00:00:00\.000Z)/,
      stdout: /source prod-db restorable past \S+: latest restorable 2026-01-01T00:00:00\.000Z/,
    },
  },
];

test.each(FAULTS.map((f) => [f.name, f] as const))('%s', async (_name, fault) => {
  await drill(fault);
});

test('two drills on the same source at once', async () => {
  const before = await sourceFingerprint(rds);
  const both = [inputs(), inputs()];
  const [a, b] = await Promise.all(both.map((i) => runStep('main', { inputs: i, env: env() })));
  const left = await leftovers(rds);
  const reports = both.map((i) => report(i['report-dir']!));
  outcomes.push([
    'two drills on the same source at once',
    `${a!.code}/${b!.code}`,
    `${a!.outputs.result}/${b!.outputs.result}`,
    reports.map((r) => (r ? 'yes' : 'no')).join('/'),
    reports.map((r) => (r?.error ? 'yes' : 'no')).join('/'),
    String(left.length),
    String(left.length),
  ]);
  expect([a!.code, b!.code]).toEqual([0, 0]);
  expect(reports.map((r) => r?.result)).toEqual(['pass', 'pass']);
  expect(a!.outputs['restored-cluster']).not.toBe(b!.outputs['restored-cluster']);
  expect(left).toEqual([]);
  expect(await sourceFingerprint(rds)).toBe(before);
});
