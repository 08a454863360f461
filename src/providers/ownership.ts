/**
 * What marks a resource as the drill's own: the restore-proof-<run> name and the restore-proof:* tags.
 * Delete and modify paths call assertOwned right before the call and refuse anything that lacks either.
 */
import { randomBytes } from 'node:crypto';

export const NAME_PREFIX = 'restore-proof-';
export const TAG_RUN = 'restore-proof:run';
export const TAG_EXPIRES = 'restore-proof:expires-at';
export const TAG_SOURCE = 'restore-proof:source';
export const TAG_CADENCE = 'restore-proof:cadence';

/** Minutes added to the drill's timeout before its resources count as expired (the post step and cleanup). */
export const EXPIRY_MARGIN_MINUTES = 30;

const RUN_ID = /^[a-z0-9]{8,12}-[a-f0-9]{6}$/;
const OWNED_NAME = /^restore-proof-[a-z0-9]{8,12}-[a-f0-9]{6}(-[a-z0-9]{1,8})?$/;

/** A run id: a UTC day-hour stamp (sorts by time) and random hex; short enough for 63-character identifiers. */
export function newRunId(now: Date, random: Buffer = randomBytes(3)): string {
  const stamp = now.toISOString().replace(/[-:T]/g, '').slice(2, 12); // yymmddhhmm
  return `${stamp}-${random.toString('hex').slice(0, 6)}`;
}

export const isRunId = (value: string): boolean => RUN_ID.test(value);

export function clusterName(runId: string): string {
  return `${NAME_PREFIX}${runId}`;
}

export function instanceName(runId: string, n = 1): string {
  return `${NAME_PREFIX}${runId}-${n}`;
}

export const hasOwnedName = (id: string): boolean => OWNED_NAME.test(id);

export function expiresAt(start: Date, timeoutMinutes: number): Date {
  return new Date(start.getTime() + (timeoutMinutes + EXPIRY_MARGIN_MINUTES) * 60_000);
}

export interface Tag {
  Key?: string;
  Value?: string;
}

export function drillTags(runId: string, source: string, expires: Date, cadence: string): Tag[] {
  return [
    { Key: TAG_RUN, Value: runId },
    { Key: TAG_EXPIRES, Value: expires.toISOString() },
    { Key: TAG_SOURCE, Value: source },
    { Key: TAG_CADENCE, Value: cadence },
  ];
}

export const tagValue = (tags: Tag[] | undefined, key: string): string | undefined =>
  tags?.find((t) => t.Key === key)?.Value;

export class OwnershipError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OwnershipError';
  }
}

/**
 * Throws unless `id` carries the restore-proof name and `tags` the restore-proof:run tag (equal to `runId`
 * when given). Called right before every delete and modify.
 */
export function assertOwned(kind: string, id: string, tags: Tag[] | undefined, runId?: string): void {
  if (!hasOwnedName(id)) {
    throw new OwnershipError(
      `refusing to touch ${kind} '${id}': its name lacks the ${NAME_PREFIX}<run> pattern`,
    );
  }
  const run = tagValue(tags, TAG_RUN);
  if (!run) throw new OwnershipError(`refusing to touch ${kind} '${id}': it lacks the ${TAG_RUN} tag`);
  if (runId !== undefined && run !== runId) {
    throw new OwnershipError(`refusing to touch ${kind} '${id}': it belongs to run ${run}, not ${runId}`);
  }
  if (!id.startsWith(`${NAME_PREFIX}${run}`)) {
    throw new OwnershipError(`refusing to touch ${kind} '${id}': its name does not match its ${TAG_RUN} tag`);
  }
}
