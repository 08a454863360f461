/**
 * The WAL archive that archive_command fills with uncompressed segments: segment names, the contiguous tail
 * of one timeline, the last commit in it (pg_waldump), and the restorable window it gives the base backups.
 */
import { execFile } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findPgBindir, findPgBindirFor } from '../../db/local-server.js';
import type { Logger } from '../../log/logger.js';
import { InputError } from '../../inputs/input-error.js';
import { pollUntil, TimeoutError, type Sleep } from '../../time/poll.js';
import type { RestoreTestPlan as Plan } from '../../inputs/plan-types.js';
import { parsePgTimestamp, type BaseBackup } from './backups.js';

const execFileAsync = promisify(execFile);

const SEGMENT = /^[0-9A-F]{24}$/;

/** What the archive holds: segments of one timeline, contiguous up to the newest, and the last commit. */
export interface ArchiveWindow {
  segmentBytes: number;
  /** Contiguous run of segment names ending at the newest segment of the timeline. */
  run: string[];
  lastCommitAt?: Date;
  /** The segment missing just before the contiguous run, when older segments exist before the gap. */
  missing?: string;
}

/** The restorable window over the base backups the archive continues, and those backups. */
export interface RestorableWindow {
  earliest?: Date;
  latest?: Date;
  usable: BaseBackup[];
  /** The segment missing just before the archive's contiguous run (a gap), if any. */
  missing?: string;
}

/** The time of the last COMMIT record in pg_waldump output (run with TZ=UTC). */
export function lastCommitTime(waldump: string): Date | undefined {
  let last: Date | undefined;
  const re = /desc: COMMIT(?:_PREPARED)?\b[^;\n]*?(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)? UTC)/g;
  for (const m of waldump.matchAll(re)) {
    const t = parsePgTimestamp(m[1]!);
    if (t && (!last || t > last)) last = t;
  }
  return last;
}

/** The segment after `name` for segments of `segmentBytes`. */
export function nextSegment(name: string, segmentBytes: number): string {
  const perLog = 0x100000000 / segmentBytes;
  const tli = name.slice(0, 8);
  let log = parseInt(name.slice(8, 16), 16);
  let seg = parseInt(name.slice(16, 24), 16) + 1;
  if (seg >= perLog) {
    seg = 0;
    log += 1;
  }
  const hex = (n: number): string => n.toString(16).toUpperCase().padStart(8, '0');
  return `${tli}${hex(log)}${hex(seg)}`;
}

/** The longest contiguous run of segments (sorted names of one timeline) that ends at the newest. */
export function contiguousTail(segments: string[], segmentBytes: number): string[] {
  if (segments.length === 0) return [];
  const sorted = [...segments].sort();
  let start = sorted.length - 1;
  while (start > 0 && nextSegment(sorted[start - 1]!, segmentBytes) === sorted[start]) start--;
  return sorted.slice(start);
}

/** The segment whose absence breaks the archive: the one after the newest segment before the contiguous tail. */
export function missingSegment(segments: string[], segmentBytes: number): string | undefined {
  const sorted = [...segments].sort();
  const tail = contiguousTail(sorted, segmentBytes);
  const beforeGap = sorted[sorted.length - tail.length - 1];
  return beforeGap === undefined ? undefined : nextSegment(beforeGap, segmentBytes);
}

/** The PostgreSQL binaries for a backup's PG_VERSION (any installed ones when it is unknown). */
export function bindirFor(pgVersion: string): string {
  return pgVersion ? findPgBindirFor(pgVersion) : findPgBindir();
}

/** Runs pg_waldump as this user (it only reads) and returns stdout even when it ends with an error. */
async function waldump(args: string[], bindir: string): Promise<string> {
  try {
    const { stdout } = await execFileAsync(join(bindir, 'pg_waldump'), args, {
      env: { ...process.env, TZ: 'UTC' },
      maxBuffer: 256 * 1024 * 1024,
      timeout: 120_000,
    });
    return stdout;
  } catch (error) {
    const e = error as { stdout?: string };
    return e.stdout ?? '';
  }
}

/** The archive's contiguous tail on a timeline, and the time of its last commit. */
export async function readArchive(
  archiveDir: string,
  timeline: number,
  bindir: string,
): Promise<ArchiveWindow> {
  const tli = timeline.toString(16).toUpperCase().padStart(8, '0');
  const segments = (await readdir(archiveDir)).filter((n) => SEGMENT.test(n) && n.startsWith(tli));
  if (segments.length === 0) return { segmentBytes: 16 * 1024 * 1024, run: [] };
  const segmentBytes = (await stat(join(archiveDir, segments[0]!))).size;
  if (segmentBytes < 1024 * 1024 || (segmentBytes & (segmentBytes - 1)) !== 0) {
    throw new InputError(
      'wal-archive-dir',
      `holds WAL segments of ${segmentBytes} bytes: restore-proof reads uncompressed segments (archive_command cp)`,
      archiveDir,
    );
  }
  const run = contiguousTail(segments, segmentBytes);
  let lastCommitAt: Date | undefined;
  for (let i = run.length - 1; i >= 0 && !lastCommitAt; i--) {
    lastCommitAt = lastCommitTime(await waldump(['-r', 'Transaction', join(archiveDir, run[i]!)], bindir));
  }
  const missing = missingSegment(segments, segmentBytes);
  return { segmentBytes, run, lastCommitAt, ...(missing ? { missing } : {}) };
}

/**
 * The restorable window: from the oldest base backup the archive continues (its consistency point) to the
 * last commit in the archive. Backups (oldest first) off the newest one's timeline, or starting before the
 * archive's contiguous tail, are not usable.
 */
export async function restorableWindow(plan: Plan, backups: BaseBackup[]): Promise<RestorableWindow> {
  const newest = backups[backups.length - 1]!;
  const archive = await readArchive(plan.walArchiveDir!, newest.timeline, bindirFor(newest.pgVersion));
  const first = archive.run[0];
  const usable = backups.filter(
    (b) => b.timeline === newest.timeline && first !== undefined && b.startSegment >= first,
  );
  return {
    earliest: usable[0]?.consistentAt,
    latest: archive.lastCommitAt,
    usable,
    ...(archive.missing ? { missing: archive.missing } : {}),
  };
}

export interface ArchiveWait {
  /** The newest base backup: its timeline is the one the archive is read on. */
  backup: BaseBackup;
  archiveDir: string;
  until: Date;
  signal: AbortSignal;
  sleep: Sleep;
  now: () => Date;
  logger: Logger;
}

/** Waits until the archive holds a commit at or after `pinned`; false when `until` passes first. */
export async function waitForCommitPast(pinned: Date, wait: ArchiveWait): Promise<boolean> {
  const bindir = bindirFor(wait.backup.pgVersion);
  return pollUntil(
    async () => {
      const archive = await readArchive(wait.archiveDir, wait.backup.timeline, bindir);
      const last = archive.lastCommitAt;
      return {
        done: last && last >= pinned ? true : undefined,
        status: `last archived commit ${last?.toISOString() ?? 'none'} (the source's archive_timeout sets the pace)`,
      };
    },
    {
      what: `WAL archive past ${pinned.toISOString()}`,
      deadline: wait.until,
      signal: wait.signal,
      sleep: wait.sleep,
      backoff: { initialMs: 1000, maxMs: 10_000, factor: 1.5, jitter: 0.1 },
      now: wait.now,
      onProgress: (line) => wait.logger.info(line),
    },
  ).catch((error: Error) => {
    if (error instanceof TimeoutError) return false;
    throw error;
  });
}
