/**
 * Every sink a finished drill's evidence goes to, in order: the signed report files, the runner's outputs,
 * summary and annotations, CloudWatch, and the verified commit. A failed or errored drill is published too.
 */
import type { DrillOutcome, Plan } from '../model/types.js';
import type { EngineIO } from '../host/io.js';
import type { EvidenceSettings } from '../inputs/plan-types.js';
import { publishToActions, type ActionsCore } from './github-actions.js';
import { publishMetrics } from './cloudwatch.js';
import { readyReportBranch } from './report-branch.js';
import { commitReport } from './report-commit.js';
import { writeReport } from './report-files.js';

/** Publishes the outcome. Resolves with the exit code: 0 pass, 1 fail (or evidence that could not be written). */
export async function publishDrill(
  plan: Plan & { evidence?: Pick<EvidenceSettings, 'reportBranch' | 'signingKey'> },
  io: EngineIO,
  outcome: DrillOutcome,
): Promise<number> {
  let summary = '';
  const core: ActionsCore = {
    setOutput: (name, value) => io.setOutput(name, value),
    error: (message, properties) =>
      io.annotate ? io.annotate('error', message, properties) : io.logger.error(message),
    warning: (message, properties) =>
      io.annotate ? io.annotate('warning', message, properties) : io.logger.warning(message),
    summary: {
      addRaw: (text: string) => (summary += text),
      write: async () => io.summary?.(summary),
    },
  };
  try {
    // Before the report is written: it must chain onto the report branch's last document.
    const reportBranch = await readyReportBranch(
      { ...plan, reportBranch: plan.evidence?.reportBranch },
      io.env,
      io.logger,
    );
    const written = await writeReport({ plan, outcome, env: io.env, logger: io.logger });
    await publishToActions({ written, core, env: io.env });
    // Never throws; a failed publish is a warning and the verdict stands.
    await publishMetrics({ plan, report: written.report, logger: io.logger });
    if (plan.commitReport) {
      const committed = await commitReport({ plan, written, env: io.env, logger: io.logger, reportBranch });
      if (committed.oid) io.setOutput('commit-sha', committed.oid);
      (committed.status === 'failed' ? io.logger.warning : io.logger.info)(`commit: ${committed.message}`);
    }
  } catch (error) {
    // The drill's verdict stands; evidence that could not be written makes the run fail loudly.
    io.logger.error(`report could not be written: ${(error as Error).message}`);
    setBareOutputs(io, outcome);
    return 1;
  }
  return outcome.result === 'pass' ? 0 : 1;
}

function setBareOutputs(io: EngineIO, outcome: DrillOutcome): void {
  io.setOutput('result', 'fail');
  io.setOutput('restored-cluster', outcome.restore.restoredCluster ?? '');
  io.setOutput('restore-seconds', outcome.restore.seconds === null ? '' : String(outcome.restore.seconds));
}
