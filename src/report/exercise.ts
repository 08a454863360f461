/**
 * A tabletop exercise, recorded as evidence: the team's YAML record of the exercise (validated here) becomes
 * a document that is signed and chained exactly like a drill report. It shares the chain fields (file,
 * previous, markdown, signature) and differs by its schema id, so verify-reports checks both alike.
 * People appear by role only: a participant or an owner is a role ("DBA on call"), never a name.
 */
import { z } from 'zod';
import { validUntil } from './cadence.js';
import type { EvidenceConfig, TestType } from './evidence-config.js';
import { fileStamp, slug, type ReportSignature, type RunContext } from './model.js';
import { sanitizeDeep } from './sanitize.js';
import { parseValidatedYaml } from './validated-yaml.js';

/** Bumped on any change a reader or verifier must know about (as REPORT_SCHEMA is for drill reports). */
export const EXERCISE_SCHEMA = 'restore-proof/exercise@1';

/** The test type an exercise fills when its record names none (the plan's tabletop row). */
export const DEFAULT_EXERCISE_TYPE = 'tabletop';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const isRealDate = (text: string): boolean =>
  ISO_DATE.test(text) && new Date(`${text}T00:00:00Z`).toISOString().slice(0, 10) === text;

/** YAML 1.1 readers turn 2026-06-12 into a timestamp; accept that and keep the date. */
const calendarDate = z.preprocess(
  (v) => (v instanceof Date && !Number.isNaN(v.getTime()) ? v.toISOString().slice(0, 10) : v),
  z
    .string({ error: 'expects a date as YYYY-MM-DD' })
    .refine(isRealDate, { error: 'expects a date as YYYY-MM-DD' }),
);

const text = (what: string) =>
  z
    .string({ error: `expects ${what}` })
    .trim()
    .min(1, { error: `expects ${what}` });

export const exerciseRecordSchema = z.strictObject({
  'test-type': z
    .string({ error: 'expects the id of a test type in restore-proof.yml' })
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { error: 'expects the id of a test type in restore-proof.yml' })
    .default(DEFAULT_EXERCISE_TYPE),
  date: calendarDate,
  scenario: text('the scenario walked through, as text'),
  participants: z
    .array(z.strictObject({ role: text('a role (not a name)') }), { error: 'expects a list of { role }' })
    .min(1, { error: 'expects at least one participant' }),
  'duration-minutes': z
    .number({ error: 'expects whole minutes' })
    .int({ error: 'expects whole minutes' })
    .positive({ error: 'expects whole minutes' }),
  findings: z.array(text('a finding as text'), { error: 'expects a list of findings (text)' }),
  actions: z
    .array(
      z.strictObject({
        action: text('the action as text'),
        owner: text('the owning role'),
        due: calendarDate,
      }),
      { error: 'expects a list of { action, owner, due }' },
    )
    .default([]),
});

export type ExerciseRecord = z.output<typeof exerciseRecordSchema>;

/** Parses an exercise record's YAML. Throws one line naming the file and the key. */
export function parseExerciseRecord(yamlText: string, name = 'exercise-file'): ExerciseRecord {
  return parseValidatedYaml(exerciseRecordSchema, yamlText, name);
}

/**
 * The test type an exercise record fills, from restore-proof.yml: it must name an exercise type. Throws one
 * line naming the key and the ids it accepts. Its cadence is the one buildExerciseReport takes.
 */
export function exerciseTypeFor(
  config: EvidenceConfig,
  record: ExerciseRecord,
  name = 'exercise-file',
): TestType {
  const id = record['test-type'];
  const types = config.testTypes.filter((t) => t.evidence === 'exercise');
  const type = types.find((t) => t.id === id);
  if (type) return type;
  const accepted =
    types.length > 0
      ? `one of ${types.map((t) => t.id).join(', ')}`
      : 'none: restore-proof.yml names no exercise test type';
  throw new Error(
    `${name}: test-type: ${id} is not an exercise test type in restore-proof.yml (accepts ${accepted})`,
  );
}

/** The signed, chained document of one exercise (beside the drill reports, in the same chain). */
export interface ExerciseReport {
  schema: typeof EXERCISE_SCHEMA;
  kind: 'exercise';
  /** This document's own file name. */
  file: string;
  /** The test type (restore-proof.yml id) it fills. */
  testType: string;
  /** The day the exercise was held (YYYY-MM-DD) and that day's start in UTC, for scheduling. */
  date: string;
  startedAt: string;
  scenario: string;
  participants: { role: string }[];
  durationMinutes: number;
  findings: string[];
  actions: { action: string; owner: string; due: string }[];
  run: RunContext;
  tool: { name: 'restore-proof'; version: string };
  generatedAt: string;
  /** When this evidence expires for its test type's cadence. */
  validUntil: string;
  previous: { file: string; sha256: string } | null;
  markdown: { file: string; sha256: string };
  signature: ReportSignature | null;
}

/** File names sort by when the record was made (so the chain only ever grows at its end). */
export function exerciseStem(generatedAt: Date, testType: string): string {
  return `${fileStamp(generatedAt.toISOString())}-exercise-${slug(testType)}`;
}

export interface BuildExerciseInput {
  record: ExerciseRecord;
  /** The cadence of the test type it fills (restore-proof.yml), for validUntil. */
  cadence: string;
  run: RunContext;
  file: string;
  markdownFile: string;
  previous: { file: string; sha256: string } | null;
  generatedAt: Date;
  toolVersion: string;
  secrets: readonly string[];
}

/** The exercise document without its Markdown hash and signature (the writer fills both, as for a drill). */
export function buildExerciseReport(input: BuildExerciseInput): ExerciseReport {
  const { record } = input;
  const startedAt = `${record.date}T00:00:00.000Z`;
  if (Date.parse(startedAt) > input.generatedAt.getTime())
    throw new Error(`exercise-file: date: ${record.date} is in the future`);
  const report: ExerciseReport = {
    schema: EXERCISE_SCHEMA,
    kind: 'exercise',
    file: input.file,
    testType: record['test-type'],
    date: record.date,
    startedAt,
    scenario: record.scenario,
    participants: record.participants.map((p) => ({ role: p.role })),
    durationMinutes: record['duration-minutes'],
    findings: [...record.findings],
    actions: record.actions.map((a) => ({ action: a.action, owner: a.owner, due: a.due })),
    run: input.run,
    tool: { name: 'restore-proof', version: input.toolVersion },
    generatedAt: input.generatedAt.toISOString(),
    validUntil: validUntil(input.cadence, new Date(startedAt)).toISOString(),
    previous: input.previous,
    markdown: { file: input.markdownFile, sha256: '' },
    signature: null,
  };
  return sanitizeDeep(report, input.secrets);
}

/** True for an exercise document read back from the directory (a drill report has no kind). */
export function isExerciseReport(document: { schema?: unknown }): document is ExerciseReport {
  return document.schema === EXERCISE_SCHEMA;
}
