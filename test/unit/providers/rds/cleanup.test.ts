/**
 * The one RDS cleanup loop against an in-memory RDS: the delete order, NotFound as success, deletion
 * protection lifted only on our own copy, and refusal of anything that lacks the name or the run's tag.
 */
import { memoryLogger } from '../../../../src/log/logger.js';
import type { CreatedResource } from '../../../../src/providers/provider.js';
import { deleteOwned, type CleanupEntry } from '../../../../src/providers/rds/cleanup.js';
import { RdsRegion } from '../../../../src/providers/rds/region.js';
import { fakeRds, runTags } from '../../../support/fake-rds.js';

const RUN = '2611271234-abcdef';
const OTHER = '2611270000-999999';
const CLUSTER = `restore-proof-${RUN}`;
const INSTANCE = `restore-proof-${RUN}-1`;
const SNAPSHOT = `restore-proof-${RUN}-snap`;

function setup() {
  const rds = fakeRds();
  const api = new RdsRegion('us-east-1', rds.client, async () => undefined, {
    initialMs: 1,
    maxMs: 1,
    factor: 1,
    jitter: 0,
  });
  const logger = memoryLogger();
  const run = (resources: CreatedResource[], onResult?: (entry: CleanupEntry) => void) =>
    deleteOwned(resources, { api: () => api, defaultRegion: 'us-east-1', logger, onResult });
  return { rds, run, logger };
}

const ours = (kind: CreatedResource['kind'], id: string, runId = RUN): CreatedResource => ({
  kind,
  id,
  runId,
  region: 'us-east-1',
});

test('instances, then clusters, then snapshots, whatever order they were recorded in', async () => {
  const { rds, run, logger } = setup();
  rds.clusters.set(CLUSTER, { DBClusterIdentifier: CLUSTER, Status: 'available', TagList: runTags(RUN) });
  rds.instances.set(INSTANCE, {
    DBInstanceIdentifier: INSTANCE,
    DBClusterIdentifier: CLUSTER,
    DBInstanceStatus: 'available',
    TagList: runTags(RUN),
  });
  rds.snapshots.set(SNAPSHOT, {
    DBClusterSnapshotIdentifier: SNAPSHOT,
    Status: 'available',
    TagList: runTags(RUN),
  });

  const outcome = await run([
    ours('snapshot', SNAPSHOT),
    ours('local-server', '/tmp/restore-proof-x'),
    ours('cluster', CLUSTER),
    ours('instance', INSTANCE),
  ]);

  expect(rds.mutations()).toEqual([
    `DeleteDBInstance ${INSTANCE}`,
    `DeleteDBCluster ${CLUSTER}`,
    `DeleteDBClusterSnapshot ${SNAPSHOT}`,
  ]);
  expect(outcome).toEqual({
    status: 'deleted',
    resources: [
      { kind: 'instance', id: INSTANCE, outcome: 'deleted' },
      { kind: 'cluster', id: CLUSTER, outcome: 'deleted' },
      { kind: 'snapshot', id: SNAPSHOT, outcome: 'deleted' },
    ],
  });
  expect(logger.lines.join('\n')).toContain(`cleanup: instance ${INSTANCE} deleted`);
  expect(rds.instances.size + rds.clusters.size + rds.snapshots.size).toBe(0);
});

test('what is already gone counts as done; nothing at all is status none', async () => {
  const { rds, run } = setup();
  const outcome = await run([ours('cluster', CLUSTER), ours('instance', INSTANCE)]);
  expect(outcome.status).toBe('deleted');
  expect(outcome.resources.map((r) => r.outcome)).toEqual(['not-found', 'not-found']);
  expect(rds.mutations()).toEqual([]);
  expect((await run([ours('local-server', '/tmp/restore-proof-x')])).status).toBe('none');
});

test('deletion protection is lifted on our own copy, right before its delete', async () => {
  const { rds, run } = setup();
  rds.clusters.set(CLUSTER, {
    DBClusterIdentifier: CLUSTER,
    Status: 'available',
    DeletionProtection: true,
    TagList: runTags(RUN),
  });
  const outcome = await run([ours('cluster', CLUSTER)]);
  expect(outcome.status).toBe('deleted');
  expect(rds.mutations()).toEqual([`ModifyDBCluster ${CLUSTER}`, `DeleteDBCluster ${CLUSTER}`]);
});

test.each([
  ['lacks the run tag', CLUSTER, [], /refusing to touch cluster '.*': it lacks the restore-proof:run tag/],
  [
    'belongs to another run',
    CLUSTER,
    runTags(OTHER),
    /belongs to run 2611270000-999999, not 2611271234-abcdef/,
  ],
  ['lacks the restore-proof name', 'prod-db', runTags(RUN), /its name lacks the restore-proof-<run> pattern/],
])(
  'a cluster that %s is refused: no modify, no delete, and the loop goes on',
  async (_why, id, tags, message) => {
    const { rds, run, logger } = setup();
    rds.clusters.set(id, {
      DBClusterIdentifier: id,
      Status: 'available',
      DeletionProtection: true,
      TagList: tags,
    });
    rds.snapshots.set(SNAPSHOT, {
      DBClusterSnapshotIdentifier: SNAPSHOT,
      Status: 'available',
      TagList: runTags(RUN),
    });
    const seen: string[] = [];
    const outcome = await run([ours('cluster', id), ours('snapshot', SNAPSHOT)], (e) =>
      seen.push(`${e.kind} ${e.outcome}`),
    );
    expect(outcome.status).toBe('failed');
    expect(outcome.resources[0]).toMatchObject({ kind: 'cluster', id, outcome: 'failed' });
    expect(outcome.resources[0]!.error).toMatch(message);
    expect(rds.clusters.has(id)).toBe(true);
    expect(rds.mutations()).toEqual([`DeleteDBClusterSnapshot ${SNAPSHOT}`]);
    expect(seen).toEqual(['cluster failed', 'snapshot deleted']);
    // onResult replaces the default cleanup lines.
    expect(logger.lines.join('\n')).not.toMatch(/cleanup: cluster .* could not be deleted/);
  },
);

test('a cluster RDS still calls busy (its instance still deleting) is retried after a pause', async () => {
  const rds = fakeRds();
  rds.clusters.set(CLUSTER, { DBClusterIdentifier: CLUSTER, Status: 'available', TagList: runTags(RUN) });
  rds.instances.set(INSTANCE, { DBInstanceIdentifier: INSTANCE, DBClusterIdentifier: CLUSTER });
  // The pause between attempts is when RDS finishes deleting the instance.
  const pauses: number[] = [];
  const api = new RdsRegion('us-east-1', rds.client, async (ms) => {
    pauses.push(ms);
    rds.instances.delete(INSTANCE);
  });
  const logger = memoryLogger();
  const outcome = await deleteOwned([ours('cluster', CLUSTER)], {
    api: () => api,
    defaultRegion: 'us-east-1',
    logger,
  });
  expect(outcome.status).toBe('deleted');
  expect(rds.mutations()).toEqual([`DeleteDBCluster ${CLUSTER}`, `DeleteDBCluster ${CLUSTER}`]);
  expect(pauses).toHaveLength(1);
  expect(logger.lines.join('\n')).toMatch(/not deletable yet \(InvalidDBClusterStateFault\), retrying/);
});
