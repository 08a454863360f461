import { accessChecks, comparePrivileges, compareRoles } from '../../../src/checks/access.js';
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
