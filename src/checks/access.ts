/**
 * Access: not public, IAM auth as the source, intended security groups, no production scheduler running on
 * the copy, roles and table privileges as production.
 */
import type { CopySettings } from '../inputs/plan-types.js';
import type { CheckResult, Plan, Target } from '../model/types.js';
import { listSome, result } from './result.js';

/**
 * Libraries that, preloaded (shared_preload_libraries), run scheduled jobs inside the server on their own:
 * on a copy they run production's jobs. (pg_timetable and pgAgent are clients outside the server: they do
 * not start with the copy.)
 */
export const SCHEDULER_LIBRARIES = ['pg_cron'] as const;

/** The scheduler libraries among `libraries`. */
export function schedulersIn(libraries: readonly string[] | undefined): string[] {
  return (libraries ?? []).filter((l) => (SCHEDULER_LIBRARIES as readonly string[]).includes(l));
}

/** What a preloaded scheduler on the copy does, and the fix: one sentence for the report and preflight. */
export function schedulerWarning(schedulers: string[], where: string): string {
  return `${where} preloads the scheduler ${schedulers.join(', ')} (shared_preload_libraries): production's scheduled jobs run on the copy, and jobs that write elsewhere (dblink, postgres_fdw) write twice; set restore-parameter-group to a parameter group without ${schedulers.join(', ')} in shared_preload_libraries`;
}

/**
 * access:copy-scheduler: whether a scheduler preloads on the copy, by the copy's own parameter groups as
 * read after the restore, else (unreadable) by the source's when the copy was restored with them.
 */
export function schedulerCheck(
  plan: { copy?: Pick<CopySettings, 'parameterGroup'> },
  target: Target,
): CheckResult | undefined {
  if (target.provider === 'local-pitr') return undefined;
  const { source, copy } = target;
  const own = plan.copy?.parameterGroup;
  const group = copy.clusterParameterGroup ?? own ?? source.clusterParameterGroup ?? 'its parameter group';
  const groups = [group, copy.instanceParameterGroup].filter(Boolean).join(' and ');
  if (copy.preloadLibraries !== undefined) {
    const running = schedulersIn(copy.preloadLibraries);
    if (running.length) {
      const where = own
        ? `the copy's parameter group (restore-parameter-group ${own})`
        : `the copy (${groups})`;
      return result('access:copy-scheduler', 'access', 'warn', schedulerWarning(running, where), 0, {
        measured: running.join(','),
        expected: null,
      });
    }
    const fromSource = schedulersIn(source.preloadLibraries);
    return result(
      'access:copy-scheduler',
      'access',
      'pass',
      `no scheduler preloaded on the copy (${groups})${fromSource.length ? `, though production preloads ${fromSource.join(', ')}` : ''}`,
      0,
    );
  }
  const fromSource = schedulersIn(source.preloadLibraries);
  if (fromSource.length && !own) {
    return result(
      'access:copy-scheduler',
      'access',
      'warn',
      schedulerWarning(fromSource, `the copy, restored with the source's parameter group ${group},`),
      0,
      { measured: fromSource.join(','), expected: null },
    );
  }
  return result(
    'access:copy-scheduler',
    'access',
    'skip',
    "shared_preload_libraries not readable for the copy's parameter groups",
    0,
  );
}

export function accessChecks(
  plan: Pick<Plan, 'vpcSecurityGroupIds' | 'targetVpcSecurityGroupIds'> & {
    copy?: Pick<CopySettings, 'parameterGroup'>;
  },
  target: Target,
): CheckResult[] {
  const { source, copy } = target;
  const out: CheckResult[] = [];
  if (copy.publiclyAccessible === undefined) {
    out.push(
      result(
        'access:public',
        'access',
        'skip',
        `public accessibility not reported by the ${target.provider} provider`,
        0,
      ),
    );
  } else {
    out.push(
      result(
        'access:public',
        'access',
        copy.publiclyAccessible ? 'fail' : 'pass',
        `copy PubliclyAccessible ${copy.publiclyAccessible}`,
        0,
        {
          measured: copy.publiclyAccessible,
          expected: false,
        },
      ),
    );
  }

  if (source.iamDatabaseAuthentication === undefined || copy.iamDatabaseAuthentication === undefined) {
    out.push(
      result(
        'access:iam-auth',
        'access',
        'skip',
        'IAM database authentication not reported for source and copy',
        0,
      ),
    );
  } else {
    const ok = source.iamDatabaseAuthentication === copy.iamDatabaseAuthentication;
    out.push(
      result(
        'access:iam-auth',
        'access',
        ok ? 'pass' : 'fail',
        `IAM database authentication: source ${source.iamDatabaseAuthentication}, copy ${copy.iamDatabaseAuthentication}`,
        0,
        { measured: copy.iamDatabaseAuthentication, expected: source.iamDatabaseAuthentication },
      ),
    );
  }

  const expected = plan.vpcSecurityGroupIds ?? source.vpcSecurityGroupIds;
  if (!plan.vpcSecurityGroupIds && !plan.targetVpcSecurityGroupIds && target.provider !== 'local-pitr') {
    // The copy holds every patient record production holds: with production's security groups, anything
    // that can reach production can reach it too.
    out.push(
      result(
        'access:copy-network',
        'access',
        'warn',
        "copy reachable like production: it has the source's security groups; set vpc-security-group-ids to groups that admit only the drill's runner",
        0,
      ),
    );
  }
  const scheduler = schedulerCheck(plan, target);
  if (scheduler) out.push(scheduler);
  if (!expected || copy.vpcSecurityGroupIds === undefined) {
    out.push(
      result(
        'access:security-groups',
        'access',
        'skip',
        'security groups not reported for the copy or no expected set',
        0,
      ),
    );
  } else {
    const want = [...new Set(expected)].sort();
    const have = [...new Set(copy.vpcSecurityGroupIds)].sort();
    const missing = want.filter((g) => !have.includes(g));
    const extra = have.filter((g) => !want.includes(g));
    const ok = missing.length === 0 && extra.length === 0;
    out.push(
      result(
        'access:security-groups',
        'access',
        ok ? 'pass' : 'fail',
        ok
          ? `copy has the intended security groups (${plan.vpcSecurityGroupIds ? 'vpc-security-group-ids' : "source's"})`
          : `security groups differ: missing ${listSome(missing) || 'none'}; unexpected ${listSome(extra) || 'none'}`,
        0,
        { measured: have.join(','), expected: want.join(',') },
      ),
    );
  }
  return out;
}

/** Compares two name -> attributes maps (roles), naming every difference. */
export function compareRoles(
  production: Map<string, string>,
  copy: Map<string, string>,
  ms: number,
): CheckResult {
  const diffs: string[] = [];
  for (const [name, attrs] of production) {
    const c = copy.get(name);
    if (c === undefined) diffs.push(`${name} missing on copy`);
    else if (c !== attrs) {
      const p = new Map(attrs.split(' ').map((kv) => kv.split('=') as [string, string]));
      const changed = c
        .split(' ')
        .map((kv) => kv.split('=') as [string, string])
        .filter(([k, v]) => p.get(k) !== v)
        .map(([k, v]) => `${k}=${v}`);
      diffs.push(`${name} ${changed.join(' ')} on copy`);
    }
  }
  for (const name of copy.keys()) if (!production.has(name)) diffs.push(`${name} only on copy`);
  return result(
    'access:roles',
    'access',
    diffs.length ? 'fail' : 'pass',
    diffs.length
      ? `${diffs.length} role differences: ${listSome(diffs)}`
      : `${production.size} roles and their attributes equal production`,
    ms,
    { measured: copy.size, expected: production.size },
  );
}

export function comparePrivileges(production: Set<string>, copy: Set<string>, ms: number): CheckResult {
  const missing = [...production].filter((p) => !copy.has(p)).sort();
  const extra = [...copy].filter((p) => !production.has(p)).sort();
  const n = missing.length + extra.length;
  const parts: string[] = [];
  if (missing.length) parts.push(`missing on copy: ${listSome(missing, 3)}`);
  if (extra.length) parts.push(`only on copy: ${listSome(extra, 3)}`);
  return result(
    'access:table-privileges',
    'access',
    n ? 'fail' : 'pass',
    n
      ? `${n} table privilege differences; ${parts.join('; ')}`
      : `${production.size} table privileges equal production`,
    ms,
    { measured: copy.size, expected: production.size },
  );
}
