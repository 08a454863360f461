import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RECOVERED_CHECK, runDemo } from '../../../src/demo/run-demo.js';

const SMALL = { patients: 400, encountersPerPatient: 2, observationsPerEncounter: 4 };

/** Command lines of running processes that mention the directory (a postgres -D <dir>/..., its children). */
const processesUnder = (dir: string): string[] =>
  execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes(dir));

let parent: string;
beforeEach(() => {
  parent = mkdtempSync(join(tmpdir(), 'restore-proof-demo-test-'));
  chmodSync(parent, 0o755); // the postgres user must reach the demo directory inside it
});
afterEach(() => {
  rmSync(parent, { recursive: true, force: true });
});

test('the demo restores to the target, recovers the deleted rows, verifies its evidence and leaves nothing behind', async () => {
  const lines: string[] = [];
  const result = await runDemo({
    size: SMALL,
    writeSeconds: 1,
    afterSeconds: 0.5,
    parentDir: parent,
    print: (line) => lines.push(line),
  });
  const output = lines.join('\n');
  if (result.drillExitCode !== 0) console.log(output);
  expect(result.drillExitCode).toBe(0);
  expect(result.verifyExitCode).toBe(0);
  expect(result.exitCode).toBe(0);
  expect(result.report?.result).toBe('pass');
  expect(result.report?.provider).toBe('local-pitr');
  expect(result.report?.restore.targetTime).toBe(result.targetTime);
  expect(result.report?.signature).not.toBeNull();

  // the rows deleted after the target are gone on production and present in the copy
  expect(result.deleted.deleted).toBe(SMALL.observationsPerEncounter);
  expect(result.productionRemaining).toBe(0);
  const recovered = result.report!.checks.find((c) => c.id === `custom:${RECOVERED_CHECK}`);
  expect(recovered).toMatchObject({ status: 'pass', measured: result.deleted.deleted });
  expect(result.report!.objectives.rto.met).toBe(true);
  expect(result.report!.objectives.rpo.met).toBe(true);
  expect(result.report!.restore.phases.map((p) => p.name)).toEqual(
    expect.arrayContaining(['restore', 'recovery', 'first-query']),
  );
  expect(result.report!.cleanup.status).toBe('deleted');

  // progress lines, the evidence printed, then everything removed
  expect(output).toMatch(/1\/4 .*\n[\s\S]*2\/4 [\s\S]*3\/4 [\s\S]*4\/4 /);
  expect(output).toContain('README.md (the docs/tests index)');
  expect(output).toMatch(/verify-reports: every report signed, chained and intact/);
  expect(result.reportFiles).toHaveLength(1);
  expect(existsSync(result.demoDir)).toBe(false);
  expect(readdirSync(parent)).toEqual([]);
  expect(processesUnder(parent)).toEqual([]);
}, 120_000);

test('cancelled while the copy recovers, the demo still stops every server and removes every directory', async () => {
  const controller = new AbortController();
  const lines: string[] = [];
  const run = runDemo({
    size: SMALL,
    writeSeconds: 0.5,
    afterSeconds: 0.2,
    parentDir: parent,
    signal: controller.signal,
    print: (line) => {
      lines.push(line);
      if (/replaying archived WAL/.test(line)) controller.abort(new Error('interrupted (test)'));
    },
  });
  const result = await run.catch((error: Error) => error);
  if (!(result instanceof Error)) {
    expect(result.exitCode).toBe(1);
    expect(result.report?.error ?? '').toMatch(/cancelled/);
  }
  expect(lines.some((l) => /replaying archived WAL/.test(l))).toBe(true);
  expect(lines.some((l) => /cleanup: local-server .*restore-proof-\S+ deleted/.test(l))).toBe(true);
  expect(readdirSync(parent)).toEqual([]);
  expect(processesUnder(parent)).toEqual([]);
}, 120_000);
