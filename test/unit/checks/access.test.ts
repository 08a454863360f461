import { accessChecks, comparePrivileges, compareRoles, schedulerCheck } from '../../../src/checks/access.js';
import { target } from '../../fixtures/checks/target.js';

test('roles and privileges differences', () => {
  const roles = compareRoles(
    new Map([['app', 'superuser=false login=true createrole=false bypassrls=false']]),
    new Map([['app', 'superuser=true login=true createrole=false bypassrls=false']]),
    1,
  );
  expect(roles.status).toBe('fail');
  expect(roles.summary).toContain('app superuser=true on copy');
  const privs = comparePrivileges(
    new Set(['public.t app SELECT', 'public.t app INSERT']),
    new Set(['public.t app SELECT']),
    1,
  );
  expect(privs.summary).toContain('missing on copy: public.t app INSERT');
});

test('access from the provider description', () => {
  const t = target({ copy: { ...target().copy, publiclyAccessible: true, vpcSecurityGroupIds: ['sg-2'] } });
  expect(accessChecks({}, t).map((c) => [c.id, c.status])).toEqual([
    ['access:public', 'fail'],
    ['access:iam-auth', 'pass'],
    ['access:copy-network', 'warn'],
    ['access:copy-scheduler', 'skip'],
    ['access:security-groups', 'fail'],
  ]);
  // With security groups of its own the copy is not reachable like production.
  const own = accessChecks({ vpcSecurityGroupIds: ['sg-2'] }, t);
  expect(own.map((c) => c.id)).not.toContain('access:copy-network');
  expect(own.find((c) => c.id === 'access:security-groups')!.status).toBe('pass');
  expect(accessChecks({ targetVpcSecurityGroupIds: ['sg-9'] }, t).map((c) => c.id)).not.toContain(
    'access:copy-network',
  );
  const local = target({
    provider: 'local-pitr',
    source: { identifier: 'x', engine: 'postgres' },
    copy: {},
  });
  expect(accessChecks({}, local).every((c) => c.status === 'skip')).toBe(true);
});

describe('access:copy-scheduler', () => {
  const withLibs = (source: string[] | undefined, copy: string[] | undefined) =>
    target({
      source: { ...target().source, clusterParameterGroup: 'prod-pg15', preloadLibraries: source },
      copy: { ...target().copy, clusterParameterGroup: 'prod-pg15', preloadLibraries: copy },
    });

  test('a copy whose parameter group preloads pg_cron warns: what happens and the fix', () => {
    const c = schedulerCheck(
      {},
      withLibs(['pg_stat_statements', 'pg_cron'], ['pg_stat_statements', 'pg_cron']),
    )!;
    expect(c.status).toBe('warn');
    expect(c.summary).toBe(
      "the copy (prod-pg15) preloads the scheduler pg_cron (shared_preload_libraries): production's scheduled jobs run on the copy, and jobs that write elsewhere (dblink, postgres_fdw) write twice; set restore-parameter-group to a parameter group without pg_cron in shared_preload_libraries",
    );
    expect(accessChecks({}, withLibs(['pg_cron'], ['pg_cron'])).map((x) => x.id)).toContain(
      'access:copy-scheduler',
    );
  });

  test('restore-parameter-group without pg_cron passes, and says production preloads it', () => {
    const t = withLibs(['pg_cron'], ['pg_stat_statements']);
    t.copy.clusterParameterGroup = 'drill-pg15';
    const c = schedulerCheck({ copy: { parameterGroup: 'drill-pg15' } }, t)!;
    expect(c.status).toBe('pass');
    expect(c.summary).toBe(
      'no scheduler preloaded on the copy (drill-pg15), though production preloads pg_cron',
    );
  });

  test('a restore-parameter-group that still preloads pg_cron warns, naming it', () => {
    const c = schedulerCheck({ copy: { parameterGroup: 'drill-pg15' } }, withLibs(['pg_cron'], ['pg_cron']))!;
    expect(c.status).toBe('warn');
    expect(c.summary).toMatch(/^the copy's parameter group \(restore-parameter-group drill-pg15\) preloads/);
  });

  test("the copy's groups unreadable: judged by the source's, unless restore-parameter-group replaced them", () => {
    const c = schedulerCheck({}, withLibs(['pg_cron'], undefined))!;
    expect(c.status).toBe('warn');
    expect(c.summary).toMatch(
      /^the copy, restored with the source's parameter group prod-pg15, preloads the scheduler pg_cron/,
    );
    expect(
      schedulerCheck({ copy: { parameterGroup: 'drill-pg15' } }, withLibs(['pg_cron'], undefined))!.status,
    ).toBe('skip');
    expect(schedulerCheck({}, withLibs(['pg_stat_statements'], undefined))!.status).toBe('skip');
  });

  test('no check for a local copy', () => {
    expect(
      schedulerCheck(
        {},
        target({ provider: 'local-pitr', source: { identifier: 'x', engine: 'postgres' }, copy: {} }),
      ),
    ).toBeUndefined();
  });
});
