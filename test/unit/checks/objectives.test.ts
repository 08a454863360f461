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

test('RTO and RPO missed', () => {
  const out = objectiveChecks({
    ...base,
    restoreSeconds: 1801,
    targetTime: new Date('2026-01-01T12:00:00.000Z'),
    newestDataAt: new Date('2026-01-01T11:50:00.000Z'),
  });
  expect(out.checks.map((c) => c.status)).toEqual(['fail', 'fail']);
  expect(out.dataLossSeconds).toBe(600);
  expect(out.rpo.met).toBe(false);
  expect(out.rto.met).toBe(false);
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
