import type { CheckStatus, CheckValue } from '../../model/types.js';

/** A report's result in a table cell: pass, **FAIL**, or cancelled (neither a pass nor a failure). */
export function resultCell(result: 'pass' | 'fail' | 'cancelled'): string {
  return result === 'pass' ? 'pass' : result === 'cancelled' ? '**cancelled**' : '**FAIL**';
}

/** Human durations: 4.2 s, 3 min 05 s, 1 h 02 min. */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  if (seconds < 60) return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return m === 0 ? `${h} h` : `${h} h ${String(m).padStart(2, '0')} min`;
  return s === 0 ? `${m} min` : `${m} min ${String(s).padStart(2, '0')} s`;
}

/** 2026-01-31 03:15:00 UTC (seconds kept; a drill's phases can be seconds apart). */
export function utc(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function utcDate(iso: string | null | undefined): string {
  return iso ? utc(iso).slice(0, 10) : '—';
}

/** Inline code that survives backticks inside the text. */
export function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** Text safe inside a Markdown table cell: one line, pipes escaped, no raw HTML. */
export function cell(text: string): string {
  return text
    .replace(/\r?\n/g, ' ')
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

export function value(v: CheckValue | undefined): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number') return v.toLocaleString('en-US', { maximumFractionDigits: 3 });
  return cell(String(v));
}

const STATUS_LABEL: Record<CheckStatus, string> = {
  fail: '**FAIL**',
  error: '**ERROR**',
  warn: 'WARN',
  pass: 'pass',
  skip: 'skip',
};
export const statusLabel = (status: CheckStatus): string => STATUS_LABEL[status];

/** Failures first, then errors, warnings, passes, skips. */
export const STATUS_ORDER: CheckStatus[] = ['fail', 'error', 'warn', 'pass', 'skip'];

export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

export const yesNo = (met: boolean | null): string =>
  met === null ? 'not measured' : met ? 'yes' : '**NO**';

/** A cost as text: `$1.23`, `<$0.01`, or `unknown`. */
export function usd(value: number | null | undefined): string {
  if (value === null || value === undefined) return 'unknown';
  if (value > 0 && value < 0.01) return '<$0.01';
  return `$${value.toFixed(2)}`;
}
