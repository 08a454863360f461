/**
 * The Plan of parsed values: one type per command, discriminated on `command`, built only by buildPlan.
 * After planning nothing parses an input again: the source's ARN, the connection URLs, the signing key and
 * the checks file are held here already parsed.
 *
 * Every member still carries the legacy string fields of model/types.ts's Plan (marked @deprecated there),
 * so code typed with that Plan keeps compiling while it moves to the parsed fields. Moving a consumer: take
 * the member type where the command is known (engine/restore-test.ts and what it calls: RestoreTestPlan;
 * preflight: PreflightPlan; janitor: JanitorPlan; verify-reports: VerifyReportsPlan), or take CommandPlan
 * and narrow with `if (plan.command === 'restore-test')`. Once no one reads a legacy field, drop it here
 * and in model/types.ts, and the model's Plan with it.
 */
import type { KeyObject } from 'node:crypto';
import type { Partition } from '../aws/arn.js';
import type { ChecksFile } from './checks-file-schema.js';
import type { ConnectionSettings, Plan as LegacyPlan, SslMode } from '../model/types.js';

/** A postgres:// URL, parsed once. */
export interface PostgresUrl {
  /** The URL as given: a secret, since it may hold a password. */
  url: string;
  /** host, port, database (postgres when the URL names none), user, password, and the ssl mode that applies. */
  settings: ConnectionSettings;
  /** The database in the URL's path, when it names one. */
  database?: string;
  /** The URL's own sslmode parameter, when it is one restore-proof knows. */
  sslMode?: SslMode;
}

/** An Aurora cluster or an RDS for PostgreSQL instance, named by identifier or ARN. */
export interface RdsSource {
  kind: 'aurora-cluster' | 'rds-instance';
  /** The DB cluster or instance identifier (from the ARN when an ARN was given). */
  id: string;
  /** The ARN, when the input was one. */
  arn?: string;
  /** The source's region: aws-region, else the ARN's, else AWS_REGION / AWS_DEFAULT_REGION. */
  region?: string;
  /** The ARN's partition, else the region's; aws when neither is known. */
  partition: Partition;
}

/** A local PostgreSQL server's base backups and WAL archive. */
export interface LocalPitrSource {
  kind: 'local-pitr';
  /** host:port/database of source-url, else the backup directory's name. */
  id: string;
  backupDir?: string;
  walArchiveDir?: string;
  /** source-url, parsed (ssl-mode disable: a local server). */
  url?: PostgresUrl;
  partition?: undefined;
  region?: undefined;
  arn?: undefined;
}

export type PlanSource = RdsSource | LocalPitrSource;

/** What to restore to. */
export type RestorePoint =
  | { type: 'latest' }
  | { type: 'point-in-time'; time: Date | 'random' }
  | { type: 'snapshot'; snapshotId?: string };

/** Cross-region drill: copy a cluster snapshot to `region` and restore there. */
export interface CrossRegion {
  region: string;
  partition: Partition;
  kmsKeyId?: string;
  /** target-db-subnet-group: a DB subnet group in `region` (else the region's default). */
  dbSubnetGroup?: string;
  /** target-vpc-security-group-ids: security groups in `region` (else the VPC's default). */
  vpcSecurityGroupIds?: string[];
}

/** How the copy is created and reached. */
export interface CopySettings {
  instanceClass?: string;
  dbSubnetGroup?: string;
  vpcSecurityGroupIds?: string[];
  kmsKeyId?: string;
  /**
   * restore-parameter-group: the parameter group the copy is restored with instead of the source's (a DB
   * cluster parameter group for an Aurora source, a DB parameter group for an RDS instance source). In a
   * cross-region drill it names a group in the target region.
   */
  parameterGroup?: string;
  /** restore-instance-parameter-group (Aurora): the DB parameter group of the copy's instance. */
  instanceParameterGroup?: string;
  /** Connect through this host and port instead of the copy's endpoint (a proxy or an open tunnel). */
  restoredHost?: string;
  restoredPort?: number;
  /** Command template that opens a tunnel to the copy ({host}, {port}, {localPort}). */
  tunnelCommand?: string;
  sslMode: ConnectionSettings['sslMode'];
  /** ca-bundle: PEM certificates added to the RDS CA bundle for verify-full, one per entry. */
  caBundle?: string[];
}

/**
 * Where the drill reads production: production-url (local-pitr: else source-url). The ssl mode is the URL's
 * own sslmode, else ssl-mode (source-url: disable).
 */
export interface ProductionConnection extends PostgresUrl {
  /** The input it came from. */
  input: 'production-url' | 'source-url';
}

/** Signing, committing and publishing the report. */
export interface EvidenceSettings {
  reportDir: string;
  cadence: string;
  /** The Ed25519 private key, parsed (PEM with real or `\n`-escaped newlines). */
  signingKey?: KeyObject;
  commitReport: boolean;
  /** Commit the evidence to this branch (created when missing) instead of the run's branch. */
  reportBranch?: string;
  githubToken?: string;
  metricsNamespace?: string;
}

/** Objectives and the time limit. */
export interface Limits {
  maxRestoreMinutes: number;
  maxDataLossMinutes: number;
  timeoutMinutes: number;
}

/** Backup posture thresholds and Terraform policy input. */
export interface PostureSettings {
  minRetentionDays: number;
  maxPitrGapMinutes: number;
  maxSnapshotAgeHours: number;
  terraformPlan?: string;
  terraformDir?: string;
}

/**
 * How hard the drill may lean on production: at most `tablesAtOnce` tables read at once per side, each
 * statement with at most `parallelWorkers` parallel workers (max_parallel_workers_per_gather), and every
 * statement on production ended after `statementTimeoutSeconds` (0: no limit).
 */
export interface ProductionLoad {
  tablesAtOnce: number;
  parallelWorkers: number;
  statementTimeoutSeconds: number;
}

/** Parts every command's plan carries. */
export interface PlanCommon extends LegacyPlan {
  /** Every secret value among the inputs, computed once while planning: read it through secretsOf. */
  readonly secrets: readonly string[];
}

export interface RestoreTestPlan extends PlanCommon {
  command: 'restore-test';
  /** aurora requires source-cluster or source-instance; local-pitr requires backup-dir. */
  source: PlanSource;
  restorePoint: RestorePoint;
  copy: CopySettings;
  crossRegion?: CrossRegion;
  production?: ProductionConnection;
  /** The database to validate: the database input, else production-url's; else the source's (at run time). */
  databaseName?: string;
  /** The checks file, read and validated while planning; empty when none was given. */
  checks: ChecksFile;
  evidence: EvidenceSettings;
  limits: Limits;
  /** statement-timeout-seconds, tables-at-once, parallel-workers. */
  productionLoad: ProductionLoad;
}

export interface PreflightPlan extends PlanCommon {
  command: 'preflight';
  /** Absent for a Terraform-only preflight. */
  source?: PlanSource;
  posture: PostureSettings;
  evidence: EvidenceSettings;
  /** restore-parameter-group: what the drill's copy would be restored with (judged for a scheduler). */
  restoreParameterGroup?: string;
}

export interface JanitorPlan extends PlanCommon {
  command: 'janitor';
  /** The region to sweep (aurora). */
  region?: string;
}

export interface VerifyReportsPlan extends PlanCommon {
  command: 'verify-reports';
  reportDir: string;
  /** PEM text or a path (resolved by the verifier, which also reads the key committed beside the reports). */
  publicKey?: string;
}

/** command: record-exercise: the exercise record (a path, read and validated by the engine before any write). */
export interface RecordExercisePlan extends PlanCommon {
  command: 'record-exercise';
  exerciseFile: string;
  evidence: EvidenceSettings;
}

/** command: annual-report: the calendar year (UTC) over the report directory's chain. */
export interface AnnualReportPlan extends PlanCommon {
  command: 'annual-report';
  year: number;
  reportDir: string;
  publicKey?: string;
}

/** A plan for one command. Narrow on `command` (or take the member type) to read its parsed fields. */
export type CommandPlan =
  RestoreTestPlan | PreflightPlan | JanitorPlan | VerifyReportsPlan | RecordExercisePlan | AnnualReportPlan;
