/** The post step reads only saved state and applies the drill's one cleanup policy. */
import { runPost } from '../../../src/engine/post.js';
import { STATE } from '../../../src/drill/state.js';
import type { CreatedResource, Provider } from '../../../src/providers/provider.js';
import type { CleanupOutcome } from '../../../src/model/types.js';
import { memoryIO } from '../../support/memory-io.js';

const RUN = '20260301t040000z-abcd';
const created: CreatedResource[] = [
  { kind: 'cluster', id: `restore-proof-${RUN}`, runId: RUN },
  { kind: 'instance', id: `restore-proof-${RUN}-1`, runId: RUN },
];

function post(state: Record<string, string>, cleanup: CleanupOutcome['status'] = 'deleted') {
  const io = memoryIO({}, { state });
  const calls: { name: string; region: string; ids: string[]; runId: string }[] = [];
  const provider = (name: Provider['name'], region: string): Provider => ({
    name,
    resolve: () => Promise.reject(new Error('post never resolves')),
    restore: () => Promise.reject(new Error('post never restores')),
    cleanup: async (resources, runId) => {
      calls.push({ name, region, ids: resources.map((r) => r.id), runId });
      return {
        status: cleanup,
        resources: resources.map((r) => ({
          kind: r.kind,
          id: r.id,
          outcome: cleanup === 'failed' ? 'failed' : 'deleted',
        })),
      };
    },
  });
  return { io, calls, run: () => runPost(io, { provider }) };
}

const saved = (extra: Record<string, string> = {}): Record<string, string> => ({
  [STATE.runId]: RUN,
  [STATE.provider]: 'aurora',
  [STATE.region]: 'eu-west-1',
  [STATE.cleanupPolicy]: 'always',
  [STATE.resources]: JSON.stringify(created),
  ...extra,
});

test('nothing created: exit 0 and no provider call', async () => {
  const { io, calls, run } = post({ [STATE.runId]: RUN, [STATE.provider]: 'aurora' });
  expect(await run()).toBe(0);
  expect(calls).toEqual([]);
  expect(io.logger.lines.join('\n')).toContain('nothing was created');
});

test('main already cleaned up: exit 0 and no provider call', async () => {
  const { io, calls, run } = post(saved({ [STATE.cleanedUp]: 'done' }));
  expect(await run()).toBe(0);
  expect(calls).toEqual([]);
  expect(io.logger.lines.join('\n')).toContain('main already cleaned up');
});

test('policy never: keeps, exit 0, and names what it keeps', async () => {
  const { io, calls, run } = post(saved({ [STATE.cleanupPolicy]: 'never' }));
  expect(await run()).toBe(0);
  expect(calls).toEqual([]);
  expect(io.logger.lines.join('\n')).toContain(`keeping restore-proof-${RUN}, restore-proof-${RUN}-1`);
});

test.each(['always', 'on-success'])(
  'policy %s, main never finished: deletes with the provider and region in state',
  async (policy) => {
    const { io, calls, run } = post(saved({ [STATE.cleanupPolicy]: policy }));
    expect(await run()).toBe(0);
    expect(calls).toEqual([
      { name: 'aurora', region: 'eu-west-1', ids: created.map((r) => r.id), runId: RUN },
    ]);
    expect(io.state.get(STATE.cleanedUp)).toBe('done');
  },
);

test('a cleanup that fails: exit 1, and state does not claim it was cleaned up', async () => {
  const { io, run } = post(saved(), 'failed');
  expect(await run()).toBe(1);
  expect(io.state.get(STATE.cleanedUp)).toBe('');
  expect(io.logger.lines.join('\n')).toContain('post: cleanup failed');
});

test('state that names no provider: exit 1', async () => {
  const { calls, run } = post(saved({ [STATE.provider]: '' }));
  expect(await run()).toBe(1);
  expect(calls).toEqual([]);
});
