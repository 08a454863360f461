/**
 * report-dir, checked while planning: created and probed for writing before anything is paid for, so a bad
 * one exits 2 before any AWS call. Kernel file systems (/proc, /sys, /dev) are refused without touching them:
 * a write there can block.
 */
import { existsSync, mkdirSync, realpathSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { InputError } from './input-error.js';

const KERNEL = /^\/(proc|sys|dev)(\/|$)/;

/** The nearest existing ancestor of `path`, with its symbolic links resolved. */
function existingAncestor(path: string): string {
  let dir = resolve(path);
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  return realpathSync(dir);
}

/** Creates report-dir and writes and removes a probe file in it; an InputError says why it cannot be used. */
export function probeReportDir(dir: string, pid = process.pid): void {
  const refuse = (why: string): never => {
    throw new InputError(
      'report-dir',
      `accepts a directory restore-proof can create and write to (${why})`,
      dir,
    );
  };
  if (KERNEL.test(resolve(dir)) || KERNEL.test(existingAncestor(dir))) refuse('not a kernel file system');
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    refuse(`cannot create it: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const probe = join(dir, `.restore-proof-probe-${pid}`);
  try {
    writeFileSync(probe, '', { flag: 'wx' });
    unlinkSync(probe);
  } catch (error) {
    refuse(`cannot write in it: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}
