/**
 * command: record-exercise. Reads and validates the exercise record (exercise-file) against restore-proof.yml
 * before anything is written; then writes it as a signed document in the report chain, regenerates the index
 * (the exercise's test type row is filled) and commits like a drill when commit-report is true.
 */
import { readFile } from 'node:fs/promises';
import type { EngineIO } from '../host/io.js';
import type { RecordExercisePlan } from '../inputs/plan-types.js';
import { exerciseTypeFor, parseExerciseRecord, type ExerciseRecord } from '../report/exercise.js';
import { writeExercise } from '../sinks/chain-documents.js';
import { commitReport } from '../sinks/report-commit.js';
import { readEvidenceConfig } from '../sinks/report-dir.js';

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
  try {
    let text: string;
    try {
      text = await readFile(plan.exerciseFile, 'utf8');
    } catch {
      throw new Error(`exercise-file: ${plan.exerciseFile} cannot be read`);
    }
    record = parseExerciseRecord(text, 'exercise-file');
    cadence = exerciseTypeFor(await readEvidenceConfig(reportDir), record).cadence;
    if (Date.parse(`${record.date}T00:00:00Z`) > now.getTime())
      throw new Error(`exercise-file: date: ${record.date} is in the future`);
  } catch (error) {
    io.logger.error((error as Error).message);
    io.setOutput('result', 'fail');
    return 1;
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
  if (plan.evidence.commitReport) {
    const doc = written.document;
    const committed = await commitReport({
      plan: { commitReport: true, githubToken: plan.evidence.githubToken, reportDir },
      written: {
        files: written.files,
        report: { file: doc.file },
        message: {
          headline: `restore-proof: ${doc.testType} exercise recorded (${doc.date})`,
          body: `Record: ${doc.file}${doc.signature ? `\nSigned: ${doc.signature.publicKeyFingerprint}` : ''}\n\n[skip ci]`,
        },
      },
      env: io.env,
      logger: io.logger,
    });
    (committed.status === 'failed' ? io.logger.warning : io.logger.info)(`commit: ${committed.message}`);
  }
  return 0;
}
