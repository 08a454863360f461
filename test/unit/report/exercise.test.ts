import { sign } from 'node:crypto';
import { canonicalJson } from '../../../src/report/canonical.js';
import {
  buildExerciseReport,
  EXERCISE_SCHEMA,
  exerciseStem,
  exerciseTypeFor,
  isExerciseReport,
  parseExerciseRecord,
} from '../../../src/report/exercise.js';
import { DEFAULT_EVIDENCE_CONFIG, parseEvidenceConfig } from '../../../src/report/evidence-config.js';
import { REPORT_FILE, runContextFromEnv } from '../../../src/report/model.js';
import {
  loadSigningKey,
  publicKeyFingerprint,
  signedBytes,
  verifySignature,
} from '../../../src/report/signing.js';
import { exerciseReport, TABLETOP_YAML } from '../../fixtures/report/sample-year.js';
import { testKey } from '../../support/report-keys.js';

describe('parseExerciseRecord', () => {
  it('reads a tabletop record, the test type defaulting to tabletop', () => {
    const record = parseExerciseRecord(TABLETOP_YAML);
    expect(record).toMatchObject({
      'test-type': 'tabletop',
      date: '2026-06-12',
      'duration-minutes': 90,
      participants: [
        { role: 'Incident commander (CTO)' },
        { role: 'DBA on call' },
        { role: 'DevOps lead' },
        { role: 'HIPAA compliance officer' },
      ],
    });
    expect(record.findings).toHaveLength(2);
    expect(record.actions[1]).toEqual({
      action: 'Record the us-west-2 KMS key alias in the plan',
      owner: 'DBA on call',
      due: '2026-06-30',
    });
  });

  const valid = TABLETOP_YAML;
  it.each([
    [valid.replace('date: 2026-06-12\n', ''), 'exercise-file: date: expects a date as YYYY-MM-DD'],
    [valid.replace('2026-06-12', '2026-02-30'), 'exercise-file: date: expects a date as YYYY-MM-DD'],
    [
      valid.replace('- role: DBA on call', '- role: DBA on call\n    name: Jane Doe'),
      'exercise-file: participants[1]: unknown key name',
    ],
    [valid.replace('participants:', 'people:'), 'exercise-file: (top level): unknown key people'],
    [
      valid.replace('duration-minutes: 90', 'duration-minutes: ninety'),
      'exercise-file: duration-minutes: expects whole minutes',
    ],
    [
      valid.replace('due: 2026-07-15', 'due: next month'),
      'exercise-file: actions[0].due: expects a date as YYYY-MM-DD',
    ],
    [
      valid.replace('    owner: DBA on call\n', ''),
      'exercise-file: actions[1].owner: expects the owning role',
    ],
    [
      valid.replace(/findings:[\s\S]*?actions:/, 'findings: none\nactions:'),
      'exercise-file: findings: expects a list of findings (text)',
    ],
    [
      'date: 2026-06-12\nscenario: x\nparticipants: []\nduration-minutes: 5\nfindings: []\n',
      'exercise-file: participants: expects at least one participant',
    ],
  ])('an invalid record fails with one line naming the key (%#)', (text, message) => {
    expect(() => parseExerciseRecord(text)).toThrow(new Error(message));
  });

  it('names the file it read', () => {
    expect(() => parseExerciseRecord('date: [', 'exercise-file docs/exercises/2026-06.yml')).toThrow(
      /^exercise-file docs\/exercises\/2026-06\.yml: not valid YAML: /,
    );
  });
});

describe('buildExerciseReport', () => {
  const exercise = exerciseReport(TABLETOP_YAML);

  it('is a chained document with its own schema id, named by when it was recorded', () => {
    expect(exercise).toMatchObject({
      schema: EXERCISE_SCHEMA,
      kind: 'exercise',
      testType: 'tabletop',
      date: '2026-06-12',
      startedAt: '2026-06-12T00:00:00.000Z',
      validUntil: '2026-12-19T00:00:00.000Z',
      previous: null,
      signature: null,
    });
    expect(exercise.file).toBe('2026-06-15T150000Z-exercise-tabletop.json');
    expect(REPORT_FILE.test(exercise.file)).toBe(true);
    expect(isExerciseReport(exercise)).toBe(true);
    expect(isExerciseReport({ schema: 'restore-proof/report@1' })).toBe(false);
  });

  it('signs and verifies like a drill report (canonical JSON without the signature)', () => {
    const key = loadSigningKey(testKey);
    const unsigned = { ...exercise, previous: { file: 'x.json', sha256: 'a'.repeat(64) } };
    const signature = {
      algorithm: 'ed25519' as const,
      publicKeyFingerprint: publicKeyFingerprint(key),
      value: sign(null, signedBytes(unsigned), key).toString('base64'),
    };
    const signed = { ...unsigned, signature };
    expect(verifySignature(signed, signature, key)).toBe(true);
    expect(verifySignature({ ...signed, findings: [] }, signature, key)).toBe(false);
    expect(canonicalJson(signed)).toContain('"schema":"restore-proof/exercise@1"');
  });

  it('refuses an exercise dated after it was recorded, and scrubs secrets from its text', () => {
    const record = parseExerciseRecord(
      TABLETOP_YAML.replace('Walk through', 'Password hunter2; walk through'),
    );
    const input = {
      record,
      cadence: 'semiannual',
      run: runContextFromEnv({}, 'semiannual'),
      file: 'x.json',
      markdownFile: 'x.md',
      previous: null,
      toolVersion: '0.1.0',
      secrets: ['hunter2'],
    };
    expect(() => buildExerciseReport({ ...input, generatedAt: new Date('2026-06-11T00:00:00Z') })).toThrow(
      'exercise-file: date: 2026-06-12 is in the future',
    );
    const built = buildExerciseReport({ ...input, generatedAt: new Date('2026-06-13T00:00:00Z') });
    expect(built.scenario).not.toContain('hunter2');
    expect(exerciseStem(new Date('2026-06-13T00:00:00Z'), 'Tabletop')).toBe(
      '2026-06-13T000000Z-exercise-tabletop',
    );
  });
});

describe('exerciseTypeFor', () => {
  it('finds the exercise test type the record names', () => {
    const type = exerciseTypeFor(DEFAULT_EVIDENCE_CONFIG, parseExerciseRecord(TABLETOP_YAML));
    expect(type).toMatchObject({ id: 'tabletop', cadence: 'semiannual' });
  });

  it('refuses a drill type or an unknown id, naming the ids it accepts', () => {
    const record = parseExerciseRecord(`test-type: full-dr\n${TABLETOP_YAML}`);
    expect(() => exerciseTypeFor(DEFAULT_EVIDENCE_CONFIG, record)).toThrow(
      new Error(
        'exercise-file: test-type: full-dr is not an exercise test type in restore-proof.yml (accepts one of tabletop)',
      ),
    );
    const noExercises = parseEvidenceConfig(
      'test-types:\n  - { id: weekly, name: Weekly, cadence: weekly }\n',
    );
    expect(() => exerciseTypeFor(noExercises, parseExerciseRecord(TABLETOP_YAML))).toThrow(
      /accepts none: restore-proof.yml names no exercise test type\)$/,
    );
  });
});
