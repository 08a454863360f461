/**
 * Waiting in tests without falling through: waitFor() resolves once its condition holds and throws, naming
 * what it waited for, when it never does (or when the process it watches exits first), so a test that
 * depends on the wait fails there instead of going on as if it had happened. interruptWhenRecorded() signals
 * the built action's main step the way the runner does, once it has recorded what it created.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseFileCommands, type StepOptions } from './runner.js';

export interface WaitOptions {
  /** How long to wait before failing; default 20 s. */
  timeoutMs?: number;
  /** Between checks; default 25 ms. */
  intervalMs?: number;
  /** Stop waiting (and fail) once this process has exited. */
  child?: ChildProcess;
}

export async function waitFor(
  what: string,
  ok: () => boolean | Promise<boolean>,
  { timeoutMs = 20_000, intervalMs = 25, child }: WaitOptions = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await ok()) return;
    if (child && (child.exitCode !== null || child.signalCode !== null)) {
      throw new Error(`never saw ${what}: the process exited first (${child.exitCode ?? child.signalCode})`);
    }
    if (Date.now() >= deadline) throw new Error(`never saw ${what} within ${timeoutMs / 1000}s`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Resolves once main has saved state recording a created resource of `kind` (cluster, instance, ...). */
export function whenRecorded(stateFile: string, kind: string, options: WaitOptions = {}): Promise<void> {
  return waitFor(
    `main recording its ${kind} in its saved state`,
    () => parseFileCommands(readFileSync(stateFile, 'utf8')).resources?.includes(`"${kind}"`) ?? false,
    options,
  );
}

/** The runner's cancel: SIGINT, then SIGTERM after 7.5 s and SIGKILL after 10 s if main is still running. */
export function cancelLikeTheRunner(child: ChildProcess): void {
  child.kill('SIGINT');
  const term = setTimeout(() => child.kill('SIGTERM'), 7_500);
  const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
  child.on('exit', () => [term, kill].forEach(clearTimeout));
}

export interface Interruption {
  /** Pass to runStep. */
  onSpawn: NonNullable<StepOptions['onSpawn']>;
  /**
   * Resolves with when the signal was sent; rejects, naming what it waited for, when main never recorded a
   * resource of that kind (main is then killed so the step ends). Await it after the step.
   */
  signalled: Promise<number>;
}

/** Cancels main as the runner does (`cancel`) or SIGKILLs it outright (`kill`) once it has recorded `kind`. */
export function interruptWhenRecorded(kind: string, how: 'cancel' | 'kill'): Interruption {
  let settle: { resolve(at: number): void; reject(e: unknown): void } | undefined;
  const signalled = new Promise<number>((resolve, reject) => (settle = { resolve, reject }));
  signalled.catch(() => undefined); // the test awaits it; this only keeps an early rejection from going unhandled
  return {
    signalled,
    onSpawn: (child, files) => {
      whenRecorded(files.state, kind, { child }).then(
        () => {
          const at = Date.now();
          if (how === 'kill') child.kill('SIGKILL');
          else cancelLikeTheRunner(child);
          settle!.resolve(at);
        },
        (e: unknown) => {
          child.kill('SIGKILL');
          settle!.reject(e);
        },
      );
    },
  };
}
