import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runMain } from '../../../src/engine/run.js';
import { writeRetraction } from '../../../src/sinks/chain-documents.js';
import { verifyReportDir } from '../../../src/sinks/report-dir.js';
import { writeReport } from '../../../src/sinks/report-files.js';
import { loadSigningKey } from '../../../src/report/signing.js';
import { passingOutcome } from '../../fixtures/report/outcomes.js';
import { TABLETOP_YAML } from '../../fixtures/report/sample-year.js';
import { GitHubStandIn } from '../../support/github-standin.js';
import { memoryIO } from '../../support/memory-io.js';
import { testKey, workspace } from '../../support/report-keys.js';

const at = (iso: string) => () => new Date(iso);

/** The drill's outcome moved to a day of the year (its phases keep their own times: only the dates matter here). */
const drillOn = (startedAt: string) => ({
  ...passingOutcome,
  startedAt,
  finishedAt: new Date(Date.parse(startedAt) + 30 * 60_000).toISOString(),
});

describe('the whole plan: record-exercise, a drill report, annual-report', () => {
  function setUp() {
    const { root, dir } = workspace();
    const exerciseFile = join(root, 'tabletop.yml');
    writeFileSync(exerciseFile, TABLETOP_YAML);
    const env = { GITHUB_WORKSPACE: root };
    const inputs = { 'report-dir': dir, 'signing-key': testKey };
    return { root, dir, exerciseFile, env, inputs };
  }

  it('chains, signs and verifies every document, fills the index and writes annual-<year>.md', async () => {
    const { root, dir, exerciseFile, env, inputs } = setUp();

    const record = memoryIO(
      { ...inputs, command: 'record-exercise', 'exercise-file': exerciseFile },
      { env },
    );
    expect(await runMain(record, { now: at('2026-06-15T10:00:00Z') })).toBe(0);
    expect(record.outputs.result).toBe('pass');
    const recordMd = readFileSync(record.outputs['report-path']!, 'utf8');
    expect(recordMd).toContain('restore-proof verify-reports --report-dir docs/tests');
    expect(recordMd).not.toContain(root);

    await writeReport({
      plan: { reportDir: dir, signingKey: testKey },
      outcome: drillOn('2026-06-20T03:00:00.000Z'),
      env,
      now: new Date('2026-06-20T03:31:00Z'),
    });

    const verified = await verifyReportDir(dir);
    expect(verified.ok).toBe(true);
    expect(verified.reports.map((r) => r.status)).toEqual(['verified', 'verified']);
    const [exerciseJson, drillJson] = readdirSync(dir).filter((n) => n.endsWith('.json'));
    expect(exerciseJson).toMatch(/^2026-06-15T100000Z-exercise-tabletop\.json$/);
    expect(JSON.parse(readFileSync(join(dir, drillJson!), 'utf8')).previous.file).toBe(exerciseJson);

    const index = readFileSync(join(dir, 'README.md'), 'utf8');
    expect(index).toMatch(
      /\| Tabletop Exercise \| Semi-annually \| 2026-06-12 \(\[record\]\(2026-06-15T100000Z-exercise-tabletop\.md\)\) \| pass \| passed on time/,
    );
    expect(index).toContain('## Exercises');
    expect(index).toContain('Each report is a signed JSON file');

    const annual = memoryIO({ ...inputs, command: 'annual-report', year: '2026' }, { env });
    expect(await runMain(annual, { now: at('2027-01-15T09:00:00Z') })).toBe(0);
    const page = readFileSync(join(dir, 'annual-2026.md'), 'utf8');
    expect(page).toContain('# Annual B/DR test report: 2026');
    expect(page).toContain('1 drill report and 1 exercise');
    expect(page).toContain('all 2 documents hold');
    expect(page).not.toContain(root);

    const verifyAgain = memoryIO({ command: 'verify-reports', 'report-dir': dir }, { env });
    expect(await runMain(verifyAgain)).toBe(0);
    expect(verifyAgain.logger.lines.join('\n')).not.toContain('annual-2026');
  });

  it('refuses an invalid record with one line naming the key, before anything is written', async () => {
    const { root, dir, env, inputs } = setUp();
    const bad = join(root, 'bad.yml');
    writeFileSync(bad, TABLETOP_YAML.replace('duration-minutes: 90', 'duration-minutes: ninety'));
    const io = memoryIO({ ...inputs, command: 'record-exercise', 'exercise-file': bad }, { env });
    expect(await runMain(io, { now: at('2026-06-15T10:00:00Z') })).toBe(2);
    expect(io.logger.lines.join('\n')).toContain('exercise-file: duration-minutes: expects whole minutes');
    expect(existsSync(dir)).toBe(false);

    const missing = memoryIO({ ...inputs, command: 'record-exercise' }, { env });
    expect(await runMain(missing)).toBe(2);
    expect(missing.logger.lines.join('\n')).toContain(
      "input 'exercise-file' is required with command record-exercise",
    );
  });

  it('retracts through record-exercise with a retraction record, and refuses a file not in the chain', async () => {
    const { root, dir, env, inputs } = setUp();
    const mistaken = await writeReport({
      plan: { reportDir: dir, signingKey: testKey },
      outcome: drillOn('2026-03-01T03:00:00.000Z'),
      env,
      now: new Date('2026-03-01T03:31:00Z'),
    });
    const recordFile = join(root, 'retract.yml');
    writeFileSync(recordFile, `retracts: 2020-01-01T000000Z-weekly-x.json\nreason: wrong cluster\n`);
    const refused = memoryIO({ ...inputs, command: 'record-exercise', 'exercise-file': recordFile }, { env });
    expect(await runMain(refused, { now: at('2026-03-02T09:00:00Z') })).toBe(2);
    expect(refused.logger.lines.join('\n')).toContain('is not a document of the chain');

    writeFileSync(
      recordFile,
      `retracts: ${mistaken.report.file}\nreason: Ran against the staging cluster by mistake\n`,
    );
    const io = memoryIO({ ...inputs, command: 'record-exercise', 'exercise-file': recordFile }, { env });
    expect(await runMain(io, { now: at('2026-03-02T09:00:00Z') })).toBe(0);
    expect(io.outputs['report-json']).toMatch(/2026-03-02T090000Z-retraction\.json$/);
    expect((await verifyReportDir(dir)).ok).toBe(true);
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain('## Retracted');
  });

  it('retires a mistaken report with a signed retraction the schedule and the annual report ignore', async () => {
    const { dir, env, inputs } = setUp();
    const mistaken = await writeReport({
      plan: { reportDir: dir, signingKey: testKey },
      outcome: drillOn('2026-03-01T03:00:00.000Z'),
      env,
      now: new Date('2026-03-01T03:31:00Z'),
    });
    const retraction = await writeRetraction({
      dir,
      signingKey: loadSigningKey(testKey),
      env,
      now: new Date('2026-03-02T09:00:00Z'),
      file: mistaken.report.file,
      reason: 'Ran against the staging cluster by mistake',
    });
    expect(retraction.document.retracts.file).toBe(mistaken.report.file);
    expect(existsSync(mistaken.jsonPath)).toBe(true);

    const verified = await verifyReportDir(dir);
    expect(verified.ok).toBe(true);
    expect(verified.reports).toHaveLength(2);
    const index = readFileSync(join(dir, 'README.md'), 'utf8');
    expect(index).toContain('## Retracted');
    expect(index).toMatch(/\| Weekly restore validation \| Weekly \| never \|/);

    const annual = memoryIO({ ...inputs, command: 'annual-report', year: '2026' }, { env });
    expect(await runMain(annual, { now: at('2026-03-03T00:00:00Z') })).toBe(0);
    expect(readFileSync(join(dir, 'annual-2026.md'), 'utf8')).toContain('0 drill reports');

    // Editing the retracted report after the fact breaks the chain, and the retraction says so too.
    writeFileSync(mistaken.jsonPath, readFileSync(mistaken.jsonPath, 'utf8').replace('"pass"', '"fail"'));
    const broken = await verifyReportDir(dir);
    expect(broken.ok).toBe(false);
    expect(broken.reports[1]!.reasons.join('; ')).toContain(`retracts ${mistaken.report.file} with SHA-256`);
  });

  it('commits the record, the public key and the index like a drill when commit-report is true', async () => {
    const api = new GitHubStandIn();
    const apiUrl = await api.start();
    try {
      const { dir, exerciseFile, inputs, root } = setUp();
      const env = {
        GITHUB_WORKSPACE: root,
        GITHUB_REPOSITORY: 'omnirapeutic/platform',
        GITHUB_REF: 'refs/heads/main',
        GITHUB_SHA: api.head,
        GITHUB_GRAPHQL_URL: apiUrl,
      };
      const io = memoryIO(
        {
          ...inputs,
          command: 'record-exercise',
          'exercise-file': exerciseFile,
          'commit-report': 'true',
          'github-token': 'test-token',
        },
        { env },
      );
      expect(await runMain(io, { now: at('2026-06-15T10:00:00Z') })).toBe(0);
      const commit = api.commits[0]!;
      expect(Object.keys(commit.files).sort()).toEqual([
        'docs/tests/2026-06-15T100000Z-exercise-tabletop.json',
        'docs/tests/2026-06-15T100000Z-exercise-tabletop.md',
        'docs/tests/README.md',
        'docs/tests/restore-proof.pub.pem',
      ]);
      expect(commit.headline).toBe('restore-proof: tabletop exercise recorded (2026-06-12)');
      expect(existsSync(join(dir, 'README.md'))).toBe(true);
    } finally {
      await api.stop();
    }
  });
});
