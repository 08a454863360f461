/**
 * The fault proxy's realistic mode: what moto_server does not do and AWS does, modelled on the RDS
 * documentation (each behaviour cites its page). AWS's minutes are compressed into milliseconds.
 *
 * - Statuses walk (creating, backing-up, ... then available) instead of flipping on the next describe.
 * - A master password reset is asynchronous: PendingModifiedValues.MasterUserPassword shows, the status
 *   reads resetting-master-credentials, and only then is the password applied (onPasswordApplied lets the
 *   harness set it on the PostgreSQL standing in for the copy, so the database refuses it until then).
 * - LatestRestorableTime trails the present.
 * - A restored cluster has no Serverless v2 scaling configuration unless the restore carried one, and a
 *   db.serverless instance in it is refused.
 * - An older snapshot restores only with its own major version and a parameter group of its family.
 * - In us-gov-* regions ARNs are in the aws-us-gov partition; an arn:aws: ARN is refused.
 */

export interface RealisticOptions {
  /** How long each status of a walk lasts (AWS: minutes). */
  stepMs?: number;
  /** How long a master password reset takes from the modify call. */
  passwordResetMs?: number;
  /** How far LatestRestorableTime trails the present (AWS: typically up to 5 minutes). */
  restorableLagMs?: number;
  /** Snapshot id -> the engine version it was taken on (older than its cluster's current one). */
  snapshotEngineVersions?: Record<string, string>;
  /**
   * How long after RDS reports a reset applied the database still refuses the new password (the endpoint's
   * instances pick it up one by one); 0 applies it before the describe that first shows it applied.
   */
  applyLagMs?: number;
  /** Called once, before the describe that first shows a reset applied, with the new password. */
  onPasswordApplied?: (id: string, password: string) => Promise<void> | void;
}

export interface AwsFault {
  code: string;
  message: string;
  status?: number;
}

/** Calls moto directly (not through the proxy) and answers the XML. */
export type Upstream = (params: Record<string, string>, region: string) => Promise<string>;

// https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/accessing-monitoring.html (DB cluster status:
// creating, configuring-iam-database-auth, backing-up, resetting-master-credentials, available).
const CLUSTER_WALK = ['creating', 'configuring-iam-database-auth', 'backing-up'];
// https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/accessing-monitoring.html (DB instance status:
// creating, configuring-enhanced-monitoring, backing-up, resetting-master-credentials, available).
const INSTANCE_WALK = ['creating', 'configuring-enhanced-monitoring', 'backing-up'];

interface Walk {
  started: number;
  statuses: string[];
}

interface PendingPassword {
  started: number;
  password: string;
  applied: boolean;
}

/**
 * An ISO time in ms, rounded up: moto's times carry microseconds, which the SDK rounds to the nearest ms and
 * Date.parse truncates, so the window the model reports and enforces opens no earlier than any reading of it.
 */
function msCeil(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return 0;
  const fraction = /\.(\d+)/.exec(iso)?.[1] ?? '';
  return fraction.length > 3 && /[1-9]/.test(fraction.slice(3)) ? ms + 1 : ms;
}

/** The resource id of an ARN (arn:P:rds:R:A:cluster-snapshot:rds:x keeps 'rds:x'), or the id itself. */
const tail = (id: string): string => (id.startsWith('arn:') ? id.split(':').slice(6).join(':') : id);
const major = (version: string): string => {
  const [first, second] = version.split('.');
  return Number(first) < 10 ? `${first}.${second}` : first!;
};
const family = (engine: string, version: string): string => `${engine}${major(version)}`;
const text = (xml: string, element: string): string | undefined =>
  new RegExp(`<${element}>([^<]*)</${element}>`).exec(xml)?.[1];

/** The region of a SigV4-signed request (Credential=KEY/DATE/REGION/SERVICE/aws4_request). */
export function requestRegion(authorization: string | undefined): string {
  return /Credential=[^/]+\/\d+\/([^/]+)\//.exec(authorization ?? '')?.[1] ?? 'us-east-1';
}

export class RealisticRds {
  private readonly walks = new Map<string, Walk>();
  private readonly passwords = new Map<string, PendingPassword>();
  /** Restored clusters, and whether their restore carried a Serverless v2 scaling configuration. */
  private readonly serverlessV2 = new Map<string, boolean>();
  /** EarliestRestorableTime of each source seen, in ms: the lagged latest never falls below it. */
  private readonly earliest = new Map<string, number>();
  /** Password resets still to be applied on the database (applyLagMs). */
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly stepMs: number;
  private readonly resetMs: number;
  private readonly lagMs: number;

  constructor(
    readonly options: RealisticOptions,
    private readonly upstream: Upstream,
  ) {
    this.stepMs = options.stepMs ?? 250;
    this.resetMs = options.passwordResetMs ?? 1500;
    this.lagMs = options.restorableLagMs ?? 2000;
  }

  /** Forgets every walk, reset and restore, and drops resets not yet applied (between tests, at the end). */
  clear(): void {
    for (const map of [this.walks, this.passwords, this.serverlessV2, this.earliest]) map.clear();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  /** An error AWS would answer `action` with, checked before the call reaches moto. */
  async refuse(action: string, p: URLSearchParams, region: string): Promise<AwsFault | undefined> {
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html: the partition is aws-us-gov in
    // the AWS GovCloud (US) Regions; an ARN of another partition names nothing there.
    if (region.startsWith('us-gov-')) {
      for (const [name, value] of p) {
        if (/^arn:aws:/.test(value)) {
          return {
            code: 'InvalidParameterValue',
            message: `${name} ${value} is not in partition aws-us-gov of region ${region}`,
          };
        }
      }
    }
    // https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2.create.html: the
    // capacity range (ServerlessV2ScalingConfiguration) is set on the cluster before a db.serverless
    // instance is added; AWS answers InvalidDBClusterStateFault "Set the Serverless v2 scaling
    // configuration on the parent DB cluster before creating a Serverless v2 DB instance."
    if (action === 'CreateDBInstance' && p.get('DBInstanceClass') === 'db.serverless') {
      const cluster = p.get('DBClusterIdentifier') ?? '';
      if (this.serverlessV2.get(cluster) === false) {
        return {
          code: 'InvalidDBClusterStateFault',
          message:
            'Set the Serverless v2 scaling configuration on the parent DB cluster before creating a Serverless v2 DB instance.',
        };
      }
    }
    // https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_RestoreDBClusterToPointInTime.html:
    // RestoreToTime must be before the latest restorable time (InvalidRestoreFault).
    const restoreTo = p.get('RestoreToTime') ?? p.get('RestoreTime');
    const from = tail(p.get('SourceDBClusterIdentifier') ?? p.get('SourceDBInstanceIdentifier') ?? '');
    if (restoreTo && msCeil(restoreTo) > Math.max(Date.now() - this.lagMs, this.earliest.get(from) ?? 0)) {
      return {
        code: 'InvalidRestoreFault',
        message: `The requested restore time ${restoreTo} is after the latest restorable time.`,
      };
    }
    const snapshot = p.get('SnapshotIdentifier') ?? p.get('DBSnapshotIdentifier');
    const taken = snapshot && this.options.snapshotEngineVersions?.[tail(snapshot)];
    if (taken) return this.refuseOlderSnapshot(action, p, region, taken);
    return undefined;
  }

  /**
   * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-restore-snapshot.html: a snapshot
   * restores to a cluster of its own engine version (a major upgrade is a later modify, answered
   * "Cannot upgrade aurora-postgresql from 14.9 to 15.4"), and a parameter group must be of the restored
   * version's family (InvalidParameterCombination "The parameter group X with DBParameterGroupFamily A
   * can't be used for this instance. Use a parameter group with DBParameterGroupFamily B.").
   */
  private async refuseOlderSnapshot(
    action: string,
    p: URLSearchParams,
    region: string,
    taken: string,
  ): Promise<AwsFault | undefined> {
    const engine = p.get('Engine') ?? (action === 'RestoreDBInstanceFromDBSnapshot' ? 'postgres' : '');
    const asked = p.get('EngineVersion');
    if (asked && major(asked) !== major(taken)) {
      return {
        code: 'InvalidParameterCombination',
        message: `Cannot upgrade ${engine || 'aurora-postgresql'} from ${taken} to ${asked}`,
      };
    }
    const group = p.get('DBClusterParameterGroupName') ?? p.get('DBParameterGroupName');
    if (!group) return undefined;
    const want = family(engine || 'aurora-postgresql', taken);
    const has = await this.groupFamily(group, action !== 'RestoreDBInstanceFromDBSnapshot', region);
    if (has && has !== want) {
      return {
        code: 'InvalidParameterCombination',
        message: `The parameter group ${group} with DBParameterGroupFamily ${has} can't be used for this instance. Use a parameter group with DBParameterGroupFamily ${want}.`,
      };
    }
    return undefined;
  }

  private async groupFamily(group: string, cluster: boolean, region: string): Promise<string | undefined> {
    if (group.startsWith('default.')) return group.slice('default.'.length);
    const xml = await this.upstream(
      cluster
        ? { Action: 'DescribeDBClusterParameterGroups', DBClusterParameterGroupName: group }
        : { Action: 'DescribeDBParameterGroups', DBParameterGroupName: group },
      region,
    );
    return text(xml, 'DBParameterGroupFamily');
  }

  /** Records what a call that moto answered successfully started. */
  observe(action: string, p: URLSearchParams): void {
    const now = Date.now();
    if (action === 'RestoreDBClusterToPointInTime' || action === 'RestoreDBClusterFromSnapshot') {
      const id = p.get('DBClusterIdentifier')!;
      this.walks.set(id, { started: now, statuses: CLUSTER_WALK });
      this.serverlessV2.set(id, p.has('ServerlessV2ScalingConfiguration.MinCapacity'));
    }
    if (action === 'CreateDBInstance' && p.get('DBInstanceIdentifier')?.startsWith('restore-proof-')) {
      this.walks.set(p.get('DBInstanceIdentifier')!, { started: now, statuses: INSTANCE_WALK });
    }
    if (action === 'RestoreDBInstanceToPointInTime' || action === 'RestoreDBInstanceFromDBSnapshot') {
      const id = p.get('TargetDBInstanceIdentifier') ?? p.get('DBInstanceIdentifier')!;
      this.walks.set(id, { started: now, statuses: INSTANCE_WALK });
    }
    // https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBCluster.html (ApplyImmediately:
    // modifications are "asynchronously applied as soon as possible"; MasterUserPassword shows in
    // ClusterPendingModifiedValues until then) and API_ModifyDBInstance.html / API_PendingModifiedValues.html.
    const password = p.get('MasterUserPassword');
    if ((action === 'ModifyDBCluster' || action === 'ModifyDBInstance') && password) {
      const id = p.get('DBClusterIdentifier') ?? p.get('DBInstanceIdentifier')!;
      this.passwords.set(id, { started: now, password, applied: false });
    }
  }

  /** Rewrites moto's answer to `action` into what AWS would answer at this moment. */
  async rewrite(action: string, body: string, region: string): Promise<string> {
    let out = body;
    if (action === 'DescribeDBClusters')
      out = await this.members(out, 'DBCluster', 'DBClusterIdentifier', 'Status');
    if (action === 'DescribeDBInstances') {
      out = await this.members(out, 'DBInstance', 'DBInstanceIdentifier', 'DBInstanceStatus');
    }
    if (action === 'DescribeDBClusterSnapshots' || action === 'DescribeDBSnapshots') {
      out = this.snapshotVersions(out);
    }
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html: aws-us-gov in GovCloud.
    if (region.startsWith('us-gov-')) out = out.replace(/arn:aws:/g, 'arn:aws-us-gov:');
    return out;
  }

  private async members(
    xml: string,
    element: string,
    idElement: string,
    statusElement: string,
  ): Promise<string> {
    const blocks = [...xml.matchAll(new RegExp(`<${element}>[\\s\\S]*?</${element}>`, 'g'))].map((m) => m[0]);
    let out = xml;
    for (const block of blocks) out = out.replace(block, await this.member(block, idElement, statusElement));
    return out;
  }

  private async member(block: string, idElement: string, statusElement: string): Promise<string> {
    const id = text(block, idElement) ?? '';
    const now = Date.now();
    let out = block;
    let status: string | undefined;
    const walk = this.walks.get(id);
    if (walk) status = walk.statuses[Math.floor((now - walk.started) / this.stepMs)];
    const pending = this.passwords.get(id);
    if (pending && !pending.applied) {
      const elapsed = now - pending.started;
      if (elapsed >= this.resetMs) {
        pending.applied = true;
        const apply = async () => this.options.onPasswordApplied?.(id, pending.password);
        if (this.options.applyLagMs) {
          const timer = setTimeout(() => {
            this.timers.delete(timer);
            void apply();
          }, this.options.applyLagMs);
          this.timers.add(timer);
        } else await apply();
      } else {
        // The reset shows as pending at once; the status follows a moment later.
        if (elapsed >= this.resetMs / 4) status = 'resetting-master-credentials';
        out = out
          .replace(/<PendingModifiedValues\/>|<PendingModifiedValues>[\s\S]*?<\/PendingModifiedValues>/, '')
          .replace(
            `</${idElement}>`,
            `</${idElement}><PendingModifiedValues><MasterUserPassword>****</MasterUserPassword></PendingModifiedValues>`,
          );
      }
    }
    if (status && text(out, statusElement) !== 'deleting') {
      out = out.replace(
        new RegExp(`<${statusElement}>[^<]*</${statusElement}>`),
        `<${statusElement}>${status}</${statusElement}>`,
      );
    }
    if (this.serverlessV2.get(id) === false) {
      out = out.replace(/<ServerlessV2ScalingConfiguration>[\s\S]*?<\/ServerlessV2ScalingConfiguration>/, '');
    }
    // moto names every cluster's parameter group default.aurora8.0; AWS's default is the version's family.
    const engine = text(out, 'Engine');
    const version = text(out, 'EngineVersion');
    if (engine && version && engine.startsWith('aurora-postgresql')) {
      out = out.replace(
        '<DBClusterParameterGroup>default.aurora8.0</DBClusterParameterGroup>',
        `<DBClusterParameterGroup>default.${family(engine, version)}</DBClusterParameterGroup>`,
      );
    }
    // https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-pitr.html: the latest restorable
    // time is typically within 5 minutes of the present (moto reports the present itself).
    const latest = text(out, 'LatestRestorableTime');
    if (latest) {
      // A cluster reports its earliest restorable time; an instance's window opens at its creation.
      const earliest = msCeil(text(out, 'EarliestRestorableTime') ?? text(out, 'InstanceCreateTime') ?? '');
      this.earliest.set(id, earliest);
      const lagged = new Date(Math.max(now - this.lagMs, earliest)).toISOString();
      out = out.replace(
        /<LatestRestorableTime>[^<]*<\/LatestRestorableTime>/,
        `<LatestRestorableTime>${lagged}</LatestRestorableTime>`,
      );
    }
    return out;
  }

  private snapshotVersions(xml: string): string {
    const versions = this.options.snapshotEngineVersions ?? {};
    return xml.replace(/<(DBClusterSnapshot|DBSnapshot)>[\s\S]*?<\/\1>/g, (block) => {
      const id = text(block, 'DBClusterSnapshotIdentifier') ?? text(block, 'DBSnapshotIdentifier') ?? '';
      const version = versions[id];
      return version
        ? block.replace(/<EngineVersion>[^<]*<\/EngineVersion>/, `<EngineVersion>${version}</EngineVersion>`)
        : block;
    });
  }
}
