import type { ComposedReport } from '../../../src/report/compose.js';
import {
  loadSigningKey,
  parsePublicKeys,
  publicKeyPem,
  type ResolvedPublicKeys,
} from '../../../src/report/signing.js';
import { verifyReportChain, type ReportDirectory } from '../../../src/report/verify.js';
import { failingOutcome, passingOutcome } from '../../fixtures/report/outcomes.js';
import { composeChain, otherKey, testKey } from '../../support/report-keys.js';

/** The directory as report-dir.ts would read it after writeReport wrote these reports. */
function directory(
  chain: ComposedReport[],
  extra: Record<string, string> = {},
): ReportDirectory & { files: Map<string, Uint8Array> } {
  const files = new Map<string, Uint8Array>();
  for (const c of chain) {
    files.set(c.report.file, Buffer.from(c.json));
    files.set(c.report.markdown.file, Buffer.from(c.markdown));
  }
  for (const [name, text] of Object.entries(extra)) files.set(name, Buffer.from(text));
  return { dir: 'docs/tests', names: [...files.keys()], files };
}

const trusted = (pem: string): ResolvedPublicKeys => ({
  keys: parsePublicKeys(publicKeyPem(loadSigningKey(pem))),
  origin: 'input',
});

const chain = () =>
  composeChain([
    { outcome: passingOutcome },
    { outcome: { ...failingOutcome, startedAt: '2026-02-07T03:00:00Z' } },
  ]);

describe('verifyReportChain (pure: the directory is given to it)', () => {
  it('verifies a signed chain and names the keys it trusted', () => {
    const result = verifyReportChain(directory(chain()), trusted(testKey));
    expect(result.ok).toBe(true);
    expect(result.reports.map((r) => r.status)).toEqual(['verified', 'verified']);
    expect(result.message).toBe('verify-reports: 2 of 2 reports verified in docs/tests');
    expect(result.keys).toHaveLength(1);
    expect(result.keyOrigin).toBe('input');
  });

  it('an edited report fails its signature, and the next report names the change', () => {
    const dir = directory(chain());
    const [first] = [...dir.files.keys()];
    dir.files.set(
      first!,
      Buffer.from(Buffer.from(dir.files.get(first!)!).toString().replace('"pass"', '"fail"')),
    );
    const result = verifyReportChain(dir, trusted(testKey));
    expect(result.ok).toBe(false);
    expect(result.reports[0]!.reasons).toContain(
      'signature does not match the content (the JSON was edited)',
    );
    expect(result.reports[1]!.reasons[0]).toMatch(/which now hashes to [0-9a-f]{64} \(.*was changed\)$/);
    expect(result.firstFailure?.file).toBe(first);
  });

  it('a deleted earlier report breaks the link of the one after it', () => {
    const [, second] = chain();
    const result = verifyReportChain(directory([second!]), trusted(testKey));
    expect(result.reports[0]!.reasons).toEqual([
      expect.stringMatching(
        /^links to .*weekly.*\.json, which is not in the directory \(an earlier report was deleted\)$/,
      ),
    ]);
  });

  it('a changed or missing Markdown fails the report that binds it', () => {
    const dir = directory(chain());
    const md = [...dir.files.keys()][1]!;
    dir.files.set(md, Buffer.from('# edited\n'));
    expect(verifyReportChain(dir, trusted(testKey)).reports[0]!.reasons[0]).toMatch(
      /its Markdown .* was changed/,
    );
    dir.files.delete(md);
    dir.names = dir.names.filter((n) => n !== md);
    expect(verifyReportChain(dir, trusted(testKey)).reports[0]!.reasons[0]).toMatch(
      /its Markdown .* is missing/,
    );
  });

  it('a key that is not trusted fails, naming the trusted ones', () => {
    const result = verifyReportChain(directory(chain()), trusted(otherKey));
    expect(result.reports[0]!.reasons[0]).toMatch(
      /^signed by key SHA256:.*, which is not among the trusted keys/,
    );
  });

  it('unsigned reports fail unless allowed, and are never called verified', () => {
    const unsigned = composeChain([{ outcome: passingOutcome }], '');
    const none: ResolvedPublicKeys = { keys: new Map(), origin: null };
    const refused = verifyReportChain(directory(unsigned), none);
    expect(refused).toMatchObject({ ok: false, firstFailure: { status: 'unsigned' } });
    const allowed = verifyReportChain(directory(unsigned), none, true);
    expect(allowed.ok).toBe(true);
    expect(allowed.message).toBe(
      'verify-reports: 0 of 1 reports verified, 1 unsigned (allowed) in docs/tests',
    );
  });

  it('a directory without reports fails, and a Markdown report without its JSON is named', () => {
    expect(verifyReportChain(directory([], { 'README.md': '# x' }), trusted(testKey)).message).toBe(
      'verify-reports: no reports in docs/tests',
    );
    const [first, second] = chain();
    const dir = directory([first!], { [second!.report.markdown.file]: second!.markdown });
    expect(verifyReportChain(dir, trusted(testKey)).reports.at(-1)).toMatchObject({
      file: second!.report.markdown.file,
      status: 'failed',
      reasons: ['Markdown report whose JSON report is missing'],
    });
  });
});
