/**
 * The copy's parameter groups. restore-parameter-group (and, for Aurora, restore-instance-parameter-group)
 * replace the source's: they are checked while resolving, before anything is created, to exist in the
 * region the copy is restored in and to be of the family the copy restores as (a cluster restored as
 * engine version 15.4 takes a group of family aurora-postgresql15). And what a set of groups preloads
 * (shared_preload_libraries), which says whether a scheduler such as pg_cron would run on the copy.
 */
import { InputError } from '../../inputs/input-error.js';
import type { RestoreTestPlan as Plan } from '../../inputs/plan-types.js';
import { majorVersion } from './engine-version.js';
import type { GroupKind, RdsRegion } from './region.js';

/** The parameter group family of an engine version: aurora-postgresql15, postgres16, postgres9.6. */
export function familyOf(engine: string, engineVersion: string): string {
  return `${engine}${majorVersion(engineVersion)}`;
}

/**
 * Refuses a restore-parameter-group or restore-instance-parameter-group that names no group in `api`'s
 * region, or a group of another family than `engine` at `engineVersion` (unknown: only existence is
 * checked). `clusterGroups`: the source is an Aurora cluster, so restore-parameter-group is a DB cluster
 * parameter group; else it is a DB parameter group.
 */
export async function checkRestoreGroups(
  plan: Pick<Plan, 'copy'>,
  api: RdsRegion,
  copy: { engine: string; engineVersion?: string; clusterGroups: boolean },
): Promise<void> {
  const wanted: [
    name: 'restore-parameter-group' | 'restore-instance-parameter-group',
    string | undefined,
    GroupKind,
  ][] = [
    ['restore-parameter-group', plan.copy.parameterGroup, copy.clusterGroups ? 'cluster' : 'instance'],
    ['restore-instance-parameter-group', plan.copy.instanceParameterGroup, 'instance'],
  ];
  const expected = copy.engineVersion ? familyOf(copy.engine, copy.engineVersion) : undefined;
  for (const [input, group, kind] of wanted) {
    if (!group) continue;
    const family = await api.parameterGroupFamily(group, kind);
    const noun = kind === 'cluster' ? 'DB cluster parameter group' : 'DB parameter group';
    if (family === null) throw new InputError(input, `names no ${noun} in ${api.region}`, group);
    if (expected && family && family !== expected) {
      throw new InputError(
        input,
        `names a ${noun} of family ${family}; the copy restores as engine version ${copy.engineVersion}, which takes a group of family ${expected}`,
        group,
      );
    }
  }
}

/**
 * Every library the groups preload, in order, without repeats; undefined when none of them could be read
 * (a group RDS does not let the role describe, or none at all).
 */
export async function preloadOf(
  api: RdsRegion,
  groups: [group: string | undefined, kind: GroupKind][],
): Promise<string[] | undefined> {
  let any = false;
  const libraries = new Set<string>();
  for (const [group, kind] of groups) {
    const found = await api.preloadLibraries(group, kind);
    if (!found) continue;
    any = true;
    for (const l of found) libraries.add(l);
  }
  return any ? [...libraries] : undefined;
}
