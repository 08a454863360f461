/**
 * The main step's dispatch: plan once, then the command's own file (restore-test, preflight, janitor,
 * verify-reports). main.ts and cli.ts adapt their surroundings into an EngineIO and call runMain; the post
 * step is post.ts. Tests call them the same way.
 */
import type { RDSClient } from '@aws-sdk/client-rds';
import { annualReportCommand } from './annual-report.js';
import { janitorCommand } from './janitor.js';
import { recordExerciseCommand } from './record-exercise.js';
import { preflightCommand } from './preflight.js';
import { restoreTestCommand, type RestoreTestOptions } from './restore-test.js';
import { verifyReportsCommand } from './verify-reports.js';
import type { EngineIO } from '../host/io.js';
import type { Logger } from '../log/logger.js';
import { InputError, buildPlan } from '../inputs/plan.js';
import type { Plan } from '../model/types.js';
import { planWarnings } from '../inputs/plan-warnings.js';
import { probeReportDir } from '../inputs/report-dir-probe.js';
import { EXIT } from './exit-codes.js';
import { cadencePeriod } from '../report/cadence.js';
import { secretsOf } from '../inputs/secrets.js';

const isScheduled = (cadence: string): boolean =>
  cadencePeriod(cadence).name !== null || cadence === 'adhoc' || cadence === 'audit';

/** signal (the runner cancels the job), provider, validator, clock, first query: see RestoreTestOptions. */
export interface MainOptions extends RestoreTestOptions {
  /** The RDS client for commands that sweep or describe without a provider (tests inject one). */
  rds?: (region: string) => RDSClient;
  now?: () => Date;
}

/** Runs the main step. Resolves with the process exit code (exit-codes.ts): 0 pass, 1 fail, 2 bad input, 3 error. */
export async function runMain(io: EngineIO, options: MainOptions = {}): Promise<number> {
  try {
    const plan = buildPlan(io.inputs, io.env);
    registerSecrets(plan, io.logger, io.env);
    for (const warning of planWarnings(plan, plan.command === 'restore-test' ? isScheduled : undefined))
      io.logger.warning(warning);
    if (plan.command === 'restore-test') probeReportDir(plan.reportDir);
    switch (plan.command) {
      case 'restore-test':
        return await restoreTestCommand(plan, io, options);
      case 'preflight':
        return await preflightCommand(plan, io, options);
      case 'janitor':
        return await janitorCommand(plan, io, options);
      case 'verify-reports':
        return await verifyReportsCommand(plan, io);
      case 'record-exercise':
        return await recordExerciseCommand(plan, io, options);
      case 'annual-report':
        return await annualReportCommand(plan, io, options);
    }
  } catch (error) {
    // Bad input, from the plan or found while describing the source: one line naming the input.
    if (error instanceof InputError) {
      io.logger.error(error.message);
      io.setOutput('result', 'error');
      return EXIT.input;
    }
    throw error;
  }
}

/** Registers every secret in the plan, the passwords inside its URLs, and PGPASSWORD, with the logger. */
export function registerSecrets(plan: Plan, logger: Logger, env: NodeJS.ProcessEnv = {}): void {
  if (env.PGPASSWORD) logger.setSecret(env.PGPASSWORD);
  for (const secret of secretsOf(plan)) logger.setSecret(secret);
}
