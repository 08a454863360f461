/**
 * command: record-exercise. Reads and validates the exercise record (exercise-file) against restore-proof.yml
 * before anything is written; then writes it as a signed document in the report chain, regenerates the index
 * (the exercise's test type row is filled) and commits like a drill when commit-report is true.
 */
import { readFile } from 'node:fs/promises';
import type { EngineIO } from '../host/io.js';
import type { RecordExercisePlan } from '../inputs/plan-types.js';
import { exerciseTypeFor, parseExerciseRecord, type ExerciseRecord } from '../report/exercise.js';
import { isRetractionRecord, parseRetractionRecord } from '../report/retraction.js';
import { writeExercise, writeRetraction } from '../sinks/chain-documents.js';
import { readyReportBranch, type ReportBranchTarget } from '../sinks/report-branch.js';
import { commitReport } from '../sinks/report-commit.js';
import { readEvidenceConfig } from '../sinks/report-dir.js';
import { EXIT } from './exit-codes.js';

export interface EvidenceCommandOptions {
  now?: () => Date;
}

export async function recordExerciseCommand(
  plan: RecordExercisePlan,
  io: EngineIO,
  options: EvidenceCommandOptions = {},
): Promise<number> {
  const now = options.now?.() ?? new Date();
  const { reportDir } = plan.evidence;
  let record: ExerciseRecord;
  let cadence: string;
  let reportBranch: ReportBranchTarget | { error: string } | undefined;
  try {
    let text: string;
    try {
      text = await readFile(plan.exerciseFile, 'utf8');
    } catch {
      throw new Error(`exercise-file: ${plan.exerciseFile} cannot be read`);
    }
    if (isRetractionRecord(text)) {
      const retraction = parseRetractionRecord(text);
      return await retract(plan, io, retraction, now, await readyBranch(plan, io));
    }
    record = parseExerciseRecord(text, 'exercise-file');
    // report-branch: the chain to append to is the branch's, read before anything reads the directory.
    reportBranch = await readyBranch(plan, io);
    cadence = exerciseTypeFor(await readEvidenceConfig(reportDir), record).cadence;
    if (Date.parse(`${record.date}T00:00:00Z`) > now.getTime())
      throw new Error(`exercise-file: date: ${record.date} is in the future`);
  } catch (error) {
    // A record that cannot be read or is not valid is bad input: nothing is written.
    io.logger.error((error as Error).message);
    io.setOutput('result', 'error');
    return EXIT.input;
  }

  const written = await writeExercise({
    dir: reportDir,
    signingKey: plan.evidence.signingKey ?? null,
    env: io.env,
    now,
    logger: io.logger,
    secrets: plan.secrets,
    record,
    cadence,
  });
  io.setOutput('result', 'pass');
  io.setOutput('report-path', written.markdownPath);
  io.setOutput('report-json', written.jsonPath);
  await io.summary?.(written.markdown);
  const doc = written.document;
  await commitIfAsked(
    plan,
    io,
    written.files,
    doc.file,
    {
      headline: `restore-proof: ${doc.testType} exercise recorded (${doc.date})`,
      body: `Record: ${doc.file}${doc.signature ? `\nSigned: ${doc.signature.publicKeyFingerprint}` : ''}\n\n[skip ci]`,
    },
    reportBranch,
  );
  return 0;
}

/** A retraction record (`retracts`, `reason`) given as exercise-file: appended to the chain, never a deletion. */
async function retract(
  plan: RecordExercisePlan,
  io: EngineIO,
  record: { retracts: string; reason: string },
  now: Date,
  reportBranch: ReportBranchTarget | { error: string } | undefined,
): Promise<number> {
  let written: Awaited<ReturnType<typeof writeRetraction>>;
  try {
    written = await writeRetraction({
      dir: plan.evidence.reportDir,
      signingKey: plan.evidence.signingKey ?? null,
      env: io.env,
      now,
      logger: io.logger,
      secrets: plan.secrets,
      file: record.retracts,
      reason: record.reason,
    });
  } catch (error) {
    // A retraction naming no document of the chain is bad input: nothing is written.
    io.logger.error(`exercise-file: retracts: ${(error as Error).message}`);
    io.setOutput('result', 'error');
    return EXIT.input;
  }
  io.setOutput('result', 'pass');
  io.setOutput('report-path', written.markdownPath);
  io.setOutput('report-json', written.jsonPath);
  await io.summary?.(written.markdown);
  await commitIfAsked(
    plan,
    io,
    written.files,
    written.document.file,
    {
      headline: `restore-proof: retract ${record.retracts}`,
      body: `Reason: ${written.document.reason}\nRetraction: ${written.document.file}\n\n[skip ci]`,
    },
    reportBranch,
  );
  return 0;
}

async function commitIfAsked(
  plan: RecordExercisePlan,
  io: EngineIO,
  files: string[],
  file: string,
  message: { headline: string; body: string },
  reportBranch: ReportBranchTarget | { error: string } | undefined,
): Promise<void> {
  if (!plan.evidence.commitReport) return;
  const committed = await commitReport({
    plan: { commitReport: true, githubToken: plan.evidence.githubToken, reportDir: plan.evidence.reportDir },
    written: { files, report: { file }, message },
    env: io.env,
    logger: io.logger,
    reportBranch,
  });
  if (committed.oid) io.setOutput('commit-sha', committed.oid);
  (committed.status === 'failed' ? io.logger.warning : io.logger.info)(`commit: ${committed.message}`);
}

const readyBranch = (plan: RecordExercisePlan, io: EngineIO) =>
  readyReportBranch(
    {
      commitReport: plan.evidence.commitReport,
      githubToken: plan.evidence.githubToken,
      reportDir: plan.evidence.reportDir,
      reportBranch: plan.evidence.reportBranch,
    },
    io.env,
    io.logger,
  );
