/**
 * What a drill cost, estimated from what it did: the copy's instance class times the time its instance
 * existed (Aurora and RDS for PostgreSQL bill instances per second with a 10-minute minimum), plus storage,
 * I/O and cross-region transfer where their size is known. Each RDS provider has its own rate card: an Aurora
 * cluster's at Aurora rates, an RDS for PostgreSQL instance's (source-instance) at single-AZ RDS rates. An
 * estimate for budgeting a cadence, never a bill: the prices are fixed tables below, not read from the AWS
 * Price List API, and they are us-east-1 on-demand list prices.
 */
import type { CostItem, DrillCost, DrillOutcome, ProviderName } from '../model/types.js';
import type { RestoreTestPlan as Plan } from '../inputs/plan-types.js';
import { PRICING_REGION } from '../report/model.js';

/**
 * Aurora PostgreSQL, Aurora Standard storage configuration, on-demand, us-east-1, USD per instance-hour.
 * Figures as of 2025-06 (AWS Aurora pricing page). Third-party tables quote some classes up to ~15% higher;
 * check https://aws.amazon.com/rds/aurora/pricing/ before relying on a figure, and update PRICES_AS_OF with them.
 */
export const PRICES_AS_OF = '2025-06';

export const AURORA_POSTGRESQL_HOURLY_USD: Readonly<Record<string, number>> = {
  'db.t3.medium': 0.082,
  'db.t3.large': 0.164,
  'db.t4g.medium': 0.073,
  'db.t4g.large': 0.146,
  'db.r5.large': 0.29,
  'db.r5.xlarge': 0.58,
  'db.r5.2xlarge': 1.16,
  'db.r5.4xlarge': 2.32,
  'db.r5.8xlarge': 4.64,
  'db.r6g.large': 0.26,
  'db.r6g.xlarge': 0.519,
  'db.r6g.2xlarge': 1.038,
  'db.r6g.4xlarge': 2.076,
  'db.r6g.8xlarge': 4.152,
  'db.r6i.large': 0.29,
  'db.r6i.xlarge': 0.58,
  'db.r6i.2xlarge': 1.16,
  'db.r6i.4xlarge': 2.32,
  'db.r7g.large': 0.276,
  'db.r7g.xlarge': 0.553,
  'db.r7g.2xlarge': 1.106,
  'db.r7g.4xlarge': 2.211,
};

/**
 * RDS for PostgreSQL, Single-AZ deployment, on-demand, us-east-1, USD per instance-hour, as of PRICES_AS_OF
 * (AWS RDS for PostgreSQL pricing page). Check https://aws.amazon.com/rds/postgresql/pricing/ before relying on
 * a figure. A drill's copy is always single-AZ (MultiAZ false).
 */
export const RDS_POSTGRESQL_HOURLY_USD: Readonly<Record<string, number>> = {
  'db.t3.micro': 0.018,
  'db.t3.small': 0.036,
  'db.t3.medium': 0.072,
  'db.t3.large': 0.145,
  'db.t4g.micro': 0.016,
  'db.t4g.small': 0.032,
  'db.t4g.medium': 0.065,
  'db.t4g.large': 0.129,
  'db.m5.large': 0.178,
  'db.m5.xlarge': 0.356,
  'db.m5.2xlarge': 0.712,
  'db.m5.4xlarge': 1.424,
  'db.m6g.large': 0.159,
  'db.m6g.xlarge': 0.318,
  'db.m6g.2xlarge': 0.636,
  'db.m6g.4xlarge': 1.272,
  'db.m6i.large': 0.178,
  'db.m6i.xlarge': 0.356,
  'db.m6i.2xlarge': 0.712,
  'db.r5.large': 0.25,
  'db.r5.xlarge': 0.5,
  'db.r5.2xlarge': 1.0,
  'db.r5.4xlarge': 2.0,
  'db.r6g.large': 0.225,
  'db.r6g.xlarge': 0.449,
  'db.r6g.2xlarge': 0.898,
  'db.r6g.4xlarge': 1.796,
  'db.r6i.large': 0.25,
  'db.r6i.xlarge': 0.5,
  'db.r6i.2xlarge': 1.0,
};
/** RDS General Purpose (gp2, gp3) storage, Single-AZ, USD per GB-month (billed pro rata). */
export const RDS_STORAGE_USD_PER_GB_MONTH = 0.115;

/** Aurora Standard storage, USD per GB-month (billed pro rata); I/O per million requests; inter-region transfer per GB. */
export const STORAGE_USD_PER_GB_MONTH = 0.1;
export const IO_USD_PER_MILLION = 0.2;
export const INTER_REGION_USD_PER_GB = 0.02;
/** Aurora instances: billed in 1-second increments with a 10-minute minimum. */
export const MINIMUM_BILLED_SECONDS = 600;
const HOURS_PER_MONTH = 730;

export interface CostInput {
  outcome: Pick<DrillOutcome, 'provider' | 'restore' | 'cleanup' | 'finishedAt'>;
  plan: Pick<Plan, 'instanceClass' | 'awsRegion' | 'targetRegion'>;
  /** The copy's instance class when the plan did not set one (the source writer's). */
  instanceClass?: string;
  /** Size of the restored volume / copied snapshot in GB, when known. */
  storageGb?: number;
}

/** What one provider's copy is priced at. */
interface RateCard {
  hourly: Readonly<Record<string, number>>;
  storageUsdPerGbMonth: number;
  io: string;
}

const RATE_CARDS: Partial<Record<ProviderName, RateCard>> = {
  aurora: {
    hourly: AURORA_POSTGRESQL_HOURLY_USD,
    storageUsdPerGbMonth: STORAGE_USD_PER_GB_MONTH,
    io: `validation reads not metered by the drill ($${IO_USD_PER_MILLION.toFixed(2)} per million I/Os on Aurora Standard; none on I/O-Optimized)`,
  },
  'rds-instance': {
    hourly: RDS_POSTGRESQL_HOURLY_USD,
    storageUsdPerGbMonth: RDS_STORAGE_USD_PER_GB_MONTH,
    io: 'no per-request I/O charge on gp2/gp3 storage; provisioned IOPS (io1, io2, gp3 above its baseline) are billed per IOPS-month and not metered by the drill',
  },
};

const money = (usd: number): number => Math.round(usd * 10_000) / 10_000;

/** Seconds the copy's instance existed: from its create request (after restore-request) to the end of cleanup. */
export function instanceSeconds(outcome: CostInput['outcome']): number {
  const phases = outcome.restore.phases;
  const requested = phases.find((p) => p.copyExists);
  if (!requested) return 0;
  const end = phases.find((p) => p.name === 'cleanup')?.endedAt ?? outcome.finishedAt;
  return Math.max(0, (Date.parse(end) - Date.parse(requested.endedAt)) / 1000);
}

/** The estimate for one drill, or undefined for a provider that creates nothing billable (local-pitr). */
export function estimateDrillCost(input: CostInput): DrillCost | undefined {
  const { outcome, plan } = input;
  const card = RATE_CARDS[outcome.provider];
  if (!card) return undefined;
  const storageRate = card.storageUsdPerGbMonth;
  const items: CostItem[] = [];
  const notes: string[] = [];
  const region = plan.targetRegion ?? plan.awsRegion;
  if (region && region !== PRICING_REGION) {
    notes.push(`${PRICING_REGION} prices; ${region} list prices differ`);
  }

  const createdInstance = outcome.cleanup.resources.some((r) => r.kind === 'instance');
  const instanceClass = plan.instanceClass ?? input.instanceClass;
  const seconds = createdInstance ? instanceSeconds(outcome) : 0;
  const billed = createdInstance ? Math.max(MINIMUM_BILLED_SECONDS, Math.ceil(seconds)) : 0;
  const hours = billed / 3600;
  const rate = instanceClass ? card.hourly[instanceClass] : undefined;
  if (!createdInstance) {
    items.push({ item: 'instance', detail: 'no instance was created', usd: 0 });
  } else if (rate === undefined) {
    items.push({
      item: 'instance',
      detail: `${instanceClass ?? 'unknown class'} for ${billedText(seconds, billed)}: no price on record for this class`,
      usd: null,
    });
  } else {
    items.push({
      item: 'instance',
      detail: `${instanceClass} at $${rate}/h for ${billedText(seconds, billed)}`,
      usd: money(rate * hours),
    });
  }
  if (outcome.cleanup.status === 'kept' || outcome.cleanup.status === 'failed') {
    notes.push(
      `the copy was ${outcome.cleanup.status === 'kept' ? 'kept' : 'not deleted'}: it costs until deleted`,
    );
  }

  const storageHours = Math.max(hours, seconds / 3600);
  if (input.storageGb !== undefined && createdInstance) {
    items.push({
      item: 'storage',
      detail: `${input.storageGb} GB for ${storageHours.toFixed(2)} h at $${perGbMonth(storageRate)}/GB-month`,
      usd: money((input.storageGb * storageRate * storageHours) / HOURS_PER_MONTH),
    });
  } else {
    items.push({
      item: 'storage',
      detail: `restored volume size unknown ($${perGbMonth(storageRate)}/GB-month pro rata; about $${((100 * storageRate) / HOURS_PER_MONTH).toFixed(4)} per 100 GB-hour)`,
      usd: null,
    });
  }
  items.push({ item: 'io', detail: card.io, usd: null });
  if (plan.targetRegion) {
    items.push(
      input.storageGb !== undefined
        ? {
            item: 'transfer',
            detail: `snapshot copy ${plan.awsRegion ?? 'source'} to ${plan.targetRegion}, ${input.storageGb} GB at $${INTER_REGION_USD_PER_GB.toFixed(2)}/GB`,
            usd: money(input.storageGb * INTER_REGION_USD_PER_GB),
          }
        : {
            item: 'transfer',
            detail: `snapshot copy to ${plan.targetRegion}: size unknown ($${INTER_REGION_USD_PER_GB.toFixed(2)}/GB)`,
            usd: null,
          },
    );
  }
  const instance = items[0]!;
  const totalUsd = instance.usd === null ? null : money(items.reduce((sum, i) => sum + (i.usd ?? 0), 0));
  return {
    currency: 'USD',
    totalUsd,
    complete: items.every((i) => i.usd !== null),
    pricesAsOf: PRICES_AS_OF,
    items,
    notes,
  };
}

/** A per-GB-month price as the estimate prints it: cents, or tenths of a cent when it has them ($0.10, $0.115). */
const perGbMonth = (usd: number): string =>
  Math.round(usd * 100) === usd * 100 ? usd.toFixed(2) : String(usd);

function billedText(seconds: number, billed: number): string {
  const minutes = (s: number) => `${Math.round(s / 6) / 10} min`;
  return billed > Math.ceil(seconds)
    ? `${minutes(seconds)} (billed the 10-minute minimum)`
    : `${minutes(billed)} (per-second billing)`;
}
