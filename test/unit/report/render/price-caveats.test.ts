import { priceCaveats } from '../../../../src/report/render/price-caveats.js';

test('the price table warns when over a year old and labels us-east-1 rates outside us-east-1', () => {
  expect(priceCaveats('2025-06', '2026-01-31T03:00:00Z', 'us-east-1')).toEqual([]);
  expect(priceCaveats('2024-06', '2026-01-31T03:00:00Z', 'us-east-1')[0]).toContain(
    'the price table is dated 2024-06, more than a year before this report',
  );
  expect(priceCaveats('2025-06', '2026-01-31T03:00:00Z', 'eu-west-1')).toEqual([
    "> The drill ran in `eu-west-1`; the prices are us-east-1 rates, not `eu-west-1`'s.",
  ]);
});
