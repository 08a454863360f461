import type { EngineIO } from '../host/io.js';
import { formatVerifyResult, renderVerifySummary, verifyExitCode } from '../report/verify.js';
import { verifyReportDir } from '../sinks/report-dir.js';
import type { Plan } from '../model/types.js';

/** command: verify-reports. Exit 0 only when every report in report-dir is signed and verified. */
export async function verifyReportsCommand(plan: Plan, io: EngineIO): Promise<number> {
  const result = await verifyReportDir(plan.reportDir, { publicKey: plan.publicKey });
  for (const line of formatVerifyResult(result)) io.logger.info(line);
  await io.summary?.(renderVerifySummary(result));
  const code = verifyExitCode(result);
  io.setOutput('result', code === 0 ? 'pass' : 'fail');
  if (code !== 0) io.logger.error(result.message);
  return code;
}
