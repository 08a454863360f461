/**
 * The shapes that flow forward through a drill: Plan -> Target -> CheckResult[] -> DrillOutcome -> Report.
 * Only types live here; behaviour lives next to the stage that owns it.
 */

export const COMMANDS = [
  'restore-test',
  'preflight',
  'janitor',
  'verify-reports',
  'record-exercise',
  'annual-report',
] as const;
export type Command = (typeof COMMANDS)[number];

/** What the provider input accepts. */
export const PROVIDERS = ['aurora', 'local-pitr'] as const;
/** Who restored: the input's providers, and 'rds-instance' (provider aurora with source-instance). */
export type ProviderName = (typeof PROVIDERS)[number] | 'rds-instance';

export const RESTORE_TYPES = ['latest', 'point-in-time', 'snapshot'] as const;
export type RestoreType = (typeof RESTORE_TYPES)[number];

export const SSL_MODES = ['verify-full', 'require', 'disable'] as const;
export type SslMode = (typeof SSL_MODES)[number];

export const CLEANUP_POLICIES = ['always', 'on-success', 'never'] as const;
export type CleanupPolicy = (typeof CLEANUP_POLICIES)[number];

/**
 * Every input resolved, typed and defaulted, as strings where the input was one. Built only by buildPlan
 * (src/inputs/plan.ts), which returns a CommandPlan (src/inputs/plan-types.ts): this shape plus the parsed
 * values, one type per command. The fields marked @deprecated are parsed there once; read those instead.
 */
export interface Plan {
  command: Command;
  provider: ProviderName;
  /** @deprecated legacy: read plan.source (kind aurora-cluster: id, arn, region, partition) */
  sourceCluster?: string;
  /** @deprecated legacy: read plan.source.region (janitor: plan.region) */
  awsRegion?: string;
  restoreType: RestoreType;
  /**
   * A fixed instant, 'random' (picked inside the restorable window once the source is described), or absent.
   * @deprecated legacy: read plan.restorePoint.time
   */
  restoreTime?: Date | 'random';
  /** @deprecated legacy: read plan.restorePoint.snapshotId */
  snapshotId?: string;
  /** @deprecated legacy: read plan.copy.instanceClass */
  instanceClass?: string;
  /** @deprecated legacy: read plan.copy.dbSubnetGroup */
  dbSubnetGroup?: string;
  /** @deprecated legacy: read plan.copy.vpcSecurityGroupIds */
  vpcSecurityGroupIds?: string[];
  /** @deprecated legacy: read plan.copy.kmsKeyId */
  kmsKeyId?: string;
  /** @deprecated legacy: read plan.databaseName (the database input, else production-url's) */
  database?: string;
  /** @deprecated legacy: read plan.production.settings (parsed; secretsOf for masking) */
  productionUrl?: string;
  /** @deprecated legacy: read plan.copy.restoredHost */
  restoredHost?: string;
  /** @deprecated legacy: read plan.copy.restoredPort */
  restoredPort?: number;
  sslMode: SslMode;
  /** @deprecated legacy: read plan.checks (read and validated while planning) */
  checksFile?: string;
  /** @deprecated legacy: read plan.limits.maxRestoreMinutes */
  maxRestoreMinutes: number;
  /** @deprecated legacy: read plan.limits.maxDataLossMinutes */
  maxDataLossMinutes: number;
  /** @deprecated legacy: read plan.limits.timeoutMinutes */
  timeoutMinutes: number;
  cleanup: CleanupPolicy;
  reportDir: string;
  /** @deprecated legacy: read plan.evidence.signingKey (a KeyObject; secretsOf for masking) */
  signingKey?: string;
  publicKey?: string;
  cadence: string;
  smokeCommand?: string;
  /** @deprecated legacy: read plan.evidence.githubToken */
  githubToken?: string;
  commitReport: boolean;
  /** janitor: list only. */
  dryRun?: boolean;
  /**
   * An RDS for PostgreSQL instance source (instead of sourceCluster).
   * @deprecated legacy: read plan.source (kind rds-instance: id, arn, region, partition)
   */
  sourceInstance?: string;
  /**
   * Cross-region drill: copy the snapshot to this region and restore there.
   * @deprecated legacy: read plan.crossRegion.region
   */
  targetRegion?: string;
  /** @deprecated legacy: read plan.crossRegion.kmsKeyId */
  targetKmsKeyId?: string;
  /** @deprecated legacy: read plan.crossRegion.dbSubnetGroup */
  targetDbSubnetGroup?: string;
  /** @deprecated legacy: read plan.crossRegion.vpcSecurityGroupIds */
  targetVpcSecurityGroupIds?: string[];
  /**
   * CloudWatch namespace for per-drill metrics.
   * @deprecated legacy: read plan.evidence.metricsNamespace
   */
  metricsNamespace?: string;
  /**
   * Command template that opens a tunnel to the copy ({host}, {port}, {localPort}).
   * @deprecated legacy: read plan.copy.tunnelCommand
   */
  tunnelCommand?: string;
  /**
   * ca-bundle: PEM certificates trusted besides the RDS CA bundle.
   * @deprecated legacy: read plan.copy.caBundle
   */
  caBundle?: string[];
  // local-pitr only
  /** @deprecated legacy: read plan.source.url (local-pitr) or plan.production */
  sourceUrl?: string;
  /** @deprecated legacy: read plan.source.backupDir (local-pitr) */
  backupDir?: string;
  /** @deprecated legacy: read plan.source.walArchiveDir (local-pitr) */
  walArchiveDir?: string;
  // preflight: backup posture thresholds (the customer's alarm thresholds); defaulted in src/preflight.
  /** @deprecated legacy: read plan.posture.minRetentionDays */
  minRetentionDays?: number;
  /** @deprecated legacy: read plan.posture.maxPitrGapMinutes */
  maxPitrGapMinutes?: number;
  /** @deprecated legacy: read plan.posture.maxSnapshotAgeHours */
  maxSnapshotAgeHours?: number;
  // preflight: Terraform policy input, checked without AWS credentials.
  /** @deprecated legacy: read plan.posture.terraformPlan */
  terraformPlan?: string;
  /** @deprecated legacy: read plan.posture.terraformDir */
  terraformDir?: string;
}

/** What the source looked like when the drill described it. Names and settings only, never credentials. */
export interface SourceInfo {
  identifier: string;
  /** What the source is: an Aurora cluster (the default when absent) or a standalone RDS for PostgreSQL instance. */
  kind?: 'aurora-cluster' | 'rds-instance';
  arn?: string;
  engine: string;
  engineVersion?: string;
  storageEncrypted?: boolean;
  kmsKeyId?: string;
  iamDatabaseAuthentication?: boolean;
  vpcSecurityGroupIds?: string[];
  dbSubnetGroup?: string;
  clusterParameterGroup?: string;
  writerInstanceClass?: string;
  earliestRestorableTime?: Date;
  latestRestorableTime?: Date;
  masterUsername?: string;
  port?: number;
  databaseName?: string;
  /** rds.force_ssl in the source's cluster parameter group ('1' on, '0' off), when known. */
  forceSsl?: string;
  /** shared_preload_libraries of the source's parameter groups (cluster and writer instance), when readable. */
  preloadLibraries?: string[];
}

/** The restored copy's own settings, read back after it became available. */
export interface CopyInfo {
  storageEncrypted?: boolean;
  kmsKeyId?: string;
  iamDatabaseAuthentication?: boolean;
  vpcSecurityGroupIds?: string[];
  publiclyAccessible?: boolean;
  clusterParameterGroup?: string;
  deletionProtection?: boolean;
  /** rds.force_ssl in the copy's cluster parameter group, when known. */
  forceSsl?: string;
  /** The DB parameter group of the copy's instance (Aurora), when reported. */
  instanceParameterGroup?: string;
  /** shared_preload_libraries of the copy's parameter groups (cluster and instance), when readable. */
  preloadLibraries?: string[];
}

export interface ConnectionSettings {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  sslMode: SslMode;
  /** Through a tunnel: the copy's own host name, checked against its certificate (TLS SNI) instead of host. */
  tlsServername?: string;
  /** Certificate authorities (PEM) trusted for verify-full besides the bundled RDS set: the ca-bundle input. */
  ca?: string[];
}

/**
 * What a phase's time counts toward: the recovery time (restore request to the first query answered on the
 * copy), or the wait until the restore point was restorable (added to the data-loss figure, not the RTO).
 */
export type PhaseCount = 'recovery' | 'restore-point-wait';

export interface PhaseTiming {
  name: string;
  startedAt: string;
  endedAt: string;
  seconds: number;
  counts?: PhaseCount;
  /** The billable copy exists from the end of this phase on. */
  copyExists?: boolean;
}

/** Where to reach the restored copy, and what was restored to which time. */
export interface Target {
  provider: ProviderName;
  restoredCluster: string;
  restoredInstance?: string;
  restoreType: RestoreType;
  /** The instant the copy was restored to (for latest without a pinned time: the source's LatestRestorableTime when requested). */
  targetTime?: string;
  snapshotId?: string;
  /** Where the copy was restored, when not in the source's region (a cross-region drill). */
  region?: string;
  /** Cross-region: the drill's copy of the snapshot in `region` (restore-proof-<run>-snap). */
  copiedSnapshotId?: string;
  source: SourceInfo;
  copy: CopyInfo;
  connection: ConnectionSettings;
}

export const CHECK_CATEGORIES = [
  'posture',
  'encryption',
  'access',
  'schema',
  'integrity',
  'counts',
  'checksums',
  'custom',
  'smoke',
  'objectives',
] as const;
export type CheckCategory = (typeof CHECK_CATEGORIES)[number];

export const CHECK_STATUSES = ['pass', 'fail', 'warn', 'skip', 'error'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

export type CheckValue = string | number | boolean | null;

export interface CheckResult {
  /** category:subject, a table named schema.table (e.g. checksums:public.observations). */
  id: string;
  category: CheckCategory;
  status: CheckStatus;
  /** One line. Names, counts, hashes and timings only: never a row value or a secret. */
  summary: string;
  measured?: CheckValue;
  expected?: CheckValue;
  durationMs: number;
}

export type CleanupStatus = 'deleted' | 'kept' | 'failed' | 'none';

export interface CleanupOutcome {
  status: CleanupStatus;
  resources: {
    kind: string;
    id: string;
    outcome: 'deleted' | 'not-found' | 'kept' | 'failed';
    error?: string;
  }[];
}

export interface Objective {
  targetSeconds: number;
  measuredSeconds: number | null;
  met: boolean | null;
}

/** Everything a drill learned, handed to the report. */
export interface DrillOutcome {
  result: 'pass' | 'fail';
  error?: string;
  command: Command;
  provider: ProviderName;
  cadence: string;
  startedAt: string;
  finishedAt: string;
  source: { cluster: string; engine?: string; engineVersion?: string; region?: string };
  restore: {
    restoredCluster?: string;
    restoredInstance?: string;
    type: RestoreType;
    targetTime?: string;
    snapshotId?: string;
    seconds: number | null;
    phases: PhaseTiming[];
  };
  checks: CheckResult[];
  objectives: { rto: Objective; rpo: Objective };
  cleanup: CleanupOutcome;
  warnings: string[];
  /** Estimated cost of the drill (src/report/cost.ts); absent where nothing billable was created. */
  cost?: DrillCost;
}

export interface CostItem {
  item: 'instance' | 'storage' | 'io' | 'transfer';
  /** What was counted and at which price, or why it is unknown. */
  detail: string;
  /** USD, or null when the quantity or the price is unknown. */
  usd: number | null;
}

/** An estimate for budgeting a cadence, not a bill. */
export interface DrillCost {
  currency: 'USD';
  /** Sum of the known items; null when the instance's price is unknown. */
  totalUsd: number | null;
  /** True when every item is known. */
  complete: boolean;
  /** Month of the price table (YYYY-MM). */
  pricesAsOf: string;
  items: CostItem[];
  notes: string[];
}
