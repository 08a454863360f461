/**
 * access:copy-closed: right after the copy's roles were read for the access comparison, every other role
 * loses LOGIN on the copy and their sessions there end (db/copy-closure.ts), so no production credential
 * opens a session on the full copy of the patient data while the drill runs. A role that could not be
 * closed, or a copy that could not be closed at all, is a warning naming why.
 */
import { connect } from '../db/connect.js';
import { closeCopy, describeClosure } from '../db/copy-closure.js';
import { safeError } from '../db/session.js';
import type { CheckResult, ConnectionSettings } from '../model/types.js';
import { elapsed, result } from './result.js';

export async function copyClosureCheck(copy: ConnectionSettings): Promise<CheckResult> {
  const started = Date.now();
  try {
    const client = await connect(copy);
    try {
      const closure = await closeCopy(client);
      const status = closure.kept.length > 0 ? 'warn' : 'pass';
      return result('access:copy-closed', 'access', status, describeClosure(closure), elapsed(started), {
        measured: closure.closed.length,
      });
    } finally {
      await client.end().catch(() => undefined);
    }
  } catch (error) {
    return result(
      'access:copy-closed',
      'access',
      'warn',
      `the copy could not be closed to other roles, so production credentials may open it: ${safeError(error)}`,
      elapsed(started),
    );
  }
}
