import type { PhaseTiming } from './types.js';

/** Wall-clock source, injectable so tests and the drill agree on time. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

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

  mark(name: string): PhaseTiming {
    const now = this.clock.now();
    const phase: PhaseTiming = {
      name,
      startedAt: this.last.toISOString(),
      endedAt: now.toISOString(),
      seconds: round((now.getTime() - this.last.getTime()) / 1000),
    };
    this.phases.push(phase);
    this.last = now;
    return phase;
  }

  /** Seconds from the start of the timeline to the end of the named phase, or null when it never ended. */
  secondsUntil(name: string): number | null {
    const phase = this.phases.find((p) => p.name === name);
    if (!phase) return null;
    return round((Date.parse(phase.endedAt) - this.startedAt.getTime()) / 1000);
  }
}

export const round = (seconds: number): number => Math.round(seconds * 1000) / 1000;
