/**
 * A pinned restore asks RDS for the pin rounded up to the whole second (RestoreToTime is relied on for
 * whole seconds), and waits until the source is restorable past that instant, not just past the pin.
 */
import { RDSClient } from '@aws-sdk/client-rds';
import { memoryLogger } from '../../../../src/log/logger.js';
import { alignPin, type RestoreRequest } from '../../../../src/providers/provider.js';
import { RdsProviderBase } from '../../../../src/providers/rds/base.js';
import { systemClock, Timeline } from '../../../../src/time/timeline.js';

class Probe extends RdsProviderBase {
  point(request: RestoreRequest, latest: () => Promise<Date | undefined>) {
    return this.restorePoint(request, this.waiter(request), false, latest);
  }
}

test('alignPin rounds up to the resolution, never down', () => {
  expect(alignPin(new Date('2026-12-02T10:00:00.001Z'), 1000).toISOString()).toBe('2026-12-02T10:00:01.000Z');
  expect(alignPin(new Date('2026-12-02T10:00:00.000Z'), 1000).toISOString()).toBe('2026-12-02T10:00:00.000Z');
  expect(alignPin(new Date('2026-12-02T10:00:00.999Z'), 1).toISOString()).toBe('2026-12-02T10:00:00.999Z');
});

test('the RDS restore point is the pin rounded up to the second, once the source is restorable past it', async () => {
  const probe = new Probe({
    region: 'us-east-1',
    client: new RDSClient({ region: 'us-east-1' }),
    sleep: async () => undefined,
    backoff: { initialMs: 1, maxMs: 1, factor: 1, jitter: 0 },
  });
  const pinned = new Date('2026-12-02T10:00:00.250Z');
  const seen = [
    new Date('2026-12-02T10:00:00.300Z'), // past the pin, not past the whole second
    new Date('2026-12-02T10:00:00.900Z'),
    new Date('2026-12-02T10:00:01.100Z'),
  ];
  let asked = 0;
  const request = {
    pinnedTime: pinned,
    resolved: { source: { identifier: 'prod-db' } },
    timeline: new Timeline(systemClock),
    signal: new AbortController().signal,
    logger: memoryLogger(),
    clock: systemClock,
    plan: { timeoutMinutes: 5 },
  } as unknown as RestoreRequest;
  const at = await probe.point(request, async () => seen[Math.min(asked++, seen.length - 1)]);
  expect(at?.toISOString()).toBe('2026-12-02T10:00:01.000Z');
  expect(asked).toBe(3);
});
