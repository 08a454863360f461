/**
 * Retiring a mistaken report without deleting it: a retraction is a document appended to the same hash chain
 * (signed like a drill report) that names the retracted file, the SHA-256 of its bytes and the reason. The
 * retracted report stays in the directory and keeps verifying; the schedule, the index and the annual report
 * leave it out and say so. Deleting a report breaks the chain on purpose; a retraction is the documented way.
 */
import { z } from 'zod';
import { parseValidatedYaml } from './validated-yaml.js';
import { fileStamp, REPORT_FILE, type ReportSignature, type RunContext } from './model.js';
import { sanitizeDeep } from './sanitize.js';

export const RETRACTION_SCHEMA = 'restore-proof/retraction@1';

export interface RetractionDocument {
  schema: typeof RETRACTION_SCHEMA;
  kind: 'retraction';
  file: string;
  /** The retracted document (an earlier file of the chain) and the SHA-256 of its bytes when retracted. */
  retracts: { file: string; sha256: string };
  reason: string;
  run: RunContext;
  tool: { name: 'restore-proof'; version: string };
  generatedAt: string;
  previous: { file: string; sha256: string } | null;
  markdown: { file: string; sha256: string };
  signature: ReportSignature | null;
}

export function retractionStem(generatedAt: Date): string {
  return `${fileStamp(generatedAt.toISOString())}-retraction`;
}

export interface BuildRetractionInput {
  retracts: { file: string; sha256: string };
  reason: string;
  run: RunContext;
  file: string;
  markdownFile: string;
  previous: { file: string; sha256: string } | null;
  generatedAt: Date;
  toolVersion: string;
  secrets: readonly string[];
}

/** The retraction without its Markdown hash and signature (the writer fills both). Throws one line. */
export function buildRetraction(input: BuildRetractionInput): RetractionDocument {
  const reason = input.reason.trim().replace(/\s+/g, ' ');
  if (!reason) throw new Error('retraction: reason: expects why the report is retracted, as text');
  if (!REPORT_FILE.test(input.retracts.file))
    throw new Error(`retraction: ${input.retracts.file} is not a report file of the chain`);
  const document: RetractionDocument = {
    schema: RETRACTION_SCHEMA,
    kind: 'retraction',
    file: input.file,
    retracts: { ...input.retracts },
    reason,
    run: input.run,
    tool: { name: 'restore-proof', version: input.toolVersion },
    generatedAt: input.generatedAt.toISOString(),
    previous: input.previous,
    markdown: { file: input.markdownFile, sha256: '' },
    signature: null,
  };
  return sanitizeDeep(document, input.secrets);
}

export function isRetraction(document: { schema?: unknown }): document is RetractionDocument {
  return document.schema === RETRACTION_SCHEMA;
}

/** The files the retractions retire (a retraction of a retraction is not honoured: append a new report). */
export function retractedFiles(retractions: readonly RetractionDocument[]): Map<string, string> {
  return new Map(retractions.map((r) => [r.retracts.file, r.reason]));
}

/** A retraction record (YAML, given to record-exercise as exercise-file): `retracts: <file>`, `reason: <text>`. */
export const retractionRecordSchema = z.strictObject({
  retracts: z
    .string({ error: 'expects the JSON file name of the report to retract' })
    .regex(REPORT_FILE, { error: 'expects the JSON file name of the report to retract' }),
  reason: z
    .string({ error: 'expects why the report is retracted, as text' })
    .trim()
    .min(1, { error: 'expects why the report is retracted, as text' }),
});

/** True when the record's text is a retraction (its top level names `retracts`). */
export const isRetractionRecord = (text: string): boolean => /^retracts\s*:/m.test(text);

export function parseRetractionRecord(
  text: string,
  name = 'exercise-file',
): z.output<typeof retractionRecordSchema> {
  return parseValidatedYaml(retractionRecordSchema, text, name);
}
