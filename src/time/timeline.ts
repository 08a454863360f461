import type { PhaseCount, PhaseTiming } from '../model/types.js';

/** Wall-clock source, injectable so tests and the drill agree on time. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

/**
 * What a phase means to the drill's figures, said by whoever marks it: whether its time counts toward the
 * recovery time or toward the wait until the restore point was restorable, and whether the billable copy
 * exists from its end on. A phase that says nothing is drill overhead (resolving, validating, cleaning up).
 */
export interface PhaseMeaning {
  counts?: PhaseCount;
  /** The copy (a billable cluster or instance) exists from the end of this phase. */
  copyExists?: boolean;
}

/**
 * Phases as consecutive milestones: each mark closes the phase that began at the previous mark,
 * so the phases tile the drill with no gaps and their seconds add up to the whole.
 */
export class Timeline {
  readonly phases: PhaseTiming[] = [];
  private last: Date;

  constructor(
    private readonly clock: Clock = systemClock,
    readonly startedAt: Date = clock.now(),
  ) {
    this.last = startedAt;
  }

  mark(name: string, meaning: PhaseMeaning = {}): PhaseTiming {
    const now = this.clock.now();
    const phase: PhaseTiming = {
      name,
      startedAt: this.last.toISOString(),
      endedAt: now.toISOString(),
      seconds: round((now.getTime() - this.last.getTime()) / 1000),
      ...(meaning.counts ? { counts: meaning.counts } : {}),
      ...(meaning.copyExists ? { copyExists: true } : {}),
    };
    this.phases.push(phase);
    this.last = now;
    return phase;
  }

  /** Seconds of every phase that counts toward `kind`. */
  secondsCounted(kind: PhaseCount): number {
    return countedSeconds(this.phases, kind);
  }

  /** Seconds from the start of the timeline to the end of the named phase, or null when it never ended. */
  secondsUntil(name: string): number | null {
    const phase = this.phases.find((p) => p.name === name);
    if (!phase) return null;
    return round((Date.parse(phase.endedAt) - this.startedAt.getTime()) / 1000);
  }
}

/** Seconds of the phases that count toward `kind`. */
export const countedSeconds = (phases: readonly PhaseTiming[], kind: PhaseCount): number =>
  round(phases.filter((p) => p.counts === kind).reduce((sum, p) => sum + p.seconds, 0));

export const round = (seconds: number): number => Math.round(seconds * 1000) / 1000;
