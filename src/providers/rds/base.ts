/**
 * The base both RDS providers (an Aurora cluster, an RDS for PostgreSQL instance) stand on: a client per
 * region, waiting with backoff against the drill's deadline, the restore point (a pinned instant once it is
 * restorable, else the pick made at resolve: src/providers/rds/window.ts), the copy's fresh password, and
 * cleanup through the one RDS cleanup loop (src/providers/rds/cleanup.ts).
 */
import { randomBytes } from 'node:crypto';
import type { RDSClient } from '@aws-sdk/client-rds';
import type { Logger } from '../../log/logger.js';
import { DEFAULT_BACKOFF, pollUntil, sleep as realSleep, type Backoff, type Sleep } from '../../time/poll.js';
import { tlsServernameFor } from '../../db/connect.js';
import type { CleanupOutcome, ConnectionSettings, SourceInfo } from '../../model/types.js';
import type { RestoreTestPlan as Plan } from '../../inputs/plan-types.js';
import {
  alignPin,
  RDS_RESTORE_RESOLUTION_MS,
  type CreatedResource,
  type RestoreRequest,
} from '../provider.js';
import { deleteOwned } from './cleanup.js';
import { FAILED_STATES, rdsClient, RdsRegion } from './region.js';
import { pickRestoreTime } from './window.js';

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

  /**
   * Deletes what the drill created, of either RDS source (the post step builds the provider from saved
   * state): instances, clusters, copied snapshots, each where it lives; every one must belong to `runId`.
   */
  cleanup(resources: CreatedResource[], runId: string, logger: Logger): Promise<CleanupOutcome> {
    return deleteOwned(
      resources.map((r) => ({ ...r, runId })),
      { api: (region) => this.api(region), defaultRegion: this.options.region, logger },
    );
  }

  /** The restore time for restore-type point-in-time, inside the source's restorable window. */
  protected pickRestoreTime(
    plan: Plan,
    source: string,
    earliest: Date | undefined,
    latest: Date | undefined,
  ): Date {
    return pickRestoreTime(plan, source, earliest, latest, this.random);
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
   * The instant to restore to: undefined for the latest restorable time, the pick made at resolve, or, when
   * production was fingerprinted at a pinned instant (and the copy is not a snapshot's), that instant once
   * the source's LatestRestorableTime (`latest`) has passed it; the wait is marked 'restorable-wait'.
   */
  protected async restorePoint(
    request: RestoreRequest,
    wait: Wait,
    fromSnapshot: boolean,
    latest: () => Promise<Date | undefined>,
  ): Promise<Date | undefined> {
    if (!request.pinnedTime || fromSnapshot) return request.resolved.restoreTime;
    const pinned = alignPin(request.pinnedTime, RDS_RESTORE_RESOLUTION_MS);
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
   * Gives the copy a fresh master password and waits until RDS has applied it (the reset is asynchronous:
   * see passwordResetStatus); marks 'credentials-reset'. Resolves with the password and the resource as
   * described once the reset is applied.
   */
  protected async resetMasterPassword<T extends { PendingModifiedValues?: { MasterUserPassword?: string } }>(
    request: RestoreRequest,
    wait: Wait,
    copy: {
      id: string;
      modify: (password: string) => Promise<unknown>;
      describe: () => Promise<T | undefined>;
      statusOf: (item: T) => string | undefined;
    },
  ): Promise<{ password: string; described: T }> {
    const password = newPassword(request.logger);
    await copy.modify(password);
    const described = await untilAvailable(wait, `password reset on ${copy.id}`, copy.describe, (item) =>
      passwordResetStatus(copy.statusOf(item), item.PendingModifiedValues),
    );
    request.timeline.mark('credentials-reset', { counts: 'recovery' });
    return { password, described };
  }
}

/**
 * How the drill reaches the copy: restored-host/restored-port when set (a forward), else the copy's
 * endpoint; TLS verifies the copy's own endpoint name either way.
 */
export function copyConnection(
  plan: Plan,
  source: SourceInfo,
  copy: { endpoint?: string; port?: number; user?: string; password: string },
): ConnectionSettings {
  return {
    host: plan.restoredHost ?? copy.endpoint ?? '',
    port: plan.restoredPort ?? copy.port ?? source.port ?? 5432,
    database: databaseFor(plan, source),
    user: copy.user ?? source.masterUsername ?? 'postgres',
    password: copy.password,
    sslMode: plan.sslMode,
    ...(plan.caBundle ? { ca: plan.caBundle } : {}),
    ...tlsServernameFor(plan.restoredHost, copy.endpoint),
  };
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

/**
 * The status to wait on after a master password reset: RDS applies it asynchronously, so the resource may
 * still read 'available' while PendingModifiedValues.MasterUserPassword is set; it is done only when the
 * status is available and nothing is pending.
 */
export function passwordResetStatus(
  status: string | undefined,
  pending: { MasterUserPassword?: string } | undefined,
): string | undefined {
  return pending?.MasterUserPassword && status === 'available' ? 'master-password-pending' : status;
}

/** A fresh master password for the copy, registered as a secret before it is used anywhere. */
function newPassword(logger: Logger): string {
  const password = randomBytes(24).toString('base64url');
  logger.setSecret(password);
  return password;
}

/** The database to validate: the input, then production-url's, then the source's, then postgres. */
function databaseFor(plan: Plan, source: SourceInfo): string {
  return plan.databaseName ?? source.databaseName ?? 'postgres';
}

/** The VPC security group ids of a cluster or instance. */
export const securityGroups = (r: {
  VpcSecurityGroups?: { VpcSecurityGroupId?: string }[];
}): string[] | undefined => r.VpcSecurityGroups?.map((g) => g.VpcSecurityGroupId!).filter(Boolean);
