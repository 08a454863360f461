/** What to restore to: restore-type, with restore-time (point-in-time) or snapshot-id (snapshot). */
import { parseArnOf } from '../aws/arn.js';
import type { RestoreType } from '../model/types.js';
import { InputError } from './input-error.js';
import type { RestorePoint } from './plan-types.js';
import type { InputReader } from './raw-inputs.js';
import { parseRestoreTime } from './values.js';

const SNAPSHOT_ID = /^[A-Za-z][A-Za-z0-9:-]{0,254}$/;

/** A DB cluster snapshot or DB snapshot, by identifier or ARN. */
function snapshotId(value: string): string {
  const arn = value.startsWith('arn:')
    ? parseArnOf(value, 'rds', ['cluster-snapshot', 'snapshot'])
    : undefined;
  const valid = value.startsWith('arn:')
    ? arn !== undefined && /^\d{12}$/.test(arn.account) && SNAPSHOT_ID.test(arn.id)
    : SNAPSHOT_ID.test(value);
  if (!valid) {
    throw new InputError(
      'snapshot-id',
      'accepts a DB cluster snapshot (or, with source-instance, DB snapshot) identifier or ARN',
      value,
    );
  }
  return value;
}

export function planRestorePoint(inputs: InputReader, type: RestoreType): RestorePoint {
  const restoreTime = inputs.get('restore-time');
  if (type === 'point-in-time') {
    if (restoreTime === undefined) {
      throw new InputError(
        'restore-time',
        "is required with restore-type point-in-time: an ISO-8601 UTC instant or 'random'",
      );
    }
    return { type, time: parseRestoreTime(restoreTime) };
  }
  if (restoreTime !== undefined) {
    throw new InputError(
      'restore-time',
      `goes only with restore-type point-in-time (restore-type is ${type})`,
      restoreTime,
    );
  }
  const id = inputs.get('snapshot-id');
  if (type === 'snapshot') return id === undefined ? { type } : { type, snapshotId: snapshotId(id) };
  if (id !== undefined) {
    throw new InputError('snapshot-id', `goes only with restore-type snapshot (restore-type is ${type})`, id);
  }
  return { type };
}
