/**
 * Amazon Resource Names, in every partition: the one parser and builder for the project.
 * `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`, where RESOURCE is `type:id` (RDS: cluster:prod-db,
 * cluster-snapshot:rds:prod-db-2026-01-31-03-10) or `type/id` (KMS: key/1234..., alias/restore-proof).
 */

export const PARTITIONS = ['aws', 'aws-us-gov', 'aws-cn', 'aws-iso', 'aws-iso-b'] as const;
export type Partition = (typeof PARTITIONS)[number];

export interface Arn {
  partition: Partition;
  service: string;
  region: string;
  account: string;
  /** The resource's kind: cluster, db, cluster-snapshot, snapshot (RDS); key, alias (KMS). */
  resourceType: string;
  /** The resource's name or id; may itself hold ':' (RDS automated snapshots) or '/' (KMS alias paths). */
  id: string;
}

const ARN = /^arn:([a-z-]+):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|):(.+)$/;

/** The partition a region belongs to: us-gov-* is aws-us-gov, cn-* is aws-cn, us-iso(b)-* the ISO ones. */
export function partitionOf(region: string): Partition {
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  return 'aws';
}

const isPartition = (value: string): value is Partition => (PARTITIONS as readonly string[]).includes(value);

/** Splits an ARN into its parts, or undefined when the text is not an ARN of a known partition. */
export function parseArn(value: string): Arn | undefined {
  const m = ARN.exec(value);
  if (!m) return undefined;
  const [, partition, service, region, account, resource] = m as unknown as [string, ...string[]];
  if (!isPartition(partition!)) return undefined;
  const at = resource!.search(/[:/]/);
  if (at <= 0 || at === resource!.length - 1) return undefined;
  return {
    partition,
    service: service!,
    region: region!,
    account: account!,
    resourceType: resource!.slice(0, at),
    id: resource!.slice(at + 1),
  };
}

/** The separator between resource type and id: '/' for KMS, ':' for RDS and the rest this project names. */
const separatorFor = (service: string): string => (service === 'kms' ? '/' : ':');

/** Builds an ARN; the partition defaults to the region's. */
export function buildArn(parts: Omit<Arn, 'partition'> & { partition?: Partition }): string {
  const partition = parts.partition ?? partitionOf(parts.region);
  return `arn:${partition}:${parts.service}:${parts.region}:${parts.account}:${parts.resourceType}${separatorFor(parts.service)}${parts.id}`;
}

/** The ARN's parts when `value` is an ARN of this service and one of these resource types. */
export function parseArnOf(
  value: string,
  service: string,
  resourceTypes: readonly string[],
): Arn | undefined {
  const arn = parseArn(value);
  return arn && arn.service === service && resourceTypes.includes(arn.resourceType) ? arn : undefined;
}

/** The resource id inside an ARN of this type, or the value itself when it is not one. */
export function resourceId(value: string, service: string, resourceType: string): string {
  return parseArnOf(value, service, [resourceType])?.id ?? value;
}
