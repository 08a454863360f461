import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PUBLIC_KEY_FILE } from '../../../src/report/signing.js';
import { formatVerifyResult, renderVerifySummary, verifyExitCode } from '../../../src/report/verify.js';
import { verifyReportDir } from '../../../src/sinks/report-dir.js';
import { writeReport, type WrittenReport } from '../../../src/sinks/report-files.js';
import { memoryLogger } from '../../../src/log/logger.js';
import type { DrillOutcome } from '../../../src/model/types.js';
import {
  actionsEnv,
  erroredOutcome,
  failingOutcome,
  passingOutcome,
} from '../../fixtures/report/outcomes.js';
import { otherKey, testKey, workspace } from '../../support/report-keys.js';

const at = (outcome: DrillOutcome, startedAt: string): DrillOutcome => ({ ...outcome, startedAt });

/** Three signed reports, a week apart, in a fresh directory. */
async function threeReports(signingKey: string | null = testKey) {
  const { root, dir } = workspace();
  const env = { ...actionsEnv, GITHUB_WORKSPACE: root };
  const written: WrittenReport[] = [];
  for (const [outcome, startedAt] of [
    [passingOutcome, '2026-01-31T03:00:00Z'],
    [failingOutcome, '2026-02-07T03:00:00Z'],
    [erroredOutcome, '2026-02-14T03:00:00Z'],
  ] as const) {
    written.push(
      await writeReport({
        plan: { reportDir: dir, signingKey: signingKey ?? undefined },
        outcome: at(outcome, startedAt),
        env,
        now: new Date(startedAt),
      }),
    );
  }
  return { root, dir, written, names: written.map((w) => w.report.file) };
}

describe('writeReport and the chain', () => {
  it('links each report to the one before it and writes the public key once', async () => {
    const { dir, written, names } = await threeReports();
    expect(written[0]?.report.previous).toBeNull();
    expect(written[1]?.report.previous?.file).toBe(names[0]);
    expect(written[2]?.report.previous?.file).toBe(names[1]);
    expect(written[0]?.publicKeyPath).toBe(join(dir, PUBLIC_KEY_FILE));
    expect(written[1]?.publicKeyPath).toBeNull();
    expect(written[0]?.files).toEqual([
      written[0]?.jsonPath,
      written[0]?.markdownPath,
      join(dir, PUBLIC_KEY_FILE),
      join(dir, 'README.md'),
    ]);
    expect(readFileSync(join(dir, PUBLIC_KEY_FILE), 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
  });

  it('writes the report of a drill that errored, without the secret in its error', async () => {
    const { dir, written } = await threeReports();
    const errored = written[2];
    expect(errored?.report.result).toBe('fail');
    const json = readFileSync(errored!.jsonPath, 'utf8');
    const md = readFileSync(errored!.markdownPath, 'utf8');
    for (const text of [json, md, readFileSync(join(dir, 'README.md'), 'utf8')])
      expect(text).not.toContain('hunter2');
    expect(md.split('\n')[0]).toBe('# FAIL: `omnirapeutic-production` restore drill failed');
    expect(md).toContain('> **Error:** restore timed out');
    expect(md).toContain('**Cleanup failed**');
  });

  it('scrubs registered secrets from every file it writes', async () => {
    const { root, dir } = workspace();
    const outcome = { ...passingOutcome, warnings: ['connected as reporter with S3cretPassw0rd'] };
    const w = await writeReport({
      plan: {
        reportDir: dir,
        signingKey: testKey,
        productionUrl: 'postgres://reporter:S3cretPassw0rd@prod:5432/app',
      },
      outcome,
      env: { GITHUB_WORKSPACE: root },
    });
    expect(readFileSync(w.jsonPath, 'utf8')).not.toContain('S3cretPassw0rd');
    expect(w.markdown).toContain('connected as reporter with ***');
  });

  it('names a second report of the same second apart', async () => {
    const { dir } = workspace();
    const a = await writeReport({ plan: { reportDir: dir, signingKey: undefined }, outcome: passingOutcome });
    const b = await writeReport({ plan: { reportDir: dir, signingKey: undefined }, outcome: passingOutcome });
    const c = await writeReport({ plan: { reportDir: dir, signingKey: undefined }, outcome: passingOutcome });
    expect(b.report.file).toBe(a.report.file.replace('.json', '-2.json'));
    expect(b.report.previous?.file).toBe(a.report.file);
    expect(c.report.previous?.file).toBe(b.report.file);
    const result = await verifyReportDir(dir, { allowUnsigned: true });
    expect(result.reports.map((r) => r.file)).toEqual([a.report.file, b.report.file, c.report.file]);
    expect(result.ok).toBe(true);
  });

  it('refuses a signing key that is not Ed25519 before writing anything', async () => {
    const { dir } = workspace();
    await expect(
      writeReport({ plan: { reportDir: dir, signingKey: 'not a key' }, outcome: passingOutcome }),
    ).rejects.toThrow(/^signing-key: expected an Ed25519 private key/);
  });

  it('appends a rotated key to the committed public key file', async () => {
    const { dir } = workspace();
    const logger = memoryLogger();
    await writeReport({ plan: { reportDir: dir, signingKey: testKey }, outcome: passingOutcome, logger });
    await writeReport({
      plan: { reportDir: dir, signingKey: otherKey },
      outcome: at(failingOutcome, '2026-02-07T03:00:00Z'),
      logger,
    });
    expect(readFileSync(join(dir, PUBLIC_KEY_FILE), 'utf8').match(/BEGIN PUBLIC KEY/g)).toHaveLength(2);
    expect(logger.lines.some((l) => l.startsWith('warning: report: signing key SHA256:'))).toBe(true);
    expect((await verifyReportDir(dir)).ok).toBe(true);
  });
});

describe('verifyReportDir', () => {
  it('verifies an untouched directory with the committed key', async () => {
    const { dir } = await threeReports();
    const result = await verifyReportDir(dir);
    expect(result.ok).toBe(true);
    expect(result.reports.map((r) => r.status)).toEqual(['verified', 'verified', 'verified']);
    expect(result.firstFailure).toBeNull();
    expect(verifyExitCode(result)).toBe(0);
    expect(result.message).toBe(`verify-reports: 3 of 3 reports verified in ${dir}`);
  });

  it('accepts the public key as PEM text or a path', async () => {
    const { dir } = await threeReports();
    const pem = readFileSync(join(dir, PUBLIC_KEY_FILE), 'utf8');
    expect((await verifyReportDir(dir, { publicKey: pem })).ok).toBe(true);
    expect((await verifyReportDir(dir, { publicKey: join(dir, PUBLIC_KEY_FILE) })).ok).toBe(true);
    await expect(verifyReportDir(dir, { publicKey: '/nope.pem' })).resolves.toMatchObject({
      ok: false,
      message: 'public-key: /nope.pem is neither PEM text nor a readable file',
    });
  });

  it('fails a report with one tampered byte, naming it and why', async () => {
    const { dir, names } = await threeReports();
    const path = join(dir, names[1]!);
    writeFileSync(path, readFileSync(path, 'utf8').replace('"seconds": 2412.5', '"seconds": 1412.5'));
    const result = await verifyReportDir(dir);
    expect(result.ok).toBe(false);
    expect(verifyExitCode(result)).toBe(1);
    expect(result.firstFailure?.file).toBe(names[1]);
    expect(result.firstFailure?.reasons).toEqual([
      'signature does not match the content (the JSON was edited)',
    ]);
    // The next report's link to it breaks too.
    expect(result.reports[2]?.reasons[0]).toMatch(/was changed/);
    expect(result.message).toBe(
      `verify-reports: ${names[1]} failed: signature does not match the content (the JSON was edited)`,
    );
  });

  it('fails an edited Markdown report', async () => {
    const { dir, written } = await threeReports();
    const md = written[0]!.markdownPath;
    writeFileSync(md, readFileSync(md, 'utf8').replace('**PASS**', '**PASS!**'));
    const result = await verifyReportDir(dir);
    expect(result.firstFailure?.file).toBe(written[0]!.report.file);
    expect(result.firstFailure?.reasons[0]).toMatch(/its Markdown .* was changed/);
  });

  it('fails when a middle report is deleted', async () => {
    const { dir, written, names } = await threeReports();
    rmSync(written[1]!.jsonPath);
    rmSync(written[1]!.markdownPath);
    const result = await verifyReportDir(dir);
    expect(result.firstFailure?.file).toBe(names[2]);
    expect(result.firstFailure?.reasons).toEqual([
      `links to ${names[1]} but the report before it is ${names[0]} (a report was deleted)`,
    ]);
  });

  it('fails when only the JSON of a middle report is deleted, and names the orphaned Markdown', async () => {
    const { dir, written } = await threeReports();
    rmSync(written[1]!.jsonPath);
    const result = await verifyReportDir(dir);
    expect(result.reports.map((r) => [r.file, r.status])).toEqual([
      [written[0]!.report.file, 'verified'],
      [written[2]!.report.file, 'failed'],
      [written[1]!.report.markdown.file, 'failed'],
    ]);
  });

  it('fails when the first report is deleted', async () => {
    const { dir, written, names } = await threeReports();
    rmSync(written[0]!.jsonPath);
    rmSync(written[0]!.markdownPath);
    const result = await verifyReportDir(dir);
    expect(result.firstFailure?.file).toBe(names[1]);
    expect(result.firstFailure?.reasons[0]).toMatch(/an earlier report was deleted/);
  });

  it('fails when reports are reordered by renaming', async () => {
    const { dir, names } = await threeReports();
    const [a, b] = [join(dir, names[0]!), join(dir, names[1]!)];
    renameSync(a, `${a}.tmp`);
    renameSync(b, a);
    renameSync(`${a}.tmp`, b);
    const result = await verifyReportDir(dir);
    expect(result.firstFailure?.file).toBe(names[0]);
    expect(result.firstFailure?.reasons).toContain(`names itself "${names[1]}" (renamed or reordered)`);
    expect(result.reports[1]?.reasons).toContain(
      `does not link to ${names[0]}, the report before it (a report was inserted or the chain restarted)`,
    );
  });

  it('fails every report against the wrong key', async () => {
    const { dir } = await threeReports();
    const { root: otherRoot, dir: otherDir } = workspace();
    await writeReport({
      plan: { reportDir: otherDir, signingKey: otherKey },
      outcome: passingOutcome,
      env: { GITHUB_WORKSPACE: otherRoot },
    });
    const result = await verifyReportDir(dir, { publicKey: join(otherDir, PUBLIC_KEY_FILE) });
    expect(result.ok).toBe(false);
    expect(result.reports.every((r) => r.status === 'failed')).toBe(true);
    expect(result.firstFailure?.reasons[0]).toMatch(
      /^signed by key SHA256:.* which is not among the trusted keys/,
    );
  });

  it('fails a forged signature made with another key but claiming the trusted fingerprint', async () => {
    const { dir, names } = await threeReports();
    const { dir: forgeDir } = workspace();
    const forged = await writeReport({
      plan: { reportDir: forgeDir, signingKey: otherKey },
      outcome: passingOutcome,
    });
    const path = join(dir, names[2]!);
    const report = JSON.parse(readFileSync(path, 'utf8'));
    report.signature.value = forged.report.signature!.value;
    writeFileSync(path, JSON.stringify(report, null, 2));
    const result = await verifyReportDir(dir);
    expect(result.firstFailure).toMatchObject({ file: names[2], status: 'failed' });
    expect(result.firstFailure?.reasons).toEqual([
      'signature does not match the content (the JSON was edited)',
    ]);
  });

  it('reports unsigned reports as unsigned, never verified, and fails unless allowed', async () => {
    const { dir, names } = await threeReports(null);
    const result = await verifyReportDir(dir);
    expect(result.reports.map((r) => r.status)).toEqual(['unsigned', 'unsigned', 'unsigned']);
    expect(result.ok).toBe(false);
    expect(result.message).toBe(`verify-reports: ${names[0]} is unsigned: no signature`);
    const allowed = await verifyReportDir(dir, { allowUnsigned: true });
    expect(allowed.ok).toBe(true);
    expect(allowed.reports.map((r) => r.status)).toEqual(['unsigned', 'unsigned', 'unsigned']);
    expect(allowed.message).toMatch(/0 of 3 reports verified, 3 unsigned \(allowed\)/);
  });

  it('fails a signature removed from a signed report', async () => {
    const { dir, names } = await threeReports();
    const path = join(dir, names[0]!);
    const report = JSON.parse(readFileSync(path, 'utf8'));
    report.signature = null;
    writeFileSync(path, JSON.stringify(report, null, 2));
    const result = await verifyReportDir(dir, { allowUnsigned: true });
    // Stripping the signature changes the bytes the next report's link holds.
    expect(result.reports[0]?.status).toBe('unsigned');
    expect(result.firstFailure?.file).toBe(names[1]);
    expect(result.ok).toBe(false);
  });

  it('fails invalid JSON and an empty directory', async () => {
    const { dir, names } = await threeReports();
    writeFileSync(join(dir, names[2]!), '{"truncated":');
    expect((await verifyReportDir(dir)).firstFailure).toMatchObject({
      file: names[2],
      reasons: ['not valid JSON (edited or truncated)'],
    });
    const { dir: empty } = workspace();
    expect((await verifyReportDir(empty)).message).toBe(`verify-reports: ${empty} does not exist`);
  });

  it('formats one line per report and the verdict', async () => {
    const { dir, names } = await threeReports();
    const lines = formatVerifyResult(await verifyReportDir(dir));
    expect(lines[0]).toBe(`verified ${names[0]}`);
    expect(lines.at(-2)).toMatch(/^trusted keys \(.*restore-proof\.pub\.pem\): SHA256:/);
    expect(lines.at(-1)).toMatch(/3 of 3 reports verified/);
  });

  it('renders a job summary that names the failing file', async () => {
    const { dir, names } = await threeReports();
    writeFileSync(join(dir, names[1]!), '{}');
    const summary = renderVerifySummary(await verifyReportDir(dir));
    expect(summary.split('\n')[0]).toBe('## restore-proof verify-reports: FAILED');
    expect(summary).toContain(`| \`${names[1]}\` | **failed** |`);
    expect(summary).toContain('Trusted keys (from');
  });
});
