import { PRICING_REGION } from '../model.js';
import { code } from './format.js';

const YEAR_MS = 365 * 24 * 60 * 60 * 1000;

/** Warnings on the price table: older than a year, or a region other than the one it prices. */
export function priceCaveats(pricesAsOf: string, generatedAt: string, region: string | null): string[] {
  const out: string[] = [];
  const asOf = Date.parse(pricesAsOf);
  if (Number.isFinite(asOf) && Date.parse(generatedAt) - asOf > YEAR_MS)
    out.push(
      `> **Warning:** the price table is dated ${pricesAsOf}, more than a year before this report; prices may have changed.`,
    );
  if (region && region !== PRICING_REGION)
    out.push(
      `> The drill ran in ${code(region)}; the prices are ${PRICING_REGION} rates, not ${code(region)}'s.`,
    );
  return out;
}
