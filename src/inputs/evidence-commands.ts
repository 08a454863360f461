/**
 * The inputs of the evidence commands: record-exercise (exercise-file, a path the engine reads and validates
 * before anything is written) and annual-report (year, a calendar year in UTC; default the current year).
 */
import { InputError } from './input-error.js';
import type { AnnualReportPlan, EvidenceSettings, RecordExercisePlan } from './plan-types.js';
import { defined, type InputReader } from './raw-inputs.js';
import { wholeNumber } from './values.js';

export type PlannedEvidenceCommand =
  | Pick<RecordExercisePlan, 'command' | 'exerciseFile' | 'evidence'>
  | Pick<AnnualReportPlan, 'command' | 'year' | 'reportDir' | 'publicKey'>;

export function planEvidenceCommand(
  inputs: InputReader,
  command: 'record-exercise' | 'annual-report',
  evidence: EvidenceSettings,
  publicKey: string | undefined,
  now: Date = new Date(),
): PlannedEvidenceCommand {
  if (command === 'record-exercise') {
    const exerciseFile = inputs.get('exercise-file');
    if (exerciseFile === undefined)
      throw new InputError(
        'exercise-file',
        'is required with command record-exercise (a YAML exercise record)',
      );
    return { command, exerciseFile, evidence };
  }
  const year = inputs.parse('year', (v) => wholeNumber('year', v, 2000, 9999, 'years (a calendar year)'));
  return defined({
    command,
    year: year ?? now.getUTCFullYear(),
    reportDir: evidence.reportDir,
    publicKey,
  });
}
