/**
 * CPU time used by a local PostgreSQL server, read from /proc (Linux), so a bench on a shared machine can
 * report work done rather than only wall time, which other processes stretch.
 *
 * serverCpuSeconds: the postmaster's own time, plus the time of every child it has reaped (backends and
 * parallel workers that have exited: cutime + cstime), plus the time of its live children. The sum only
 * grows, and the difference between two readings is the CPU the server used in between, whichever
 * processes did the work. backendCpuNs: one backend's time on CPU, in nanoseconds (/proc/PID/schedstat).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const TICKS_PER_SECOND = 100; // USER_HZ, the unit of /proc/PID/stat times on Linux

interface ProcStat {
  ppid: number;
  /** utime + stime, in ticks. */
  own: number;
  /** cutime + cstime, in ticks: children reaped. */
  children: number;
}

function procStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // gone between the listing and the read
  }
  // Fields after the command name (which may hold spaces and parentheses): state is field 3.
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const n = (field: number): number => Number(f[field - 3]);
  return { ppid: n(4), own: n(14) + n(15), children: n(16) + n(17) };
}

/** The postmaster's pid, from the first line of postmaster.pid in the data directory. */
export function postmasterPid(dataDir: string): number {
  return Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
}

/** CPU seconds the server has used so far (see above); undefined where /proc cannot be read. */
export function serverCpuSeconds(postmaster: number): number | undefined {
  const root = procStat(postmaster);
  if (!root) return undefined;
  let ticks = root.own + root.children;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const s = procStat(Number(entry));
    if (s && s.ppid === postmaster) ticks += s.own;
  }
  return ticks / TICKS_PER_SECOND;
}

/** Nanoseconds one process has spent on a CPU. */
export function backendCpuNs(pid: number): number {
  return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]);
}
