import type { RDSClient } from '@aws-sdk/client-rds';
import type { EngineIO } from '../host/io.js';
import { preflightExitCode, runPreflight } from '../preflight/preflight.js';
import type { CheckResult, Plan } from '../model/types.js';

/**
 * command: preflight. Backup posture of the live source and/or the Terraform policy, without restoring.
 * Exit 1 when a check fails or errors (or nothing could be checked); warnings do not fail.
 */
export async function preflightCommand(
  plan: Plan,
  io: EngineIO,
  options: { rds?: (region: string) => RDSClient },
): Promise<number> {
  const checks = await runPreflight(plan, {
    logger: io.logger,
    cwd: io.env.GITHUB_WORKSPACE,
    rds: options.rds && plan.awsRegion ? options.rds(plan.awsRegion) : undefined,
    annotate: (a) =>
      io.annotate
        ? io.annotate(a.level, a.message, { file: a.file, startLine: a.line })
        : (a.level === 'error' ? io.logger.error : io.logger.warning)(`${a.file}:${a.line}: ${a.message}`),
  });
  const code = preflightExitCode(checks);
  const failed = checks.filter((c) => c.status === 'fail' || c.status === 'error');
  io.setOutput('result', code === 0 ? 'pass' : 'fail');
  io.setOutput('checks-passed', String(checks.filter((c) => c.status === 'pass').length));
  io.setOutput('checks-failed', String(failed.length));
  // runPreflight has logged each check once; the summary table is the only other place they appear.
  await io.summary?.(renderPreflight(checks, code === 0));
  return code;
}

function renderPreflight(checks: CheckResult[], passed: boolean): string {
  const rank = { fail: 0, error: 1, warn: 2, pass: 3, skip: 4 } as const;
  const rows = [...checks]
    .sort((a, b) => rank[a.status] - rank[b.status])
    .map((c) => `| ${c.status} | \`${c.id}\` | ${c.summary.replace(/\|/g, '\\|')} |`);
  return [
    `## restore-proof preflight: ${passed ? 'PASS' : 'FAIL'}`,
    '',
    '| status | check | summary |',
    '| --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
