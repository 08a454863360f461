/**
 * The source can never be modified or deleted: the post step is fed crafted state naming the source (and a
 * foreign restore-proof cluster) and must refuse before any Modify or Delete call reaches the API.
 */
import { CreateDBClusterCommand, type RDSClient } from '@aws-sdk/client-rds';
import {
  createSourceCluster,
  leftovers,
  motoClient,
  REGION,
  sourceFingerprint,
} from '../support/aurora-fixture.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { startMoto, type Moto } from '../support/moto.js';
import { runStep } from '../support/runner.js';

let moto: Moto;
let proxy: FaultProxy;
let rds: RDSClient;

beforeAll(async () => {
  moto = await startMoto();
  proxy = await startFaultProxy(moto.endpoint);
  rds = motoClient(moto.endpoint);
});
afterAll(async () => {
  await proxy?.close();
  await moto?.stop();
});
beforeEach(async () => {
  await moto.reset();
  proxy.calls.length = 0;
  await createSourceCluster(rds);
});

const env = () => ({
  AWS_ENDPOINT_URL: proxy.endpoint,
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
});
const RUN = '2611270000-abcdef';

function craftedState(resources: { kind: string; id: string }[]): Record<string, string> {
  return {
    'run-id': RUN,
    provider: 'aurora',
    region: REGION,
    'cleanup-policy': 'always',
    resources: JSON.stringify(resources.map((r) => ({ ...r, region: REGION, runId: RUN }))),
  };
}

test.each([
  ['the source cluster by identifier', [{ kind: 'cluster', id: 'prod-db' }]],
  ['the source writer instance', [{ kind: 'instance', id: 'prod-db-writer' }]],
  [
    'the source cluster by ARN',
    [{ kind: 'cluster', id: 'arn:aws:rds:us-east-1:123456789012:cluster:prod-db' }],
  ],
])('post refuses crafted state naming %s', async (_what, resources) => {
  const before = await sourceFingerprint(rds);
  const post = await runStep('post', { env: env(), state: craftedState(resources) });
  expect(post.code).toBe(1);
  expect(post.stdout).toMatch(/refusing to touch/);
  expect(proxy.calls.filter((c) => /^(Modify|Delete)/.test(c))).toEqual([]);
  expect(await sourceFingerprint(rds)).toBe(before);
});

test("post refuses another run's restore-proof cluster even with a matching name pattern", async () => {
  await rds.send(
    new CreateDBClusterCommand({
      DBClusterIdentifier: 'restore-proof-2611270000-999999',
      Engine: 'aurora-postgresql',
      MasterUsername: 'postgres',
      MasterUserPassword: 'password-123',
      Tags: [{ Key: 'restore-proof:run', Value: '2611270000-999999' }],
    }),
  );
  const post = await runStep('post', {
    env: env(),
    state: craftedState([{ kind: 'cluster', id: 'restore-proof-2611270000-999999' }]),
  });
  expect(post.code).toBe(1);
  expect(post.stdout).toMatch(/belongs to run 2611270000-999999, not 2611270000-abcdef/);
  expect(proxy.calls.filter((c) => /^(Modify|Delete)/.test(c))).toEqual([]);
  expect(await leftovers(rds)).toEqual(['cluster restore-proof-2611270000-999999']);
});
