import type { RDSClient } from '@aws-sdk/client-rds';
import type { EngineIO } from '../host/io.js';
import { renderSweep, sweep } from '../janitor/sweep.js';
import { rdsClient } from '../providers/rds/aurora.js';
import type { Plan } from '../model/types.js';

/** command: janitor. Exit 0 unless a delete failed. */
export async function janitorCommand(
  plan: Plan,
  io: EngineIO,
  options: { rds?: (region: string) => RDSClient; now?: () => Date },
): Promise<number> {
  const client = (options.rds ?? rdsClient)(plan.awsRegion!);
  const dryRun = plan.dryRun ?? false;
  const result = await sweep(client, {
    now: (options.now ?? (() => new Date()))(),
    dryRun,
    logger: io.logger,
  });
  await io.summary?.(renderSweep(result, dryRun));
  io.setOutput('result', result.failed === 0 ? 'pass' : 'fail');
  io.logger.info(
    `janitor: ${result.deleted} deleted, ${result.refused} refused, ${result.failed} failed${dryRun ? ' (dry run)' : ''}`,
  );
  return result.failed === 0 ? 0 : 1;
}
