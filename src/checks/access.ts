/** Access: not public, IAM auth as the source, intended security groups, roles and table privileges as production. */
import type { CheckResult, Plan, Target } from '../model/types.js';
import { listSome, result } from './result.js';

export function accessChecks(
  plan: Pick<Plan, 'vpcSecurityGroupIds' | 'targetVpcSecurityGroupIds'>,
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
