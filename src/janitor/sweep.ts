/**
 * command: janitor. Sweeps clusters, instances and cluster snapshots whose restore-proof tags say they have
 * expired (restore-proof:expires-at in the past) and deletes them through the drill's own cleanup loop
 * (instances first, ownership checked again right before each delete). Anything without the tags is never
 * touched; anything tagged restore-proof whose identifier lacks the restore-proof-<run> name is refused and
 * reported. Listing goes through the SDK's paginators (src/providers/rds/region.ts).
 */
import type { Logger } from '../log/logger.js';
import type { CreatedResource } from '../providers/provider.js';
import {
  assertOwned,
  OwnershipError,
  TAG_EXPIRES,
  TAG_RUN,
  tagValue,
  type Tag,
} from '../providers/ownership.js';
import { DELETE_ORDER, deleteOwned } from '../providers/rds/cleanup.js';
import type { RdsRegion } from '../providers/rds/region.js';

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
}

/** Every instance, cluster and manual cluster snapshot in the region, all pages. */
export async function listCandidates(api: RdsRegion): Promise<Candidate[]> {
  const [instances, clusters, snapshots] = [
    await api.listInstances(),
    await api.listClusters(),
    await api.listClusterSnapshots('manual'),
  ];
  return [
    ...instances.map((i) => ({
      kind: 'instance' as const,
      id: i.DBInstanceIdentifier!,
      tags: (i.TagList ?? []) as Tag[],
    })),
    ...clusters.map((c) => ({
      kind: 'cluster' as const,
      id: c.DBClusterIdentifier!,
      tags: (c.TagList ?? []) as Tag[],
    })),
    ...snapshots.map((s) => ({
      kind: 'snapshot' as const,
      id: s.DBClusterSnapshotIdentifier!,
      tags: (s.TagList ?? []) as Tag[],
    })),
  ];
}

export async function sweep(
  api: RdsRegion,
  options: { now: Date; dryRun: boolean; logger: Logger },
): Promise<SweepResult> {
  const { now, dryRun, logger } = options;
  const items: SweepItem[] = [];
  const expired = new Map<string, SweepItem>();
  const candidates = (await listCandidates(api))
    .filter((c) => tagValue(c.tags, TAG_RUN) !== undefined)
    .sort((a, b) => DELETE_ORDER.indexOf(a.kind) - DELETE_ORDER.indexOf(b.kind));
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
    expired.set(`${c.kind} ${c.id}`, item);
  }

  const resources: CreatedResource[] = [...expired.values()].map((i) => ({
    kind: i.kind,
    id: i.id,
    region: api.region,
    runId: i.runId!,
  }));
  await deleteOwned(resources, {
    api: () => api,
    defaultRegion: api.region,
    logger,
    onResult: (entry) => {
      const item = expired.get(`${entry.kind} ${entry.id}`)!;
      if (entry.outcome === 'failed') {
        item.action = 'failed';
        item.reason = entry.error;
        logger.error(`janitor: ${item.kind} ${item.id} could not be deleted: ${item.reason}`);
      } else {
        item.action = 'deleted';
        logger.info(`janitor: deleted ${item.kind} ${item.id} (expired ${item.expiresAt})`);
      }
    },
  });
  return {
    items,
    deleted: items.filter((i) => i.action === 'deleted').length,
    refused: items.filter((i) => i.action === 'refused').length,
    failed: items.filter((i) => i.action === 'failed').length,
  };
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
