import { sha256Hex } from '../../../src/report/canonical.js';
import type { ExerciseReport } from '../../../src/report/exercise.js';
import { renderExerciseMarkdown } from '../../../src/report/render/exercise-markdown.js';
import { buildRetraction, type RetractionDocument } from '../../../src/report/retraction.js';
import { runContextFromEnv } from '../../../src/report/model.js';
import { loadSigningKey, parsePublicKeys, publicKeyPem, signReport } from '../../../src/report/signing.js';
import { verifyReportChain } from '../../../src/report/verify.js';
import { passingOutcome } from '../../fixtures/report/outcomes.js';
import { exerciseReport, TABLETOP_YAML } from '../../fixtures/report/sample-year.js';
import { composeChain, testKey } from '../../support/report-keys.js';

const key = loadSigningKey(testKey);
const trusted = { keys: parsePublicKeys(publicKeyPem(key)), origin: 'input' };

/** A drill report, then an exercise and a retraction chained after it, signed as the writer signs them. */
function chain(retract?: (files: Map<string, Buffer>, drill: string) => { file: string; sha256: string }) {
  const [drill] = composeChain([{ outcome: passingOutcome }]);
  const files = new Map<string, Buffer>([
    [drill!.report.file, Buffer.from(drill!.json)],
    [drill!.report.markdown.file, Buffer.from(drill!.markdown)],
  ]);
  const link = (file: string) => ({ file, sha256: sha256Hex(files.get(file)!) });
  const exercise: ExerciseReport = {
    ...exerciseReport(TABLETOP_YAML),
    file: '2026-06-15T100000Z-exercise-tabletop.json',
    markdown: { file: '2026-06-15T100000Z-exercise-tabletop.md', sha256: '' },
    previous: link(drill!.report.file),
  };
  const exerciseMd = renderExerciseMarkdown(exercise, { signingFingerprint: 'x', reportDir: 'docs/tests' });
  exercise.markdown.sha256 = sha256Hex(exerciseMd);
  exercise.signature = signReport(exercise, key);
  files.set(exercise.file, Buffer.from(JSON.stringify(exercise)));
  files.set(exercise.markdown.file, Buffer.from(exerciseMd));
  const retraction: RetractionDocument = buildRetraction({
    retracts: retract ? retract(files, drill!.report.file) : link(drill!.report.file),
    reason: 'Ran against staging',
    run: runContextFromEnv({}, 'adhoc'),
    file: '2026-06-16T000000Z-retraction.json',
    markdownFile: '2026-06-16T000000Z-retraction.md',
    previous: link(exercise.file),
    generatedAt: new Date('2026-06-16T00:00:00Z'),
    toolVersion: 'test',
    secrets: [],
  });
  retraction.markdown.sha256 = sha256Hex('# Retraction\n');
  retraction.signature = signReport(retraction, key);
  files.set(retraction.file, Buffer.from(JSON.stringify(retraction)));
  files.set(retraction.markdown.file, Buffer.from('# Retraction\n'));
  return { dir: 'docs/tests', names: [...files.keys()], files };
}

describe('one chain for drill reports, exercises and retractions', () => {
  it('verifies an exercise and a retraction signed and linked like a drill report', () => {
    const result = verifyReportChain(chain(), trusted);
    expect(result.message).toMatch(/3 of 3 reports verified/);
    expect(result.reports.map((r) => r.status)).toEqual(['verified', 'verified', 'verified']);
  });

  it('catches an edited exercise like an edited report', () => {
    const dir = chain();
    const file = '2026-06-15T100000Z-exercise-tabletop.json';
    dir.files.set(file, Buffer.from(dir.files.get(file)!.toString().replace('DBA on call', 'DBA')));
    const result = verifyReportChain(dir, trusted);
    expect(result.ok).toBe(false);
    expect(result.reports[1]!.reasons.join('; ')).toContain('signature does not match');
  });

  it('fails a retraction that names no earlier document, or the wrong bytes', () => {
    const ghost = verifyReportChain(
      chain(() => ({ file: '2020-01-01T000000Z-weekly-x.json', sha256: 'a' })),
      trusted,
    );
    expect(ghost.reports[2]!.reasons.join('; ')).toContain('which is not an earlier document of the chain');
    const wrong = verifyReportChain(
      chain((_, drill) => ({ file: drill, sha256: 'b'.repeat(64) })),
      trusted,
    );
    expect(wrong.reports[2]!.reasons.join('; ')).toMatch(/retracts .* with SHA-256 b+, but it hashes to/);
  });

  it('still refuses a document of an unknown schema', () => {
    const dir = chain();
    const file = '2026-06-15T100000Z-exercise-tabletop.json';
    const doc = JSON.parse(dir.files.get(file)!.toString());
    dir.files.set(file, Buffer.from(JSON.stringify({ ...doc, schema: 'restore-proof/other@1' })));
    expect(verifyReportChain(dir, trusted).reports[1]!.reasons[0]).toBe(
      'unknown schema "restore-proof/other@1"',
    );
  });
});
