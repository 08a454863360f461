import { objectiveChecks } from '../../../src/checks/objectives.js';

const base = { maxRestoreMinutes: 30, maxDataLossMinutes: 5 };

test('RTO and RPO met', () => {
  const out = objectiveChecks({
    ...base,
    restoreSeconds: 600,
    targetTime: '2026-01-01T12:00:00.000Z',
    newestDataAt: new Date('2026-01-01T11:59:30.000Z'),
    restorableWaitSeconds: 120,
  });
  expect(out.checks.map((c) => [c.id, c.category, c.status])).toEqual([
    ['objectives:rto', 'objectives', 'pass'],
    ['objectives:rpo', 'objectives', 'pass'],
  ]);
  expect(out.dataLossSeconds).toBe(150);
  expect(out.rto).toEqual({ targetSeconds: 1800, measuredSeconds: 600, met: true });
  expect(out.rpo).toEqual({ targetSeconds: 300, measuredSeconds: 150, met: true });
});

test('RTO missed, and data loss measured against production above target fails', () => {
  const out = objectiveChecks({
    ...base,
    restoreSeconds: 1801,
    targetTime: new Date('2026-01-01T12:00:00.000Z'),
    dataLoss: {
      seconds: 600,
      equal: 3,
      extraOnly: 0,
      behind: [{ table: 'public.orders', seconds: 600 }],
      unmeasured: [],
    },
  });
  expect(out.checks.map((c) => c.status)).toEqual(['fail', 'fail']);
  expect(out.dataLossSeconds).toBe(600);
  expect(out.dataLossBasis).toBe('production');
  expect(out.checks[1].summary).toContain('public.orders 600s');
  expect(out.rpo.met).toBe(false);
  expect(out.rto.met).toBe(false);
});

test('a quiet database: without production, old newest data is an upper bound, never a fail', () => {
  // Production's newest row is a day old and the copy is identical: nothing was lost.
  const out = objectiveChecks({
    ...base,
    restoreSeconds: 600,
    targetTime: '2026-01-02T12:00:00.000Z',
    newestDataAt: new Date('2026-01-01T12:00:00.000Z'),
    restorableWaitSeconds: 30,
  });
  const rpo = out.checks[1];
  expect(rpo.status).toBe('warn');
  expect(rpo.summary).toContain('at most 86430s');
  expect(rpo.summary).toContain('upper bound');
  expect(out.rpo).toEqual({ targetSeconds: 300, measuredSeconds: 86430, met: null });
  expect(out.dataLossBasis).toBe('copy-only');
});

test('a quiet database: against production, a copy equal at the restore point lost nothing', () => {
  const out = objectiveChecks({
    ...base,
    restoreSeconds: 600,
    targetTime: '2026-01-02T12:00:00.000Z',
    newestDataAt: new Date('2026-01-01T12:00:00.000Z'),
    dataLoss: { seconds: 0, equal: 4, extraOnly: 0, behind: [], unmeasured: [] },
    restorableWaitSeconds: 30,
  });
  expect(out.checks[1].status).toBe('pass');
  expect(out.checks[1].summary).toContain('equals production at the restore point');
  expect(out.rpo).toEqual({ targetSeconds: 300, measuredSeconds: 30, met: true });
  expect(out.dataLossSeconds).toBe(30);
});

test('tables whose loss has no date make a loss within target a warn, not a pass', () => {
  const out = objectiveChecks({
    ...base,
    restoreSeconds: 600,
    targetTime: '2026-01-02T12:00:00.000Z',
    dataLoss: {
      seconds: 0,
      equal: 2,
      extraOnly: 0,
      behind: [],
      unmeasured: [{ table: 'public.tags', reason: 'not compared with production' }],
    },
  });
  expect(out.checks[1].status).toBe('warn');
  expect(out.checks[1].summary).toContain('public.tags (not compared with production)');
  expect(out.rpo.met).toBeNull();
});

test('a measure with no table compared falls back to the copy-only upper bound', () => {
  const out = objectiveChecks({
    ...base,
    restoreSeconds: 600,
    targetTime: '2026-01-02T12:00:00.000Z',
    newestDataAt: new Date('2026-01-02T11:59:00.000Z'),
    dataLoss: {
      seconds: null,
      equal: 0,
      extraOnly: 0,
      behind: [],
      unmeasured: [{ table: 'public.t', reason: 'x' }],
    },
  });
  expect(out.checks[1].status).toBe('pass');
  expect(out.checks[1].summary).toContain('at most 60s (no table could be compared with production');
  expect(out.dataLossBasis).toBe('copy-only');
});

test('unknowns are not passes', () => {
  const out = objectiveChecks({ ...base, restoreSeconds: null, targetTime: '2026-01-01T12:00:00.000Z' });
  expect(out.checks.map((c) => c.status)).toEqual(['error', 'warn']);
  expect(out.rto.measuredSeconds).toBeNull();
  expect(out.rpo).toEqual({ targetSeconds: 300, measuredSeconds: null, met: null });
  expect(out.dataLossSeconds).toBeNull();
});

test('data newer than the restore point counts as no loss, plus the restorable wait', () => {
  const out = objectiveChecks({
    ...base,
    restoreSeconds: 10,
    targetTime: '2026-01-01T12:00:00.000Z',
    newestDataAt: new Date('2026-01-01T12:00:02.000Z'),
    restorableWaitSeconds: 42,
  });
  expect(out.dataLossSeconds).toBe(42);
});
