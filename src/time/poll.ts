/** Waiting without fixed sleeps: exponential backoff with jitter, a hard deadline, and cancellation. */

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const sleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortError(signal!));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error(String(reason ?? 'aborted'));
}

export interface Backoff {
  initialMs: number;
  maxMs: number;
  factor: number;
  /** Fraction of each delay drawn at random (0 = none), so parallel drills do not poll in step. */
  jitter: number;
}

export const DEFAULT_BACKOFF: Backoff = { initialMs: 2_000, maxMs: 30_000, factor: 1.5, jitter: 0.2 };

/** The n-th delay (0-based) of a backoff, with `random` in [0, 1). */
export function backoffDelay(b: Backoff, attempt: number, random: number = Math.random()): number {
  const base = Math.min(b.maxMs, b.initialMs * b.factor ** attempt);
  return Math.round(base * (1 - b.jitter + 2 * b.jitter * random));
}

export class TimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TimeoutError';
  }
}

export interface PollOptions {
  /** What is being waited for, for progress lines and errors. */
  what: string;
  deadline: Date;
  signal: AbortSignal;
  backoff?: Backoff;
  sleep?: Sleep;
  now?: () => Date;
  onProgress?: (line: string) => void;
}

/**
 * Calls `check` until it returns a value (not undefined), throwing TimeoutError at the deadline.
 * `check` returns a status string as `progress` to show; it throws to stop waiting with an error.
 */
export async function pollUntil<T>(
  check: () => Promise<{ done: T | undefined; status: string }>,
  options: PollOptions,
): Promise<T> {
  const now = options.now ?? (() => new Date());
  const nap = options.sleep ?? sleep;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const started = now().getTime();
  for (let attempt = 0; ; attempt++) {
    if (options.signal.aborted) throw abortError(options.signal);
    const { done, status } = await check();
    const elapsed = Math.round((now().getTime() - started) / 1000);
    options.onProgress?.(`${options.what}: ${status} (${elapsed}s)`);
    if (done !== undefined) return done;
    const remaining = options.deadline.getTime() - now().getTime();
    if (remaining <= 0) {
      throw new TimeoutError(
        `timed out waiting for ${options.what} (last status ${status}, after ${elapsed}s)`,
      );
    }
    await nap(Math.min(backoffDelay(backoff, attempt), remaining), options.signal);
  }
}
