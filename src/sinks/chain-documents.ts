/**
 * Writes the chain's other documents into the report directory, linked, hashed and signed exactly like a
 * drill report (report-files.ts): a recorded exercise (record-exercise) and a retraction of a mistaken report.
 * Each write regenerates the evidence index and returns every file written, for the commit.
 */
import type { KeyObject } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../log/logger.js';
import { sha256Hex } from '../report/canonical.js';
import { uniqueStem } from '../report/compose.js';
import {
  buildExerciseReport,
  exerciseStem,
  type ExerciseRecord,
  type ExerciseReport,
} from '../report/exercise.js';
import { runContextFromEnv, type RunContext } from '../report/model.js';
import { renderExerciseMarkdown } from '../report/render/exercise-markdown.js';
import { renderRetractionMarkdown } from '../report/render/retraction-markdown.js';
import { buildRetraction, retractionStem, type RetractionDocument } from '../report/retraction.js';
import { publicKeyFingerprint, signReport } from '../report/signing.js';
import { listReportFiles } from './report-dir.js';
import {
  ensurePublicKey,
  shownReportDir,
  warnSignedOntoUnsigned,
  writeEvidenceIndex,
} from './report-files.js';

export interface ChainWriteInput {
  dir: string;
  signingKey: KeyObject | null;
  env?: Record<string, string | undefined>;
  now?: Date;
  logger?: Logger;
  secrets?: readonly string[];
  toolVersion?: string;
}

export interface WrittenDocument<T> {
  document: T;
  markdown: string;
  jsonPath: string;
  markdownPath: string;
  evidenceIndexPath: string;
  /** Every file this run wrote, for the commit. */
  files: string[];
}

interface Composed<T> {
  document: T & { markdown: { file: string; sha256: string }; signature: unknown; file: string };
  render: (fingerprint: string | null, shownDir: string) => string;
}

async function writeChained<T>(
  input: ChainWriteInput,
  compose: (ctx: {
    stem: (base: string) => string;
    previous: { file: string; sha256: string } | null;
    run: RunContext;
    now: Date;
  }) => Composed<T>,
): Promise<WrittenDocument<T>> {
  const { dir } = input;
  const env = input.env ?? {};
  const now = input.now ?? new Date();
  await mkdir(dir, { recursive: true });
  const last = (await listReportFiles(dir)).at(-1);
  const lastBytes = last ? await readFile(join(dir, last)) : null;
  warnSignedOntoUnsigned(lastBytes?.toString('utf8') ?? null, last, input.signingKey !== null, input.logger);
  const taken = new Set(await readdir(dir));
  const { document, render } = compose({
    stem: (base) => uniqueStem(base, taken),
    previous: last && lastBytes ? { file: last, sha256: sha256Hex(lastBytes) } : null,
    run: runContextFromEnv(env, 'adhoc'),
    now,
  });
  const fingerprint = input.signingKey ? publicKeyFingerprint(input.signingKey) : null;
  const markdown = render(fingerprint, shownReportDir(dir, env.GITHUB_WORKSPACE || process.cwd()));
  document.markdown.sha256 = sha256Hex(markdown);
  if (input.signingKey) document.signature = signReport(document, input.signingKey);
  const json = `${JSON.stringify(document, null, 2)}\n`;
  const jsonPath = join(dir, document.file);
  const markdownPath = join(dir, document.markdown.file);
  await writeFile(markdownPath, markdown, { flag: 'wx' });
  await writeFile(jsonPath, json, { flag: 'wx' });
  const files = [jsonPath, markdownPath];
  if (input.signingKey) {
    const key = await ensurePublicKey(dir, input.signingKey, input.logger);
    if (key) files.push(key);
  }
  const evidenceIndexPath = await writeEvidenceIndex(dir, now, input.logger);
  files.push(evidenceIndexPath);
  input.logger?.info(
    `report: ${document.file} written${fingerprint ? ` (signed ${fingerprint})` : ' (unsigned)'}`,
  );
  return { document, markdown, jsonPath, markdownPath, evidenceIndexPath, files };
}

/** Writes a validated exercise record as a signed document in the chain. */
export function writeExercise(
  input: ChainWriteInput & { record: ExerciseRecord; cadence: string },
): Promise<WrittenDocument<ExerciseReport>> {
  return writeChained(input, ({ stem, previous, run, now }) => {
    const s = stem(exerciseStem(now, input.record['test-type']));
    const document = buildExerciseReport({
      record: input.record,
      cadence: input.cadence,
      run: { ...run, cadence: input.cadence },
      file: `${s}.json`,
      markdownFile: `${s}.md`,
      previous,
      generatedAt: now,
      toolVersion: input.toolVersion ?? 'dev',
      secrets: input.secrets ?? [],
    });
    return {
      document,
      render: (signingFingerprint, reportDir) =>
        renderExerciseMarkdown(document, { signingFingerprint, reportDir }),
    };
  });
}

/** Appends a signed retraction of an earlier document of the chain (never deletes it). */
export async function writeRetraction(
  input: ChainWriteInput & { file: string; reason: string },
): Promise<WrittenDocument<RetractionDocument>> {
  const files = await listReportFiles(input.dir);
  if (!files.includes(input.file))
    throw new Error(`retraction: ${input.file} is not a document of the chain in ${input.dir}`);
  const sha256 = sha256Hex(await readFile(join(input.dir, input.file)));
  return writeChained(input, ({ stem, previous, run, now }) => {
    const s = stem(retractionStem(now));
    const document = buildRetraction({
      retracts: { file: input.file, sha256 },
      reason: input.reason,
      run,
      file: `${s}.json`,
      markdownFile: `${s}.md`,
      previous,
      generatedAt: now,
      toolVersion: input.toolVersion ?? 'dev',
      secrets: input.secrets ?? [],
    });
    return {
      document,
      render: (signingFingerprint, reportDir) =>
        renderRetractionMarkdown(document, { signingFingerprint, reportDir }),
    };
  });
}
