/**
 * The demo: restore-proof proving a point-in-time restore on this machine in under a minute, no AWS.
 *
 * 1. a throwaway "production" PostgreSQL with WAL archiving, seeded with synthetic healthcare data, base backup;
 * 2. writes, a target time, more writes, and an accidental deletion after the target; the WAL is archived;
 * 3. the real engine (runMain, command restore-test, provider local-pitr) restores to the target, validates
 *    the copy against production as of the target, proves the deleted rows are back (a checks-file custom
 *    check), measures RTO and RPO, cleans up the copy and writes a signed report;
 * 4. runMain verify-reports over the evidence; then every process and directory is removed (try/finally).
 */
import { generateKeyPairSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { findPgBindir, makeServerDir } from '../db/local-server.js';
import { streamLogger } from '../log/logger.js';
import { hasOwnedName } from '../providers/ownership.js';
import { LocalPitrProvider } from '../providers/local-pitr/provider.js';
import { deleteCopy } from '../providers/local-pitr/copy-server.js';
import { EVIDENCE_INDEX_FILE, type Report } from '../report/model.js';
import { listReportFiles } from '../sinks/report-dir.js';
import { runMain } from '../engine/run.js';
import type { EngineIO } from '../host/io.js';
import { memoryState } from '../drill/state.js';
import {
  DEMO_SIZE,
  deleteEncounterObservations,
  seedDataset,
  writeActivity,
  type DatasetSize,
} from './dataset.js';
import { archiveCurrentWal, startProduction, takeBaseBackup, type Production } from './production.js';

export interface DemoOptions {
  size?: DatasetSize;
  /** Seconds of writes before the target time. Default 3. */
  writeSeconds?: number;
  /** Seconds of writes after the target, before the deletion. Default 1. */
  afterSeconds?: number;
  /** Parent of the demo's working directory (the postgres user must be able to traverse it). Default os.tmpdir(). */
  parentDir?: string;
  /** Copy the signed report and index here before cleaning up (the CLI's --out). */
  keepReportsIn?: string;
  /** Progress lines. Default console.log. */
  print?: (line: string) => void;
  /** Also print the engine's own log lines (indented). Default true. */
  showEngine?: boolean;
  signal?: AbortSignal;
}

export interface DemoResult {
  /** 0 when the drill passed and the evidence verified. */
  exitCode: number;
  drillExitCode: number;
  verifyExitCode: number;
  report?: Report;
  /** The encounter whose observations were deleted after the target, and how many. */
  deleted: { encounterId: number; deleted: number };
  /** Rows of that encounter left on production after the deletion (0). */
  productionRemaining: number;
  targetTime: string;
  demoDir: string;
  reportFiles: string[];
  seconds: number;
}

export const RECOVERED_CHECK = 'deleted-observations-recovered';

/** Thrown before anything is created when PostgreSQL is missing; its message says how to install it. */
export class DemoSetupError extends Error {}

const nap = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolveNap, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(signal!.reason as Error);
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolveNap();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const started = Date.now();
  const print = options.print ?? ((line: string) => console.log(line));
  const say = (line: string): void =>
    print(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${line}`);
  const size = options.size ?? DEMO_SIZE;
  const signal = options.signal ?? new AbortController().signal;
  try {
    findPgBindir();
  } catch (error) {
    throw new DemoSetupError((error as Error).message);
  }

  const parent = resolve(options.parentDir ?? tmpdir());
  const demoDir = await makeServerDir(join(parent, `restore-proof-demo-${randomBytes(4).toString('hex')}`));
  const restoresDir = await makeServerDir(join(demoDir, 'restores'));
  const reportDir = join(demoDir, 'docs', 'tests');
  let production: Production | undefined;
  let client: pg.Client | undefined;
  try {
    say('1/4 starting a throwaway "production" PostgreSQL with WAL archiving (archive_command)');
    production = await startProduction(demoDir);
    client = new pg.Client({ connectionString: production.url });
    client.on('error', () => undefined);
    await client.connect();
    const rows = await seedDataset(client, size);
    say(
      `      seeded ${rows.toLocaleString('en-US')} rows of synthetic healthcare data (patients, encounters, observations, append-only audit_log; no real PHI)`,
    );
    const backupName = `base-${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)}Z`;
    await takeBaseBackup(production, backupName);
    say(`      base backup taken with pg_basebackup: ${join(production.backupDir, backupName)}`);

    say(
      `2/4 production keeps writing for ${options.writeSeconds ?? 3}s (new encounters, observations, audit entries)`,
    );
    let n = 0;
    const write = async (seconds: number): Promise<void> => {
      const until = Date.now() + seconds * 1000;
      while (Date.now() < until) {
        if (signal.aborted) throw signal.reason as Error;
        await writeActivity(client!, size.patients, n++);
        await nap(15, signal);
      }
    };
    await write(options.writeSeconds ?? 3);
    await nap(20, signal); // the target lies strictly after the last commit before it, at millisecond precision
    const { rows: now } = await client.query<{ t: Date }>('select clock_timestamp() as t');
    const target = new Date(now[0]!.t);
    await nap(20, signal);
    say(
      `      target time ${target.toISOString()} (after ${n} transactions); the drill restores to this instant`,
    );
    await write(options.afterSeconds ?? 1);
    const victim = 1 + Math.floor(size.patients / 2) * size.encountersPerPatient;
    const deleted = await deleteEncounterObservations(client, victim);
    say(
      `      accidental deletion after the target: ${deleted.deleted} observations of encounter ${victim} deleted on production`,
    );
    const segment = await archiveCurrentWal(client, signal);
    say(`      WAL switched and archived through ${segment}: the archive now covers the deletion`);

    const checksFile = join(demoDir, 'checks.yml');
    await writeFile(
      checksFile,
      [
        'version: 1',
        'checks:',
        `  - name: ${RECOVERED_CHECK}`,
        `    query: select count(*) from public.observations where encounter_id = ${victim}`,
        `    expect: { equals: ${deleted.deleted} }`,
        '',
      ].join('\n'),
    );
    const signingKey = generateKeyPairSync('ed25519')
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();

    say(
      '3/4 point-in-time restore drill: restore-proof restore-test --provider local-pitr (the engine the action runs)',
    );
    const engineLog = streamLogger((line) => {
      if (options.showEngine !== false) print(`        ${line}`);
    });
    const io = (inputs: EngineIO['inputs']): EngineIO => ({
      inputs,
      env: {},
      state: memoryState(),
      logger: engineLog,
      setOutput: () => undefined,
      annotate: (level, message) => engineLog[level](message),
    });
    const drillExitCode = await runMain(
      io({
        command: 'restore-test',
        provider: 'local-pitr',
        'backup-dir': production.backupDir,
        'wal-archive-dir': production.archiveDir,
        'source-url': production.url,
        'restore-type': 'point-in-time',
        'restore-time': target.toISOString(),
        'ssl-mode': 'disable',
        'checks-file': checksFile,
        'report-dir': reportDir,
        'signing-key': signingKey,
        cadence: 'demo',
        'max-restore-minutes': '5',
        'max-data-loss-minutes': '1',
        'timeout-minutes': '5',
      }),
      { signal, provider: () => new LocalPitrProvider({ workDir: restoresDir }) },
    );

    const reportFiles = (await listReportFiles(reportDir)).map((f) => join(reportDir, f));
    const newest = reportFiles[reportFiles.length - 1];
    const report = newest ? (JSON.parse(await readFile(newest, 'utf8')) as Report) : undefined;
    const { rows: left } = await client.query<{ n: string }>(
      'select count(*) as n from observations where encounter_id = $1',
      [victim],
    );
    const productionRemaining = Number(left[0]!.n);
    if (report) {
      const recovered = report.checks.find((c) => c.id === `custom:${RECOVERED_CHECK}`);
      const { rto, rpo } = report.objectives;
      say(
        `      verdict ${report.result.toUpperCase()}: ${report.totals.passed} checks passed, ${report.totals.warned} warned, ${report.totals.failed + report.totals.errored} failed`,
      );
      say(
        `      deleted rows: ${productionRemaining} left on production, ${recovered?.measured ?? '?'} in the copy as of the target (${recovered?.status ?? 'not run'})`,
      );
      say(
        `      RTO ${rto.measuredSeconds ?? '?'}s (objective ${rto.targetSeconds}s), RPO ${rpo.measuredSeconds ?? '?'}s (objective ${rpo.targetSeconds}s)`,
      );
    } else {
      say('      no report was written');
    }

    say('4/4 signed evidence');
    for (const file of [...reportFiles, ...reportFiles.map((f) => f.replace(/\.json$/, '.md'))])
      say(`      ${file}`);
    say(`      ${join(reportDir, EVIDENCE_INDEX_FILE)} (the docs/tests index)`);
    const verifyExitCode = await runMain(io({ command: 'verify-reports', 'report-dir': reportDir }));
    say(
      `      verify-reports: ${verifyExitCode === 0 ? 'every report signed, chained and intact' : 'FAILED'}`,
    );
    if (options.keepReportsIn) {
      const keep = resolve(options.keepReportsIn);
      await mkdir(keep, { recursive: true });
      await cp(reportDir, keep, { recursive: true });
      say(`      kept a copy of the evidence in ${keep}`);
    }
    return {
      exitCode: drillExitCode === 0 && verifyExitCode === 0 ? 0 : 1,
      drillExitCode,
      verifyExitCode,
      report,
      deleted,
      productionRemaining,
      targetTime: target.toISOString(),
      demoDir,
      reportFiles,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    await client?.end().catch(() => undefined);
    await production?.server.stop().catch(() => undefined);
    // A copy left behind by an interrupted drill: stop it and remove it (only restore-proof-<run> names).
    for (const name of existsSync(restoresDir) ? await readdir(restoresDir) : []) {
      if (!hasOwnedName(name)) continue;
      await deleteCopy(join(restoresDir, name), name.slice('restore-proof-'.length)).catch(() => undefined);
    }
    await rm(demoDir, { recursive: true, force: true });
    say(
      `cleaned up: production stopped, ${demoDir} removed (${((Date.now() - started) / 1000).toFixed(1)}s in all)`,
    );
  }
}
