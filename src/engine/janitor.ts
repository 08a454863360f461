import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { RDSClient } from '@aws-sdk/client-rds';
import type { EngineIO } from '../host/io.js';
import { renderSweep, sweep } from '../janitor/sweep.js';
import { rdsClient, RdsRegion } from '../providers/rds/region.js';
import type { Plan } from '../model/types.js';
import { publishEvidenceAge } from '../sinks/evidence-age.js';

/** command: janitor. Exit 0 unless a delete failed. */
export async function janitorCommand(
  plan: Plan,
  io: EngineIO,
  options: { rds?: (region: string) => RDSClient; now?: () => Date; cloudwatch?: CloudWatchClient },
): Promise<number> {
  const region = plan.awsRegion!;
  const api = new RdsRegion(region, (options.rds ?? rdsClient)(region));
  const dryRun = plan.dryRun ?? false;
  const result = await sweep(api, {
    now: (options.now ?? (() => new Date()))(),
    dryRun,
    logger: io.logger,
  });
  await io.summary?.(renderSweep(result, dryRun));
  // The evidence-overdue alarm's heartbeat: each source's hours since its last pass (docs/metrics.md).
  if (plan.metricsNamespace)
    await publishEvidenceAge({
      namespace: plan.metricsNamespace,
      region,
      reportDir: plan.reportDir,
      logger: io.logger,
      now: options.now,
      cloudwatch: options.cloudwatch,
    });
  io.setOutput('result', result.failed === 0 ? 'pass' : 'fail');
  io.logger.info(
    `janitor: ${result.deleted} deleted, ${result.refused} refused, ${result.failed} failed${dryRun ? ' (dry run)' : ''}`,
  );
  return result.failed === 0 ? 0 : 1;
}
