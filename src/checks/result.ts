/** Building CheckResults: one line, names/counts/hashes only, always a duration. */
import type { CheckCategory, CheckResult, CheckStatus, CheckValue } from '../model/types.js';

export function result(
  id: string,
  category: CheckCategory,
  status: CheckStatus,
  summary: string,
  durationMs: number,
  values: { measured?: CheckValue; expected?: CheckValue } = {},
): CheckResult {
  const out: CheckResult = {
    id,
    category,
    status,
    summary: oneLine(summary),
    durationMs: Math.max(0, Math.round(durationMs)),
  };
  if (values.measured !== undefined) out.measured = values.measured;
  if (values.expected !== undefined) out.expected = values.expected;
  return out;
}

export function oneLine(text: string, max = 400): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** "a, b, c and 4 more" */
export function listSome(items: readonly string[], max = 5): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/** A bigint as a report value: a number when exact, else its decimal string. */
export function countValue(n: bigint): number | string {
  return n <= BigInt(Number.MAX_SAFE_INTEGER) && n >= -BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(n)
    : n.toString();
}

export const elapsed = (started: number): number => Date.now() - started;
