/**
 * command: janitor. Sweeps clusters, instances and cluster snapshots whose restore-proof tags say they have
 * expired (restore-proof:expires-at in the past) and deletes them, instances first. Anything without the
 * tags is never touched; anything tagged restore-proof whose identifier lacks the restore-proof-<run> name
 * is refused and reported.
 */
import {
  DeleteDBClusterCommand,
  DeleteDBClusterSnapshotCommand,
  DeleteDBInstanceCommand,
  DescribeDBClustersCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBInstancesCommand,
  ModifyDBClusterCommand,
  ModifyDBInstanceCommand,
  type RDSClient,
} from '@aws-sdk/client-rds';
import type { Logger } from '../log/logger.js';
import {
  assertOwned,
  OwnershipError,
  TAG_EXPIRES,
  TAG_RUN,
  tagValue,
  type Tag,
} from '../providers/ownership.js';

export type SweepKind = 'instance' | 'cluster' | 'snapshot';

export interface SweepItem {
  kind: SweepKind;
  id: string;
  runId?: string;
  expiresAt?: string;
  /** deleted | would-delete (dry run) | kept (not expired) | refused (mislabelled) | failed */
  action: 'deleted' | 'would-delete' | 'kept' | 'refused' | 'failed';
  reason?: string;
}

export interface SweepResult {
  items: SweepItem[];
  deleted: number;
  refused: number;
  failed: number;
}

interface Candidate {
  kind: SweepKind;
  id: string;
  tags: Tag[];
  deletionProtection?: boolean;
}

async function collect(client: RDSClient): Promise<Candidate[]> {
  const found: Candidate[] = [];
  let marker: string | undefined;
  do {
    const out = await client.send(new DescribeDBInstancesCommand({ Marker: marker }));
    for (const i of out.DBInstances ?? []) {
      found.push({
        kind: 'instance',
        id: i.DBInstanceIdentifier!,
        tags: (i.TagList ?? []) as Tag[],
        deletionProtection: i.DeletionProtection,
      });
    }
    marker = out.Marker;
  } while (marker);
  do {
    const out = await client.send(new DescribeDBClustersCommand({ Marker: marker }));
    for (const c of out.DBClusters ?? []) {
      found.push({
        kind: 'cluster',
        id: c.DBClusterIdentifier!,
        tags: (c.TagList ?? []) as Tag[],
        deletionProtection: c.DeletionProtection,
      });
    }
    marker = out.Marker;
  } while (marker);
  do {
    const out = await client.send(
      new DescribeDBClusterSnapshotsCommand({ SnapshotType: 'manual', Marker: marker }),
    );
    for (const s of out.DBClusterSnapshots ?? []) {
      found.push({ kind: 'snapshot', id: s.DBClusterSnapshotIdentifier!, tags: (s.TagList ?? []) as Tag[] });
    }
    marker = out.Marker;
  } while (marker);
  return found;
}

const ORDER: SweepKind[] = ['instance', 'cluster', 'snapshot'];

export async function sweep(
  client: RDSClient,
  options: { now: Date; dryRun: boolean; logger: Logger },
): Promise<SweepResult> {
  const { now, dryRun, logger } = options;
  const items: SweepItem[] = [];
  const candidates = (await collect(client))
    .filter((c) => tagValue(c.tags, TAG_RUN) !== undefined)
    .sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
  for (const c of candidates) {
    const runId = tagValue(c.tags, TAG_RUN);
    const expires = tagValue(c.tags, TAG_EXPIRES);
    const item: SweepItem = { kind: c.kind, id: c.id, runId, expiresAt: expires, action: 'kept' };
    items.push(item);
    try {
      assertOwned(c.kind, c.id, c.tags);
    } catch (error) {
      item.action = 'refused';
      item.reason = (error as OwnershipError).message;
      logger.warning(`janitor: ${item.reason}`);
      continue;
    }
    const expiry = expires ? Date.parse(expires) : NaN;
    if (Number.isNaN(expiry)) {
      item.action = 'refused';
      item.reason = `${c.kind} ${c.id} has no readable ${TAG_EXPIRES} tag`;
      logger.warning(`janitor: ${item.reason}`);
      continue;
    }
    if (expiry > now.getTime()) {
      logger.info(`janitor: ${c.kind} ${c.id} expires at ${expires}; kept`);
      continue;
    }
    if (dryRun) {
      item.action = 'would-delete';
      logger.info(`janitor: would delete ${c.kind} ${c.id} (expired ${expires})`);
      continue;
    }
    try {
      await remove(client, c);
      item.action = 'deleted';
      logger.info(`janitor: deleted ${c.kind} ${c.id} (expired ${expires})`);
    } catch (error) {
      if (/NotFound/.test((error as Error).name)) {
        item.action = 'deleted';
        continue;
      }
      item.action = 'failed';
      item.reason = (error as Error).message;
      logger.error(`janitor: ${c.kind} ${c.id} could not be deleted: ${item.reason}`);
    }
  }
  return {
    items,
    deleted: items.filter((i) => i.action === 'deleted').length,
    refused: items.filter((i) => i.action === 'refused').length,
    failed: items.filter((i) => i.action === 'failed').length,
  };
}

async function remove(client: RDSClient, c: Candidate): Promise<void> {
  switch (c.kind) {
    case 'instance':
      if (c.deletionProtection) {
        // A standalone instance restore (source-instance) can inherit protection; ours only, as asserted above.
        await client.send(
          new ModifyDBInstanceCommand({
            DBInstanceIdentifier: c.id,
            DeletionProtection: false,
            ApplyImmediately: true,
          }),
        );
      }
      await client.send(
        new DeleteDBInstanceCommand({
          DBInstanceIdentifier: c.id,
          SkipFinalSnapshot: true,
          DeleteAutomatedBackups: true,
        }),
      );
      return;
    case 'cluster':
      if (c.deletionProtection) {
        await client.send(
          new ModifyDBClusterCommand({
            DBClusterIdentifier: c.id,
            DeletionProtection: false,
            ApplyImmediately: true,
          }),
        );
      }
      await client.send(new DeleteDBClusterCommand({ DBClusterIdentifier: c.id, SkipFinalSnapshot: true }));
      return;
    case 'snapshot':
      await client.send(new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: c.id }));
      return;
  }
}

export function renderSweep(result: SweepResult, dryRun: boolean): string {
  const lines = [
    `## restore-proof janitor${dryRun ? ' (dry run)' : ''}`,
    '',
    `${result.deleted} deleted, ${result.items.filter((i) => i.action === 'would-delete').length} would be deleted, ${result.refused} refused, ${result.failed} failed, ${result.items.filter((i) => i.action === 'kept').length} kept (not expired).`,
    '',
  ];
  if (result.items.length > 0) {
    lines.push(
      '| kind | identifier | run | expires at | action | reason |',
      '| --- | --- | --- | --- | --- | --- |',
    );
    for (const i of result.items) {
      lines.push(
        `| ${i.kind} | \`${i.id}\` | ${i.runId ?? ''} | ${i.expiresAt ?? ''} | ${i.action} | ${i.reason ?? ''} |`,
      );
    }
  }
  return lines.join('\n') + '\n';
}
