/**
 * The janitor against an in-memory RDS listed one item per page: every page is read, only expired, named and
 * tagged resources are deleted, through the drill's cleanup loop (instances first, ownership re-checked).
 */
import { memoryLogger } from '../../../src/log/logger.js';
import { renderSweep, sweep } from '../../../src/janitor/sweep.js';
import { RdsRegion } from '../../../src/providers/rds/region.js';
import { fakeRds, runTags } from '../../support/fake-rds.js';

const NOW = new Date('2026-11-27T12:00:00Z');
const PAST = '2026-11-27T11:00:00.000Z';
const FUTURE = '2026-11-27T13:00:00.000Z';
const EXPIRED = '2611270900-aaaaaa';
const LIVE = '2611271100-bbbbbb';

function setup() {
  const rds = fakeRds('us-east-1', 1);
  const cluster = (id: string, tags: { Key: string; Value: string }[], protect = false) =>
    rds.clusters.set(id, {
      DBClusterIdentifier: id,
      Status: 'available',
      TagList: tags,
      DeletionProtection: protect,
    });
  cluster('prod-db', []); // production: no tags, never looked at
  cluster(`restore-proof-${EXPIRED}`, runTags(EXPIRED, PAST), true); // expired, inherited protection
  rds.instances.set(`restore-proof-${EXPIRED}-1`, {
    DBInstanceIdentifier: `restore-proof-${EXPIRED}-1`,
    DBClusterIdentifier: `restore-proof-${EXPIRED}`,
    DBInstanceStatus: 'available',
    TagList: runTags(EXPIRED, PAST),
  });
  rds.instances.set('prod-db-writer', {
    DBInstanceIdentifier: 'prod-db-writer',
    DBClusterIdentifier: 'prod-db',
  });
  cluster(`restore-proof-${LIVE}`, runTags(LIVE, FUTURE)); // a drill still running
  cluster('analytics-db', runTags(EXPIRED, PAST)); // mislabelled: tags say ours, name does not
  cluster(`restore-proof-2611270800-cccccc`, runTags('2611270800-cccccc', null)); // no expiry tag
  rds.snapshots.set(`restore-proof-${EXPIRED}-snap`, {
    DBClusterSnapshotIdentifier: `restore-proof-${EXPIRED}-snap`,
    SnapshotType: 'manual',
    Status: 'available',
    TagList: runTags(EXPIRED, PAST),
  });
  const api = new RdsRegion('us-east-1', rds.client, async () => undefined);
  return { rds, api, logger: memoryLogger() };
}

test('deletes the expired copy through the cleanup loop, instances first, having read every page', async () => {
  const { rds, api, logger } = setup();
  const result = await sweep(api, { now: NOW, dryRun: false, logger });

  expect(rds.laterPages()).toBe(5); // one item a page: 2 instances, 5 clusters, 1 snapshot
  expect(rds.mutations()).toEqual([
    `DeleteDBInstance restore-proof-${EXPIRED}-1`,
    `ModifyDBCluster restore-proof-${EXPIRED}`, // its own protection, lifted right before its delete
    `DeleteDBCluster restore-proof-${EXPIRED}`,
    `DeleteDBClusterSnapshot restore-proof-${EXPIRED}-snap`,
  ]);
  expect([...rds.clusters.keys()].sort()).toEqual(
    ['analytics-db', 'prod-db', `restore-proof-${LIVE}`, 'restore-proof-2611270800-cccccc'].sort(),
  );
  expect(result).toMatchObject({ deleted: 3, refused: 2, failed: 0 });
  const action = (id: string) => result.items.find((i) => i.id === id)?.action;
  expect(action(`restore-proof-${LIVE}`)).toBe('kept');
  expect(action('analytics-db')).toBe('refused');
  expect(action('restore-proof-2611270800-cccccc')).toBe('refused');
  expect(action('prod-db')).toBeUndefined();
  expect(result.items.map((i) => i.kind)).toEqual(
    [...result.items.map((i) => i.kind)].sort(
      (a, b) =>
        ['instance', 'cluster', 'snapshot'].indexOf(a) - ['instance', 'cluster', 'snapshot'].indexOf(b),
    ),
  );
  const deletions = logger.lines.filter((l) => l.includes('janitor: deleted'));
  expect(deletions[0]).toContain(`instance restore-proof-${EXPIRED}-1 (expired ${PAST})`);
  expect(logger.lines.join('\n')).toMatch(
    /janitor: refusing to touch cluster 'analytics-db': its name lacks the restore-proof-<run> pattern/,
  );
});

test('a dry run lists what it would delete and deletes nothing', async () => {
  const { rds, api, logger } = setup();
  const result = await sweep(api, { now: NOW, dryRun: true, logger });
  expect(rds.mutations()).toEqual([]);
  expect(result.items.filter((i) => i.action === 'would-delete').map((i) => i.id)).toEqual([
    `restore-proof-${EXPIRED}-1`,
    `restore-proof-${EXPIRED}`,
    `restore-proof-${EXPIRED}-snap`,
  ]);
  expect(renderSweep(result, true)).toContain(
    '0 deleted, 3 would be deleted, 2 refused, 0 failed, 1 kept (not expired).',
  );
});

test('a delete that fails is reported and the sweep goes on', async () => {
  const { rds, api, logger } = setup();
  // The instance's tag names another run than its name: refused, so it is left in its cluster.
  rds.instances.get(`restore-proof-${EXPIRED}-1`)!.TagList = runTags('2611270000-999999', PAST);
  const result = await sweep(api, { now: NOW, dryRun: false, logger });
  const instance = result.items.find((i) => i.kind === 'instance')!;
  expect(instance.action).toBe('refused');
  // The cluster still has the instance: RDS refuses its delete, retried and then reported as failed.
  const cluster = result.items.find((i) => i.id === `restore-proof-${EXPIRED}`)!;
  expect(cluster.action).toBe('failed');
  expect(cluster.reason).toMatch(/still has instances/);
  expect(result.items.find((i) => i.kind === 'snapshot')!.action).toBe('deleted');
  expect(result.failed).toBe(1);
  expect(logger.lines.join('\n')).toMatch(/janitor: cluster restore-proof-\S+ could not be deleted/);
});
