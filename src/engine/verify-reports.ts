import type { EngineIO } from '../host/io.js';
import { formatVerifyResult, renderVerifySummary, verifyExitCode } from '../report/verify.js';
import { verifyReportDir } from '../sinks/report-dir.js';
import type { Plan } from '../model/types.js';

/** command: verify-reports. Exit 0 only when every report in report-dir is signed and verified. */
export async function verifyReportsCommand(plan: Plan, io: EngineIO): Promise<number> {
  const result = await verifyReportDir(plan.reportDir, { publicKey: plan.publicKey });
  const code = verifyExitCode(result);
  // Each line once: the last line is the verdict, an error when a report does not hold.
  const lines = formatVerifyResult(result);
  const verdict = lines.pop()!;
  for (const line of lines) io.logger.info(line);
  (code === 0 ? io.logger.info : io.logger.error)(verdict);
  await io.summary?.(renderVerifySummary(result));
  io.setOutput('result', code === 0 ? 'pass' : 'fail');
  return code;
}
