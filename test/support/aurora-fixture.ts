/** A production-like Aurora PostgreSQL source cluster in moto, and look-ups for what a drill left behind. */
import {
  CreateDBClusterCommand,
  CreateDBClusterParameterGroupCommand,
  CreateDBInstanceCommand,
  CreateDBParameterGroupCommand,
  DescribeDBClustersCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBInstancesCommand,
  ModifyDBClusterParameterGroupCommand,
  ModifyDBParameterGroupCommand,
  RDSClient,
  type DBCluster,
  type DBInstance,
} from '@aws-sdk/client-rds';

export const REGION = 'us-east-1';
export const KMS_KEY = 'arn:aws:kms:us-east-1:123456789012:key/0b5e2e1c-1111-4a4a-9f9f-123456789abc';

export function motoClient(endpoint: string, region = REGION): RDSClient {
  return new RDSClient({
    region,
    endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
}

export async function createSourceCluster(client: RDSClient, id = 'prod-db'): Promise<DBCluster> {
  const out = await client.send(
    new CreateDBClusterCommand({
      DBClusterIdentifier: id,
      Engine: 'aurora-postgresql',
      EngineVersion: '15.4',
      MasterUsername: 'postgres',
      MasterUserPassword: 'production-password-1',
      DatabaseName: 'app',
      StorageEncrypted: true,
      KmsKeyId: KMS_KEY,
      DeletionProtection: true,
      BackupRetentionPeriod: 35,
      PreferredBackupWindow: '03:00-04:00',
      EnableIAMDatabaseAuthentication: true,
      VpcSecurityGroupIds: ['sg-0123456789abcdef0'],
      CopyTagsToSnapshot: true,
      Tags: [{ Key: 'env', Value: 'production' }],
    }),
  );
  await client.send(
    new CreateDBInstanceCommand({
      DBInstanceIdentifier: `${id}-writer`,
      DBClusterIdentifier: id,
      Engine: 'aurora-postgresql',
      DBInstanceClass: 'db.r6g.large',
    }),
  );
  return out.DBCluster!;
}

/** Every cluster, instance and manual cluster snapshot in the client's region that carries the restore-proof:run tag. */
export async function leftovers(client: RDSClient): Promise<string[]> {
  const clusters = (await client.send(new DescribeDBClustersCommand({}))).DBClusters ?? [];
  const instances = (await client.send(new DescribeDBInstancesCommand({}))).DBInstances ?? [];
  const snapshots =
    (await client.send(new DescribeDBClusterSnapshotsCommand({ SnapshotType: 'manual' })))
      .DBClusterSnapshots ?? [];
  const tagged = (tags?: { Key?: string }[]) => (tags ?? []).some((t) => t.Key === 'restore-proof:run');
  return [
    ...clusters.filter((c) => tagged(c.TagList)).map((c) => `cluster ${c.DBClusterIdentifier}`),
    ...instances.filter((i) => tagged(i.TagList)).map((i) => `instance ${i.DBInstanceIdentifier}`),
    ...snapshots.filter((x) => tagged(x.TagList)).map((x) => `snapshot ${x.DBClusterSnapshotIdentifier}`),
  ];
}

/** A production-like RDS for PostgreSQL instance (not Aurora) in moto. */
export async function createSourceInstance(
  client: RDSClient,
  id = 'prod-pg',
  engine = 'postgres',
): Promise<DBInstance> {
  const out = await client.send(
    new CreateDBInstanceCommand({
      DBInstanceIdentifier: id,
      Engine: engine,
      EngineVersion: engine === 'postgres' ? '16.3' : undefined,
      DBInstanceClass: 'db.m6g.large',
      MasterUsername: 'postgres',
      MasterUserPassword: 'production-password-1',
      DBName: 'app',
      AllocatedStorage: 100,
      StorageEncrypted: true,
      KmsKeyId: KMS_KEY,
      BackupRetentionPeriod: 35,
      DeletionProtection: true,
      EnableIAMDatabaseAuthentication: true,
      VpcSecurityGroupIds: ['sg-0123456789abcdef0'],
      Tags: [{ Key: 'env', Value: 'production' }],
    }),
  );
  return out.DBInstance!;
}

/** The source instance's settings that a drill must never change (restorable times move on by themselves). */
export async function sourceInstanceFingerprint(client: RDSClient, id = 'prod-pg'): Promise<string> {
  const instance = (await client.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id })))
    .DBInstances![0]!;
  const { LatestRestorableTime: _l, ...rest } = instance;
  return JSON.stringify(rest);
}

/** The source's settings that a drill must never change (restorable times move on by themselves). */
export async function sourceFingerprint(client: RDSClient, id = 'prod-db'): Promise<string> {
  const cluster = (await client.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id })))
    .DBClusters![0]!;
  const { LatestRestorableTime: _l, ...rest } = cluster;
  return JSON.stringify(rest);
}

/**
 * A parameter group that preloads `preload` (shared_preload_libraries): a DB cluster parameter group, or a DB
 * parameter group for instances, of `family`.
 */
export async function preloadGroup(
  client: RDSClient,
  kind: 'cluster' | 'instance',
  name: string,
  preload: string,
  family = 'aurora-postgresql15',
): Promise<void> {
  const Parameters = [
    {
      ParameterName: 'shared_preload_libraries',
      ParameterValue: preload,
      ApplyMethod: 'pending-reboot' as const,
    },
  ];
  if (kind === 'cluster') {
    await client.send(
      new CreateDBClusterParameterGroupCommand({
        DBClusterParameterGroupName: name,
        DBParameterGroupFamily: family,
        Description: name,
      }),
    );
    await client.send(
      new ModifyDBClusterParameterGroupCommand({ DBClusterParameterGroupName: name, Parameters }),
    );
  } else {
    await client.send(
      new CreateDBParameterGroupCommand({
        DBParameterGroupName: name,
        DBParameterGroupFamily: family,
        Description: name,
      }),
    );
    await client.send(new ModifyDBParameterGroupCommand({ DBParameterGroupName: name, Parameters }));
  }
}
