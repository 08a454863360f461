/**
 * Backup posture of the live source cluster, judged against the customer's own alarm thresholds. Pure: it
 * takes what DescribeDBClusters, DescribeDBClusterSnapshots and kms:DescribeKey said, and a clock reading,
 * and returns one CheckResult per rule in category posture. Collecting those facts is collect.ts's job.
 */
import type { DBCluster, DBClusterSnapshot } from '@aws-sdk/client-rds';
import { schedulersIn, schedulerWarning } from '../checks/access.js';
import { result } from '../checks/result.js';
import type { CheckResult } from '../model/types.js';
import type { KeyManager } from './key-manager.js';
import { plural } from '../report/render/format.js';

export interface PostureThresholds {
  /** Automated backup retention must be at least this many days. */
  minRetentionDays: number;
  /** now - LatestRestorableTime must stay under this many minutes. */
  maxPitrGapMinutes: number;
  /** The newest automated snapshot must be younger than this many hours. */
  maxSnapshotAgeHours: number;
}

/** How far EarliestRestorableTime may sit after the instant the retention window promises. */
export const RESTORABLE_WINDOW_TOLERANCE_HOURS = 24;

/** What the posture checks judge. Each figure carries the milliseconds its API call took. */
export interface PostureFacts {
  cluster: DBCluster;
  describeMs: number;
  /** Automated snapshots of the cluster, or the error that prevented listing them. */
  snapshots: DBClusterSnapshot[] | { error: string };
  snapshotsMs: number;
  /** Who manages the storage key, or the error that prevented finding out; absent when unencrypted. */
  keyManager?: KeyManager | { error: string };
  keyMs: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const round1 = (n: number): number => Math.round(n * 10) / 10;
const WINDOW = /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/;

export function postureChecks(facts: PostureFacts, thresholds: PostureThresholds, now: Date): CheckResult[] {
  const c = facts.cluster;
  const id = c.DBClusterIdentifier ?? 'source';
  const ms = facts.describeMs;
  const out: CheckResult[] = [];

  const retention = c.BackupRetentionPeriod ?? 0;
  out.push(
    result(
      'posture:retention',
      'posture',
      retention >= thresholds.minRetentionDays ? 'pass' : 'fail',
      retention >= thresholds.minRetentionDays
        ? `${id} keeps automated backups for ${plural(retention, 'day')} (at least ${thresholds.minRetentionDays})`
        : `${id} keeps automated backups for ${plural(retention, 'day')}; the plan requires at least ${thresholds.minRetentionDays}`,
      ms,
      { measured: retention, expected: thresholds.minRetentionDays },
    ),
  );

  const window = c.PreferredBackupWindow ?? '';
  out.push(
    result(
      'posture:backup-window',
      'posture',
      WINDOW.test(window) ? 'pass' : 'fail',
      WINDOW.test(window)
        ? `${id} takes its daily backup in ${window} UTC`
        : `${id} reports no preferred backup window (hh:mm-hh:mm UTC)`,
      ms,
      { measured: window || null, expected: 'hh:mm-hh:mm' },
    ),
  );

  out.push(encryptionCheck(facts, id));

  out.push(
    result(
      'posture:deletion-protection',
      'posture',
      c.DeletionProtection === true ? 'pass' : 'fail',
      c.DeletionProtection === true
        ? `${id} has deletion protection on`
        : `${id} has deletion protection off: one API call can delete production and its automated backups`,
      ms,
      { measured: c.DeletionProtection === true, expected: true },
    ),
  );

  out.push(
    result(
      'posture:copy-tags-to-snapshot',
      'posture',
      c.CopyTagsToSnapshot === true ? 'pass' : 'fail',
      c.CopyTagsToSnapshot === true
        ? `${id} copies its tags to snapshots`
        : `${id} does not copy its tags to snapshots: snapshots lose the tags that classify them`,
      ms,
      { measured: c.CopyTagsToSnapshot === true, expected: true },
    ),
  );

  out.push(pitrGapCheck(c, id, thresholds, now, ms));
  out.push(snapshotAgeCheck(facts, id, thresholds, now));
  out.push(restorableWindowCheck(c, id, now, ms));
  return out;
}

function encryptionCheck(facts: PostureFacts, id: string): CheckResult {
  const c = facts.cluster;
  const ms = facts.describeMs + facts.keyMs;
  const expected = 'customer-managed KMS key';
  if (c.StorageEncrypted !== true) {
    return result(
      'posture:encryption',
      'posture',
      'fail',
      `${id} storage is not encrypted at rest (HIPAA 164.312(a)(2)(iv))`,
      ms,
      { measured: 'unencrypted', expected },
    );
  }
  const key = facts.keyManager;
  if (!key || typeof key === 'object') {
    const why = key ? key.error : 'the cluster names no KMS key';
    return result(
      'posture:encryption',
      'posture',
      'error',
      `${id} storage is encrypted, but whether its key is customer-managed is unknown: ${why}`,
      ms,
      { measured: null, expected },
    );
  }
  if (key === 'AWS') {
    return result(
      'posture:encryption',
      'posture',
      'fail',
      `${id} storage is encrypted with the AWS-managed aws/rds key, not a customer-managed key (no key policy of your own, no cross-account copy)`,
      ms,
      { measured: 'AWS-managed key', expected },
    );
  }
  return result(
    'posture:encryption',
    'posture',
    'pass',
    `${id} storage is encrypted with a ${expected}`,
    ms,
    {
      measured: expected,
      expected,
    },
  );
}

function pitrGapCheck(c: DBCluster, id: string, t: PostureThresholds, now: Date, ms: number): CheckResult {
  const latest = c.LatestRestorableTime;
  if (!latest) {
    return result(
      'posture:pitr-gap',
      'posture',
      'fail',
      `${id} reports no LatestRestorableTime: point-in-time recovery is not available (are automated backups on?)`,
      ms,
      { measured: null, expected: t.maxPitrGapMinutes },
    );
  }
  const gap = Math.max(0, (now.getTime() - latest.getTime()) / 60_000);
  const ok = gap < t.maxPitrGapMinutes;
  return result(
    'posture:pitr-gap',
    'posture',
    ok ? 'pass' : 'fail',
    ok
      ? `${id} can be restored to ${round1(gap)} minutes ago (under ${t.maxPitrGapMinutes})`
      : `${id} can be restored only to ${round1(gap)} minutes ago (LatestRestorableTime ${latest.toISOString()}); the alarm threshold is ${t.maxPitrGapMinutes}`,
    ms,
    { measured: round1(gap), expected: t.maxPitrGapMinutes },
  );
}

function snapshotAgeCheck(facts: PostureFacts, id: string, t: PostureThresholds, now: Date): CheckResult {
  const ms = facts.snapshotsMs;
  if (!Array.isArray(facts.snapshots)) {
    return result(
      'posture:snapshot-age',
      'posture',
      'error',
      `cannot list the automated snapshots of ${id}: ${facts.snapshots.error}`,
      ms,
      { measured: null, expected: t.maxSnapshotAgeHours },
    );
  }
  const newest = facts.snapshots
    .filter((s) => s.Status === 'available' && s.SnapshotCreateTime)
    .sort((a, b) => b.SnapshotCreateTime!.getTime() - a.SnapshotCreateTime!.getTime())[0];
  if (!newest) {
    return result(
      'posture:snapshot-age',
      'posture',
      'fail',
      `${id} has no available automated snapshot`,
      ms,
      { measured: null, expected: t.maxSnapshotAgeHours },
    );
  }
  const age = Math.max(0, (now.getTime() - newest.SnapshotCreateTime!.getTime()) / HOUR);
  const ok = age < t.maxSnapshotAgeHours;
  const name = newest.DBClusterSnapshotIdentifier ?? 'newest snapshot';
  return result(
    'posture:snapshot-age',
    'posture',
    ok ? 'pass' : 'fail',
    ok
      ? `${id}'s newest automated snapshot ${name} is ${round1(age)} hours old (under ${t.maxSnapshotAgeHours})`
      : `${id}'s newest automated snapshot ${name} is ${round1(age)} hours old; the alarm threshold is ${t.maxSnapshotAgeHours}`,
    ms,
    { measured: round1(age), expected: t.maxSnapshotAgeHours },
  );
}

/**
 * The restorable window must reach back as far as retention promises: to now - retention days, or to the
 * cluster's creation when it is younger than that, give or take a day.
 */
function restorableWindowCheck(c: DBCluster, id: string, now: Date, ms: number): CheckResult {
  const retention = c.BackupRetentionPeriod ?? 0;
  const earliest = c.EarliestRestorableTime;
  const latest = c.LatestRestorableTime;
  if (!earliest) {
    return result(
      'posture:restorable-window',
      'posture',
      'fail',
      `${id} reports no EarliestRestorableTime: there is no restorable window`,
      ms,
      { measured: null, expected: retention },
    );
  }
  const reach = (now.getTime() - earliest.getTime()) / DAY;
  const promised = new Date(now.getTime() - retention * DAY);
  const created = c.ClusterCreateTime;
  const expectedStart = created && created > promised ? created : promised;
  const expectedDays = round1((now.getTime() - expectedStart.getTime()) / DAY);
  if (latest && earliest > latest) {
    return result(
      'posture:restorable-window',
      'posture',
      'fail',
      `${id} reports EarliestRestorableTime ${earliest.toISOString()} after LatestRestorableTime ${latest.toISOString()}`,
      ms,
      { measured: round1(reach), expected: expectedDays },
    );
  }
  const late = earliest.getTime() - expectedStart.getTime();
  const ok = late <= RESTORABLE_WINDOW_TOLERANCE_HOURS * HOUR;
  const why =
    created && created > promised
      ? 'since the cluster was created'
      : `for ${plural(retention, 'day')} of retention`;
  return result(
    'posture:restorable-window',
    'posture',
    ok ? 'pass' : 'fail',
    ok
      ? `${id} can be restored back to ${earliest.toISOString()} (${plural(round1(reach), 'day')}), as expected ${why}`
      : `${id} can be restored back only ${plural(round1(reach), 'day')} to ${earliest.toISOString()}; ${plural(expectedDays, 'day')} expected ${why}`,
    ms,
    { measured: round1(reach), expected: expectedDays },
  );
}

/** The parameter group a drill's copy would be restored with, and what it preloads. */
export interface SchedulerFacts {
  /** restore-parameter-group, else the source cluster's group; undefined when the source reports none. */
  group?: string;
  /** The group is restore-parameter-group. */
  fromInput: boolean;
  /** restore-parameter-group names no DB cluster parameter group in `region`. */
  missing: boolean;
  /** shared_preload_libraries of the group; undefined when unreadable. */
  libraries?: string[];
  region: string;
  ms: number;
}

/**
 * posture:copy-scheduler: would a scheduler (pg_cron) preloaded by the copy's parameter group run
 * production's scheduled jobs on the drill's copy?
 */
export function copySchedulerCheck(facts: SchedulerFacts): CheckResult {
  const id = 'posture:copy-scheduler';
  const { group, ms } = facts;
  const named = facts.fromInput
    ? `restore-parameter-group ${group}`
    : `the source's parameter group ${group}`;
  if (facts.missing) {
    return result(
      id,
      'posture',
      'fail',
      `restore-parameter-group ${group} names no DB cluster parameter group in ${facts.region}`,
      ms,
    );
  }
  if (!group || facts.libraries === undefined) {
    return result(
      id,
      'posture',
      'skip',
      `shared_preload_libraries of ${group ? named : "the source's parameter group"} not readable (rds:DescribeDBClusterParameters)`,
      ms,
    );
  }
  const schedulers = schedulersIn(facts.libraries);
  if (schedulers.length) {
    const where = facts.fromInput
      ? named
      : `${named} (the drill's copy gets it without restore-parameter-group)`;
    return result(id, 'posture', 'warn', schedulerWarning(schedulers, where), ms, {
      measured: schedulers.join(','),
      expected: null,
    });
  }
  return result(
    id,
    'posture',
    'pass',
    `${named} preloads no scheduler: production's scheduled jobs do not run on the drill's copy`,
    ms,
  );
}
