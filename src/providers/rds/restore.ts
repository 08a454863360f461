/**
 * What the two RDS restores (an Aurora cluster, an RDS for PostgreSQL instance) share: a client per region,
 * waiting with backoff against the drill's deadline, the restore-time pick inside the restorable window,
 * the newest available automated snapshot, the copy's fresh password, and region-aware cleanup.
 */
import { randomBytes } from 'node:crypto';
import type { RDSClient } from '@aws-sdk/client-rds';
import type { Logger } from '../../log/logger.js';
import { InputError } from '../../inputs/plan.js';
import { DEFAULT_BACKOFF, pollUntil, sleep as realSleep, type Backoff, type Sleep } from '../../time/poll.js';
import type { CleanupOutcome, Plan, SourceInfo } from '../../model/types.js';
import type { CreatedResource, RestoreRequest } from '../provider.js';
import { cleanupRds, FAILED_STATES, rdsClient, RdsRegion } from './region.js';

export interface RdsProviderOptions {
  /** The source's region (and the post step's default for resources that name none). */
  region: string;
  /** Inject the source region's client (tests); by default one is built, honouring AWS_ENDPOINT_URL. */
  client?: RDSClient;
  /** Clients for other regions (tests); by default rdsClient(region). */
  clientFor?: (region: string) => RDSClient;
  sleep?: Sleep;
  backoff?: Backoff;
  random?: () => number;
}

export type Wait = <T>(
  what: string,
  check: () => Promise<{ done: T | undefined; status: string }>,
) => Promise<T>;

export abstract class RdsProviderBase {
  readonly client: RDSClient;
  protected readonly sleep: Sleep;
  protected readonly backoff: Backoff;
  protected readonly random: () => number;
  private readonly regions = new Map<string, RdsRegion>();

  constructor(readonly options: RdsProviderOptions) {
    this.client = options.client ?? rdsClient(options.region);
    this.sleep = options.sleep ?? realSleep;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.random = options.random ?? Math.random;
  }

  /** The RDS API in `region` (the source's by default), one client per region. */
  api(region: string = this.options.region): RdsRegion {
    let api = this.regions.get(region);
    if (!api) {
      const client =
        region === this.options.region ? this.client : (this.options.clientFor ?? rdsClient)(region);
      api = new RdsRegion(region, client, this.sleep, this.backoff);
      this.regions.set(region, api);
    }
    return api;
  }

  cleanup(resources: CreatedResource[], runId: string, logger: Logger): Promise<CleanupOutcome> {
    return cleanupRds(resources, runId, logger, (region) => this.api(region), this.options.region);
  }

  /** Polls until `check` is done, printing progress, stopping at the drill's timeout or on cancel. */
  protected waiter(request: RestoreRequest): Wait {
    const deadline = new Date(request.timeline.startedAt.getTime() + request.plan.timeoutMinutes * 60_000);
    return (what, check) =>
      pollUntil(check, {
        what,
        deadline,
        signal: request.signal,
        sleep: this.sleep,
        backoff: this.backoff,
        now: () => request.clock.now(),
        onProgress: (line) => request.logger.info(line),
      });
  }

  /**
   * Waits until the source's LatestRestorableTime (`latest`) passes the pinned instant production was
   * fingerprinted at, marks 'restorable-wait', and returns the instant to restore to.
   */
  protected async restorablePast(
    request: RestoreRequest,
    wait: Wait,
    latest: () => Promise<Date | undefined>,
  ): Promise<Date> {
    const pinned = request.pinnedTime!;
    await wait(
      `source ${request.resolved.source.identifier} restorable past ${pinned.toISOString()}`,
      async () => {
        const at = await latest();
        return {
          done: at && at >= pinned ? true : undefined,
          status: `latest restorable ${at?.toISOString() ?? 'unknown'}`,
        };
      },
    );
    request.timeline.mark('restorable-wait', { counts: 'restore-point-wait' });
    return pinned;
  }

  /**
   * The restore time for restore-type point-in-time: the plan's instant (refused outside the window), or a
   * uniform pick inside it for 'random'. `source` names the source in the error.
   */
  protected pickRestoreTime(
    plan: Plan,
    source: string,
    earliest: Date | undefined,
    latest: Date | undefined,
  ): Date {
    if (!earliest || !latest) {
      throw new InputError(
        'restore-time',
        `cannot be used: source ${source} reports no restorable window (are automated backups on?)`,
      );
    }
    if (plan.restoreTime === 'random') {
      const span = latest.getTime() - earliest.getTime();
      const pick = new Date(Math.floor((earliest.getTime() + this.random() * span) / 1000) * 1000);
      return pick < earliest ? new Date(earliest.getTime()) : pick;
    }
    const time = plan.restoreTime as Date;
    if (time < earliest || time > latest) {
      throw new InputError(
        'restore-time',
        `must lie inside the restorable window of ${source}: ${earliest.toISOString()} .. ${latest.toISOString()}`,
        time.toISOString(),
      );
    }
    return time;
  }
}

/**
 * Waits until a restored resource (or copied snapshot) reports 'available', failing at once on a status
 * it never recovers from.
 */
export function untilAvailable<T>(
  wait: Wait,
  what: string,
  describe: () => Promise<T | undefined>,
  statusOf: (item: T) => string | undefined,
  detail: (item: T) => string = () => '',
): Promise<T> {
  return wait(what, async () => {
    const item = await describe();
    const status = (item && statusOf(item)) ?? 'missing';
    if (FAILED_STATES.has(status)) throw new Error(`${what} entered state ${status}`);
    return {
      done: status === 'available' ? item : undefined,
      status: `${status}${item ? detail(item) : ''}`,
    };
  });
}

/** The newest item with status available, by `created`; undefined when none. */
export function newestAvailable<T extends { Status?: string }>(
  items: T[],
  created: (item: T) => Date | undefined,
): T | undefined {
  return items
    .filter((s) => s.Status === 'available' && created(s))
    .sort((a, b) => created(b)!.getTime() - created(a)!.getTime())[0];
}

/** Pages through a Marker-paginated describe call. */
export async function allPages<T>(
  page: (marker?: string) => Promise<{ items?: T[]; marker?: string }>,
): Promise<T[]> {
  const all: T[] = [];
  let marker: string | undefined;
  do {
    const out = await page(marker);
    all.push(...(out.items ?? []));
    marker = out.marker;
  } while (marker);
  return all;
}

/** A fresh master password for the copy, registered as a secret before it is used anywhere. */
export function newPassword(logger: Logger): string {
  const password = randomBytes(24).toString('base64url');
  logger.setSecret(password);
  return password;
}

/** The database to validate: the input, then production-url's, then the source's, then postgres. */
export function databaseFor(plan: Plan, source: SourceInfo): string {
  if (plan.database) return plan.database;
  if (plan.productionUrl) {
    const name = decodeURIComponent(new URL(plan.productionUrl).pathname.replace(/^\//, ''));
    if (name) return name;
  }
  return source.databaseName ?? 'postgres';
}

/** The VPC security group ids of a cluster or instance. */
export const securityGroups = (r: {
  VpcSecurityGroups?: { VpcSecurityGroupId?: string }[];
}): string[] | undefined => r.VpcSecurityGroups?.map((g) => g.VpcSecurityGroupId!).filter(Boolean);
