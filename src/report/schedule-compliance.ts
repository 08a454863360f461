/**
 * Schedule compliance over a window (a calendar year): each due date of a test type, and whether evidence
 * came on time, late or not at all. Due dates follow src/report/cadence.ts: the first is one period after
 * the last evidence before the window (or after the window's start), each next one a period after the
 * evidence that met the last, or after the missed due date itself.
 *
 * - on time: evidence by the due date plus the cadence's grace;
 * - late: evidence after that, but before the next period's grace ran out (and within the window);
 * - missed: no evidence by then;
 * - overdue: grace has passed, the late window has not (still may come in late);
 * - open: not yet due, or due within its grace.
 */
import { cadencePeriod, nextDue, validUntil } from './cadence.js';
import type { ScheduledRun } from './schedule-status.js';

export type SlotOutcome = 'on-time' | 'late' | 'missed' | 'overdue' | 'open';

export interface DueSlot {
  due: string;
  /** Due plus grace: evidence after it is late. */
  deadline: string;
  outcome: SlotOutcome;
  /** The evidence that met it (on time or late), or null. */
  run: ScheduledRun | null;
}

export interface ComplianceCounts {
  onTime: number;
  late: number;
  missed: number;
  overdue: number;
  open: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_SLOTS = 1000;

/**
 * The due dates falling in [from, to) and how each was met. `evidence` holds only runs that evidence the
 * row (any time: earlier runs set the first due date, later ones can meet a December due date).
 */
export function dueSlots(
  cadence: string,
  evidence: ScheduledRun[],
  window: { from: Date; to: Date },
  now: Date,
): DueSlot[] {
  const period = cadencePeriod(cadence);
  if (period.name === null) return [];
  const at = (run: ScheduledRun) => Date.parse(run.startedAt);
  const runs = [...evidence].filter((r) => at(r) <= now.getTime()).sort((a, b) => at(a) - at(b));
  const before = runs.filter((r) => at(r) <= window.from.getTime()).at(-1);
  let anchor = before ? new Date(at(before)) : window.from;
  const slots: DueSlot[] = [];
  while (slots.length < MAX_SLOTS) {
    const due = nextDue(cadence, anchor);
    if (due >= window.to) break;
    const deadline = new Date(due.getTime() + period.graceDays * DAY_MS);
    const lateEnd = new Date(
      Math.max(deadline.getTime(), Math.min(validUntil(cadence, due).getTime(), window.to.getTime())),
    );
    const next = runs.find((r) => at(r) > anchor.getTime()) ?? null;
    const slot = (outcome: SlotOutcome, run: ScheduledRun | null): DueSlot => ({
      due: due.toISOString(),
      deadline: deadline.toISOString(),
      outcome,
      run,
    });
    if (next && at(next) <= deadline.getTime()) {
      slots.push(slot('on-time', next));
      anchor = new Date(at(next));
    } else if (next && at(next) <= lateEnd.getTime()) {
      slots.push(slot('late', next));
      anchor = new Date(at(next));
    } else if (now <= deadline) {
      slots.push(slot('open', null));
      break;
    } else if (now <= lateEnd) {
      slots.push(slot('overdue', null));
      break;
    } else {
      slots.push(slot('missed', null));
      anchor = due;
    }
  }
  return slots;
}

export function countSlots(slots: DueSlot[]): ComplianceCounts {
  const count = (outcome: SlotOutcome) => slots.filter((s) => s.outcome === outcome).length;
  return {
    onTime: count('on-time'),
    late: count('late'),
    missed: count('missed'),
    overdue: count('overdue'),
    open: count('open'),
  };
}
