/** A production-like Aurora PostgreSQL source cluster in moto, and look-ups for what a drill left behind. */
import {
  CreateDBClusterCommand,
  CreateDBInstanceCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  RDSClient,
  type DBCluster,
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

/** Every cluster and instance that carries the restore-proof:run tag. */
export async function leftovers(client: RDSClient): Promise<string[]> {
  const clusters = (await client.send(new DescribeDBClustersCommand({}))).DBClusters ?? [];
  const instances = (await client.send(new DescribeDBInstancesCommand({}))).DBInstances ?? [];
  const tagged = (tags?: { Key?: string }[]) => (tags ?? []).some((t) => t.Key === 'restore-proof:run');
  return [
    ...clusters.filter((c) => tagged(c.TagList)).map((c) => `cluster ${c.DBClusterIdentifier}`),
    ...instances.filter((i) => tagged(i.TagList)).map((i) => `instance ${i.DBInstanceIdentifier}`),
  ];
}

/** The source's settings that a drill must never change (restorable times move on by themselves). */
export async function sourceFingerprint(client: RDSClient, id = 'prod-db'): Promise<string> {
  const cluster = (await client.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id })))
    .DBClusters![0]!;
  const { LatestRestorableTime: _l, ...rest } = cluster;
  return JSON.stringify(rest);
}
