import {
  AURORA_POSTGRESQL_HOURLY_USD,
  PRICES_AS_OF,
  RDS_POSTGRESQL_HOURLY_USD,
  estimateDrillCost,
  instanceSeconds,
} from '../../../src/drill/cost.js';
import { buildReport, runContextFromEnv } from '../../../src/report/model.js';
import { renderEvidenceIndex } from '../../../src/report/render/evidence-index.js';
import { usd } from '../../../src/report/render/format.js';
import type { DrillOutcome } from '../../../src/model/types.js';
import { erroredOutcome, passingOutcome } from '../../fixtures/report/outcomes.js';

const withPhases = (minutes: number, extra: Partial<DrillOutcome> = {}): DrillOutcome => {
  const start = Date.parse('2026-03-01T03:00:00Z');
  const at = (m: number) => new Date(start + m * 60_000).toISOString();
  return {
    ...passingOutcome,
    startedAt: at(0),
    restore: {
      ...passingOutcome.restore,
      phases: [
        { name: 'restore-request', startedAt: at(0), endedAt: at(1), seconds: 60, copyExists: true },
        { name: 'cleanup', startedAt: at(1), endedAt: at(1 + minutes), seconds: minutes * 60 },
      ],
    },
    ...extra,
  };
};
const plan = { instanceClass: 'db.r6g.large', awsRegion: 'us-east-1' };

describe('estimateDrillCost', () => {
  test('instance time runs from the instance request to the end of cleanup, billed per second', () => {
    const cost = estimateDrillCost({ outcome: withPhases(60), plan })!;
    expect(instanceSeconds(withPhases(60))).toBe(3600);
    expect(cost.items[0]).toEqual({
      item: 'instance',
      detail: 'db.r6g.large at $0.26/h for 60 min (per-second billing)',
      usd: 0.26,
    });
    expect(cost.totalUsd).toBe(0.26);
    expect(cost.complete).toBe(false); // storage and I/O are unknown
    expect(cost.items.map((i) => i.item)).toEqual(['instance', 'storage', 'io']);
  });

  test('a short drill pays the 10-minute minimum', () => {
    const cost = estimateDrillCost({ outcome: withPhases(3), plan })!;
    expect(cost.items[0]!.detail).toMatch(/3 min \(billed the 10-minute minimum\)/);
    expect(cost.items[0]!.usd).toBeCloseTo(0.26 / 6, 4);
  });

  test("the source writer's class when the plan names none; an unknown class has no price", () => {
    const known = estimateDrillCost({ outcome: withPhases(30), plan: {}, instanceClass: 'db.r7g.large' })!;
    expect(known.items[0]!.usd).toBeCloseTo(AURORA_POSTGRESQL_HOURLY_USD['db.r7g.large']! / 2, 4);
    const unknown = estimateDrillCost({ outcome: withPhases(30), plan: { instanceClass: 'db.x9z.huge' } })!;
    expect(unknown.totalUsd).toBeNull();
    expect(unknown.items[0]!.detail).toMatch(/no price on record for this class/);
  });

  test('storage and cross-region transfer are priced when the size is known, and flagged when not', () => {
    const cross = { ...plan, targetRegion: 'us-west-2' };
    const sized = estimateDrillCost({ outcome: withPhases(73), plan: cross, storageGb: 100 })!;
    const storage = sized.items.find((i) => i.item === 'storage')!;
    expect(storage.usd).toBeCloseTo((100 * 0.1 * (73 / 60)) / 730, 4);
    expect(sized.items.find((i) => i.item === 'transfer')!.usd).toBe(2);
    expect(sized.notes).toContain('us-east-1 prices; us-west-2 list prices differ');
    const unsized = estimateDrillCost({ outcome: withPhases(73), plan: cross })!;
    expect(unsized.items.find((i) => i.item === 'transfer')).toMatchObject({ usd: null });
  });

  test('nothing created costs nothing; a kept copy says it keeps costing; local-pitr has no cost', () => {
    const none = estimateDrillCost({ outcome: erroredOutcome, plan })!;
    expect(none.items[0]).toMatchObject({ usd: 0, detail: 'no instance was created' });
    const kept = estimateDrillCost({
      outcome: withPhases(20, {
        cleanup: {
          status: 'kept',
          resources: [{ kind: 'instance', id: 'restore-proof-x-1', outcome: 'kept' }],
        },
      }),
      plan,
    })!;
    expect(kept.notes).toContain('the copy was kept: it costs until deleted');
    expect(
      estimateDrillCost({ outcome: { ...passingOutcome, provider: 'local-pitr' }, plan }),
    ).toBeUndefined();
  });

  test('an RDS for PostgreSQL instance is priced at single-AZ RDS rates, not Aurora rates', () => {
    const rds = (minutes: number, extra: Partial<DrillOutcome> = {}) =>
      withPhases(minutes, { provider: 'rds-instance', ...extra });
    const cost = estimateDrillCost({ outcome: rds(60), plan: { instanceClass: 'db.m6g.large' } })!;
    expect(cost.items[0]).toEqual({
      item: 'instance',
      detail: 'db.m6g.large at $0.159/h for 60 min (per-second billing)',
      usd: 0.159,
    });
    expect(cost.pricesAsOf).toBe(PRICES_AS_OF);
    expect(cost.items.map((i) => i.item)).toEqual(['instance', 'storage', 'io']);
    expect(cost.items[1]!.detail).toMatch(/^restored volume size unknown \(\$0\.115\/GB-month pro rata/);
    expect(cost.items[2]!.detail).toMatch(/no per-request I\/O charge on gp2\/gp3 storage/);

    // The same class costs less than on Aurora; each provider reads its own table.
    const aurora = estimateDrillCost({ outcome: withPhases(60), plan })!.items[0]!.usd!;
    const instance = estimateDrillCost({ outcome: rds(60), plan })!.items[0]!.usd!;
    expect(instance).toBe(RDS_POSTGRESQL_HOURLY_USD['db.r6g.large']);
    expect(instance).toBeLessThan(aurora);

    // RDS bills the same 10-minute minimum; storage at the gp2/gp3 rate when the size is known.
    const short = estimateDrillCost({ outcome: rds(3), plan, storageGb: 100 })!;
    expect(short.items[0]!.detail).toMatch(/billed the 10-minute minimum/);
    expect(short.items[1]!.usd).toBeCloseTo((100 * 0.115 * (10 / 60)) / 730, 4);
    expect(short.items[1]!.detail).toMatch(/at \$0\.115\/GB-month$/);
    const unknown = estimateDrillCost({ outcome: rds(30), plan: { instanceClass: 'db.x9z.huge' } })!;
    expect(unknown.totalUsd).toBeNull();
  });

  test('usd()', () => {
    expect([usd(null), usd(0), usd(0.004), usd(1.234)]).toEqual(['unknown', '$0.00', '<$0.01', '$1.23']);
  });
});

describe('the index: estimated cost by month', () => {
  const entry = (outcome: DrillOutcome, startedAt: string, file: string) => ({
    file,
    report: buildReport({
      outcome: { ...outcome, startedAt },
      run: runContextFromEnv({}, outcome.cadence),
      file,
      markdownFile: file.replace('.json', '.md'),
      previous: null,
      generatedAt: new Date(startedAt),
      toolVersion: 'test',
      secrets: [],
    }),
  });

  test('sums each calendar month, newest first, and counts reports without a price', () => {
    const a = { ...passingOutcome, cost: estimateDrillCost({ outcome: withPhases(60), plan }) };
    const page = renderEvidenceIndex(
      [
        entry(a, '2026-03-02T03:00:00.000Z', '2026-03-02T030000Z-weekly-x.json'),
        entry(a, '2026-03-09T03:00:00.000Z', '2026-03-09T030000Z-weekly-x.json'),
        entry({ ...a, cost: undefined }, '2026-03-16T03:00:00.000Z', '2026-03-16T030000Z-weekly-x.json'),
        entry(a, '2026-04-06T03:00:00.000Z', '2026-04-06T030000Z-weekly-x.json'),
      ],
      new Date('2026-04-07T00:00:00Z'),
    );
    expect(page).toContain('| 2026-04 | 1 | $0.26 | storage/I-O of 1 drill |');
    expect(page).toContain('| 2026-03 | 3 | $0.52 | 1 drill without a price; storage/I-O of 2 drills |');
    expect(page.indexOf('| 2026-04 |')).toBeLessThan(page.indexOf('| 2026-03 |'));
  });

  test('an RDS instance drill without a price counts as unpriced, a local-pitr drill does not', () => {
    const a = { ...passingOutcome, cost: estimateDrillCost({ outcome: withPhases(60), plan }) };
    const page = renderEvidenceIndex(
      [
        entry(a, '2026-04-06T03:00:00.000Z', '2026-04-06T030000Z-weekly-x.json'),
        entry(
          { ...a, provider: 'rds-instance', cost: undefined },
          '2026-04-13T03:00:00.000Z',
          '2026-04-13T030000Z-weekly-x.json',
        ),
        entry(
          { ...a, provider: 'local-pitr', cost: undefined },
          '2026-04-20T03:00:00.000Z',
          '2026-04-20T030000Z-weekly-x.json',
        ),
      ],
      new Date('2026-04-21T00:00:00Z'),
    );
    expect(page).toContain('| 2026-04 | 3 | $0.26 | 1 drill without a price; storage/I-O of 1 drill |');
  });
});
