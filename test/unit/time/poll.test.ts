import { backoffDelay, DEFAULT_BACKOFF, pollUntil, TimeoutError } from '../../../src/time/poll.js';

test('backoff grows by its factor, caps at its maximum, and jitters within its fraction', () => {
  const b = { initialMs: 1000, maxMs: 5000, factor: 2, jitter: 0 };
  expect([0, 1, 2, 3, 4].map((n) => backoffDelay(b, n))).toEqual([1000, 2000, 4000, 5000, 5000]);
  const j = { ...DEFAULT_BACKOFF, jitter: 0.2 };
  expect(backoffDelay(j, 0, 0)).toBe(1600);
  expect(backoffDelay(j, 0, 0.999999)).toBe(2400);
});

test('pollUntil returns the first done value, reports progress, and sleeps by backoff without real time', async () => {
  let t = 0;
  const slept: number[] = [];
  const lines: string[] = [];
  let calls = 0;
  const value = await pollUntil(
    async () => {
      calls++;
      return { done: calls === 3 ? 'ok' : undefined, status: `attempt ${calls}` };
    },
    {
      what: 'thing',
      deadline: new Date(60_000),
      signal: new AbortController().signal,
      backoff: { initialMs: 1000, maxMs: 10_000, factor: 2, jitter: 0 },
      now: () => new Date(t),
      sleep: async (ms) => {
        slept.push(ms);
        t += ms;
      },
      onProgress: (l) => lines.push(l),
    },
  );
  expect(value).toBe('ok');
  expect(slept).toEqual([1000, 2000]);
  expect(lines).toEqual(['thing: attempt 1 (0s)', 'thing: attempt 2 (1s)', 'thing: attempt 3 (3s)']);
});

test('pollUntil stops at the deadline with a TimeoutError naming what it waited for', async () => {
  let t = 0;
  await expect(
    pollUntil(async () => ({ done: undefined, status: 'creating' }), {
      what: 'cluster x',
      deadline: new Date(5_000),
      signal: new AbortController().signal,
      backoff: { initialMs: 2000, maxMs: 2000, factor: 1, jitter: 0 },
      now: () => new Date(t),
      sleep: async (ms) => {
        t += ms;
      },
    }),
  ).rejects.toThrow(new TimeoutError('timed out waiting for cluster x (last status creating, after 5s)'));
});

test('pollUntil stops when cancelled', async () => {
  const controller = new AbortController();
  controller.abort(new Error('runner sent SIGINT'));
  await expect(
    pollUntil(async () => ({ done: undefined, status: 'x' }), {
      what: 'y',
      deadline: new Date(Date.now() + 1e6),
      signal: controller.signal,
    }),
  ).rejects.toThrow('runner sent SIGINT');
});
