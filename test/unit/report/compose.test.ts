import { sha256Hex } from '../../../src/report/canonical.js';
import { serializeReport, uniqueStem } from '../../../src/report/compose.js';
import { loadSigningKey, verifySignature } from '../../../src/report/signing.js';
import { passingOutcome } from '../../fixtures/report/outcomes.js';
import { composeChain, composeFirst, testKey } from '../../support/report-keys.js';

describe('composeReport', () => {
  it("binds the Markdown's hash into the signed model, and the JSON is the model as written", () => {
    const { report, markdown, json } = composeFirst({ outcome: passingOutcome });
    expect(report.markdown.sha256).toBe(sha256Hex(markdown));
    expect(json).toBe(serializeReport(report));
    expect(JSON.parse(json)).toEqual(report);
    expect(verifySignature(report, report.signature!, loadSigningKey(testKey))).toBe(true);
  });

  it('links each report to the bytes of the one before it, and names a same-second drill -2', () => {
    const [first, second] = composeChain([{ outcome: passingOutcome }, { outcome: passingOutcome }]);
    expect(first!.report.previous).toBeNull();
    expect(second!.report.previous).toEqual({ file: first!.report.file, sha256: sha256Hex(first!.json) });
    expect(second!.report.file).toBe(first!.report.file.replace('.json', '-2.json'));
    expect(second!.report.markdown.file).toBe(first!.report.markdown.file.replace('.md', '-2.md'));
  });

  it('leaves the report unsigned without a key', () => {
    expect(composeFirst({ outcome: passingOutcome }, '').report.signature).toBeNull();
  });
});

test('uniqueStem: the first free name, counting a Markdown file as taken too', () => {
  expect(uniqueStem('a', new Set())).toBe('a');
  expect(uniqueStem('a', new Set(['a.json']))).toBe('a-2');
  expect(uniqueStem('a', new Set(['a.md', 'a-2.json']))).toBe('a-3');
});
