import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { canonicalJson } from '../../../src/report/canonical.js';
import { signedBytes } from '../../../src/report/signing.js';
import { writeReport } from '../../../src/sinks/report-files.js';
import {
  actionsEnv,
  erroredOutcome,
  failingOutcome,
  passingOutcome,
} from '../../fixtures/report/outcomes.js';
import { testKey, workspace } from '../../support/report-keys.js';

const has = (tool: string): boolean => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
const tools = has('jq') && has('openssl') && has('sha256sum') && has('base64');
const maybe = tools ? describe : describe.skip;

const bash = (script: string, cwd: string) =>
  spawnSync('bash', ['-eo', 'pipefail', '-c', script], { cwd, encoding: 'utf8' });

/** The trust recipe in each report works with standard tools alone, exactly as printed. */
maybe('verifying with jq, openssl and sha256sum', () => {
  async function signedPair() {
    const { root, dir } = workspace();
    const env = { ...actionsEnv, GITHUB_WORKSPACE: root };
    const first = await writeReport({
      plan: { reportDir: dir, signingKey: testKey },
      outcome: passingOutcome,
      env,
    });
    const second = await writeReport({
      plan: { reportDir: dir, signingKey: testKey },
      outcome: { ...failingOutcome, startedAt: '2026-02-07T03:00:00Z' },
      env,
    });
    return { dir, first, second };
  }

  /** The last sh block of the report's "Verify this report" section. */
  const recipe = (markdown: string): string => {
    const blocks = [...markdown.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
    return blocks.at(-1) ?? '';
  };

  it('jq -jcS reproduces the canonical bytes for every kind of report', async () => {
    const { dir, first, second } = await signedPair();
    const third = await writeReport({
      plan: { reportDir: dir, signingKey: testKey },
      outcome: {
        ...erroredOutcome,
        startedAt: '2026-02-14T03:00:00Z',
        warnings: ['odd \u0007 text \\ "quoted" é'],
      },
    });
    for (const w of [first, second, third]) {
      const jq = execFileSync('jq', ['-jcS', 'del(.signature)', w.jsonPath]);
      expect(jq.toString('utf8')).toBe(canonicalJson(stripSignature(w.report)));
      expect(Buffer.compare(jq, signedBytes(JSON.parse(readFileSync(w.jsonPath, 'utf8'))))).toBe(0);
    }
  });

  it('the printed recipe verifies the signature and the Markdown hash', async () => {
    const { dir, second } = await signedPair();
    const script = recipe(second.markdown);
    expect(script).toContain('openssl pkeyutl -verify');
    const run = bash(script, dir);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const [mdHash, recorded] = run.stdout.split('\n');
    expect(mdHash?.split(' ')[0]).toBe(recorded);
    expect(run.stdout).toContain('Signature Verified Successfully');
  });

  it('the printed recipe rejects an edited report', async () => {
    const { dir, second } = await signedPair();
    writeFileSync(
      second.jsonPath,
      readFileSync(second.jsonPath, 'utf8').replace('"result": "fail"', '"result": "pass"'),
    );
    const run = bash(recipe(second.markdown), dir);
    expect(run.status).not.toBe(0);
    expect(run.stdout + run.stderr).toMatch(/Signature Verification Failure/);
  });

  it('the documented fingerprint and chain commands agree with the report', async () => {
    const { dir, first, second } = await signedPair();
    const fingerprint = bash(
      'echo "SHA256:$(openssl pkey -pubin -in restore-proof.pub.pem -outform DER | openssl dgst -sha256 -binary | base64)"',
      dir,
    );
    expect(fingerprint.stdout.trim()).toBe(second.report.signature?.publicKeyFingerprint);
    const chain = bash(
      `sha256sum ${first.report.file} | cut -d' ' -f1; jq -r .previous.sha256 ${second.report.file}`,
      dir,
    );
    const [actual, recorded] = chain.stdout.trim().split('\n');
    expect(actual).toBe(recorded);
  });
});

describe('docs/verifying-reports.md', () => {
  const doc = readFileSync(new URL('../../../docs/verifying-reports.md', import.meta.url), 'utf8');
  const blocks = [...doc.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  const standard = blocks.find((b) => b.includes('openssl pkeyutl -verify')) ?? '';
  const nodeFallback = blocks.find((b) => b.startsWith('node -e')) ?? '';

  it('has the recipes this test runs', () => {
    expect(standard).toContain("jq -jcS 'del(.signature)'");
    expect(nodeFallback).toContain('> canon.json');
  });

  (tools ? it : it.skip)('standard-tools recipe runs as documented', async () => {
    const { root, dir } = workspace();
    const env = { GITHUB_WORKSPACE: root };
    await writeReport({ plan: { reportDir: dir, signingKey: testKey }, outcome: passingOutcome, env });
    const second = await writeReport({
      plan: { reportDir: dir, signingKey: testKey },
      outcome: { ...failingOutcome, startedAt: '2026-02-07T03:00:00Z' },
      env,
    });
    const run = bash(`R=${second.report.file.replace(/\.json$/, '')}\n${standard}`, dir);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`SHA256:${second.report.signature?.publicKeyFingerprint.slice(7)}`);
    expect(run.stdout).toContain('Signature Verified Successfully');
    expect(run.stdout).toContain(second.report.markdown.sha256);
    const lines = run.stdout.trim().split('\n');
    expect(lines.at(-1)?.split(' ')[0]).toBe(second.report.previous?.sha256);
  });

  it('node fallback produces the signed bytes', async () => {
    const { dir } = workspace();
    const w = await writeReport({ plan: { reportDir: dir, signingKey: testKey }, outcome: erroredOutcome });
    const run = bash(`R=${w.report.file.replace(/\.json$/, '')}\n${nodeFallback}\ncat canon.json`, dir);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(signedBytes(w.report).toString('utf8'));
  });
});

function stripSignature(report: object): object {
  const rest: Record<string, unknown> = { ...(report as Record<string, unknown>) };
  delete rest.signature;
  return rest;
}

if (!tools) {
  test.skip('jq, openssl, sha256sum or base64 is not installed: the standard-tools recipe is not exercised', () => {});
}
