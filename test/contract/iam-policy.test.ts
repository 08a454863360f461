/**
 * docs/iam-policy.json, the role restore-proof runs as: describe freely; restore and create only with the
 * restore-proof tags in the request; modify and delete only what carries restore-proof:run; and a deny that
 * keeps production out of reach whatever else is attached to the role. Also: every AWS call the code makes
 * is allowed, and nothing is allowed that the code does not call.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname ?? '.', '../..');

interface Statement {
  Sid: string;
  Effect: 'Allow' | 'Deny';
  Action: string[];
  Resource?: string | string[];
  NotResource?: string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}
const policy = JSON.parse(readFileSync(join(ROOT, 'docs/iam-policy.json'), 'utf8')) as {
  Version: string;
  Statement: Statement[];
};
const allows = policy.Statement.filter((s) => s.Effect === 'Allow');
const denies = policy.Statement.filter((s) => s.Effect === 'Deny');
const resources = (s: Statement): string[] =>
  Array.isArray(s.Resource) ? s.Resource : s.Resource ? [s.Resource] : [];
const allowing = (action: string): Statement[] => allows.filter((s) => s.Action.includes(action));

/** `new XCommand(` in src, mapped to the IAM action of the client it comes from. */
function actionsTheCodeCalls(): Set<string> {
  const out = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith('.ts')) {
        const text = readFileSync(path, 'utf8');
        const service = (imported: string): string | undefined => {
          const from = new RegExp(
            `\\b${imported}\\b[^;]*?from '@aws-sdk/client-(rds|kms|cloudwatch)'`,
            's',
          ).exec(text);
          return from?.[1];
        };
        // new XCommand(...) and the SDK's paginateX(...), which sends XCommand page by page
        for (const m of text.matchAll(/new ([A-Za-z]+)Command\(|\bpaginate([A-Za-z]+)\(/g)) {
          const name = m[1] ?? m[2]!;
          const svc = service(m[1] ? `${name}Command` : `paginate${name}`);
          if (svc) out.add(`${svc}:${name}`);
        }
      }
    }
  };
  walk(join(ROOT, 'src'));
  return out;
}

test('a policy document IAM accepts: version, statement ids, no wildcard actions', () => {
  expect(policy.Version).toBe('2012-10-17');
  const sids = policy.Statement.map((s) => s.Sid);
  expect(new Set(sids).size).toBe(sids.length);
  for (const s of policy.Statement) {
    expect(s.Sid).toMatch(/^[A-Za-z0-9]+$/);
    expect(['Allow', 'Deny']).toContain(s.Effect);
    expect(Boolean(s.Resource) !== Boolean(s.NotResource)).toBe(true);
    for (const a of s.Action) expect(a).toMatch(/^(rds|kms|cloudwatch):[A-Z][A-Za-z]+$/);
  }
  expect(JSON.stringify(policy).length).toBeLessThan(6144); // managed policy size limit
});

test('describe calls are the only unconditioned rights', () => {
  for (const s of allows.filter((x) => !x.Condition)) {
    for (const a of s.Action) expect(a).toMatch(/^(rds:Describe|rds:List|kms:Describe)/);
  }
});

test('metrics go to one CloudWatch namespace only', () => {
  const metrics = allowing('cloudwatch:PutMetricData');
  expect(metrics).toHaveLength(1);
  expect(metrics[0]!.Condition).toEqual({ StringEquals: { 'cloudwatch:namespace': 'RestoreProof' } });
});

test('restore and create only with the restore-proof tags in the request', () => {
  for (const action of [
    'rds:RestoreDBClusterToPointInTime',
    'rds:RestoreDBClusterFromSnapshot',
    'rds:RestoreDBInstanceToPointInTime',
    'rds:RestoreDBInstanceFromDBSnapshot',
    'rds:CopyDBClusterSnapshot',
    'rds:CreateDBInstance',
  ]) {
    const granted = allowing(action);
    expect(granted.length).toBeGreaterThan(0);
    for (const s of granted) {
      expect(s.Condition?.Null).toMatchObject({
        'aws:RequestTag/restore-proof:run': 'false',
        'aws:RequestTag/restore-proof:expires-at': 'false',
      });
    }
  }
  for (const s of allowing('rds:AddTagsToResource')) {
    expect(s.Condition?.Null?.['aws:RequestTag/restore-proof:run']).toBe('false');
    for (const r of resources(s)) expect(r).toMatch(/:(cluster|db|cluster-snapshot):restore-proof-\*$/);
  }
});

test('modify and delete only resources named restore-proof-* that carry restore-proof:run', () => {
  const mutating = allows
    .flatMap((s) => s.Action)
    .filter((a) => /^rds:(Modify|Delete|Stop|Reboot|Failover)/.test(a));
  expect(mutating.sort()).toEqual(
    [
      'rds:DeleteDBCluster',
      'rds:DeleteDBClusterSnapshot',
      'rds:DeleteDBInstance',
      'rds:ModifyDBCluster',
      'rds:ModifyDBInstance',
    ].sort(),
  );
  for (const action of mutating) {
    for (const s of allowing(action)) {
      expect(s.Condition?.Null?.['aws:ResourceTag/restore-proof:run']).toBe('false');
      for (const r of resources(s)) expect(r).toMatch(/^arn:\*:rds:\*:\*:[a-z-]+:restore-proof-\*$/);
    }
  }
});

test('an explicit deny keeps everything without restore-proof:run out of reach, whatever else the role has', () => {
  const guard = denies.find((s) => s.Condition?.Null?.['aws:ResourceTag/restore-proof:run'] === 'true')!;
  expect(guard.Resource).toBe('*');
  expect(guard.Action).toEqual(
    expect.arrayContaining([
      'rds:DeleteDBCluster',
      'rds:DeleteDBInstance',
      'rds:ModifyDBCluster',
      'rds:ModifyDBInstance',
      'rds:DeleteDBClusterSnapshot',
    ]),
  );
  // nobody can tag production into looking like a drill's copy, nor strip a tag
  const retag = denies.find((s) => s.Action.includes('rds:AddTagsToResource'))!;
  expect(retag.NotResource).toEqual([
    'arn:*:rds:*:*:cluster:restore-proof-*',
    'arn:*:rds:*:*:db:restore-proof-*',
    'arn:*:rds:*:*:cluster-snapshot:restore-proof-*',
  ]);
  expect(denies.some((s) => s.Action.includes('rds:RemoveTagsFromResource') && s.Resource === '*')).toBe(
    true,
  );
});

test('KMS: describe the key, and grant only to RDS on behalf of the restore', () => {
  const grant = allowing('kms:CreateGrant');
  expect(grant).toHaveLength(1);
  expect(grant[0]!.Condition).toEqual({
    StringLike: { 'kms:ViaService': ['rds.*.amazonaws.com', 'rds.*.amazonaws.com.cn'] },
    Bool: { 'kms:GrantIsForAWSResource': 'true' },
  });
  expect(
    allows
      .flatMap((s) => s.Action)
      .filter((a) => a.startsWith('kms:'))
      .sort(),
  ).toEqual(['kms:CreateGrant', 'kms:DescribeKey']);
});

test('every AWS call in src is allowed, and nothing is allowed that no code calls', () => {
  const called = actionsTheCodeCalls();
  expect(called.size).toBeGreaterThan(5);
  const allowed = new Set(allows.flatMap((s) => s.Action));
  for (const action of called) expect([action, allowed.has(action)]).toEqual([action, true]);
  // allowed without a matching command: tagging on create and the KMS grant RDS makes on the caller's behalf
  const implied = new Set(['rds:AddTagsToResource', 'kms:CreateGrant', 'rds:ListTagsForResource']);
  for (const action of allowed)
    expect([action, called.has(action) || implied.has(action)]).toEqual([action, true]);
});

/** IAM's ARN matching: * is any run of characters, ? one character. */
const glob = (pattern: string, value: string): boolean =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  ).test(value);

test('every resource pattern matches in every partition (GovCloud and China too)', () => {
  const arn = (partition: string, region: string, type: string, id: string) =>
    `arn:${partition}:rds:${region}:123456789012:${type}:${id}`;
  const where: [string, string][] = [
    ['aws', 'us-east-1'],
    ['aws-us-gov', 'us-gov-west-1'],
    ['aws-cn', 'cn-north-1'],
  ];
  const tagOnCreate = allowing('rds:AddTagsToResource')[0]!;
  const retag = denies.find((s) => s.Action.includes('rds:AddTagsToResource'))!;
  for (const [partition, region] of where) {
    const copy = arn(partition, region, 'cluster', 'restore-proof-2612011200-abcdef');
    const production = arn(partition, region, 'cluster', 'prod-db');
    // the drill may tag its own copy, and the deny does not stop it...
    expect(resources(tagOnCreate).some((r) => glob(r, copy))).toBe(true);
    expect(retag.NotResource!.some((r) => glob(r, copy))).toBe(true);
    // ...while production stays outside the NotResource, so tagging it is denied
    expect(retag.NotResource!.some((r) => glob(r, production))).toBe(false);
    for (const s of allows) for (const r of resources(s)) expect(r.startsWith('arn:aws:')).toBe(false);
  }
  const viaService = allowing('kms:CreateGrant')[0]!.Condition!.StringLike!['kms:ViaService'] as string[];
  for (const host of [
    'rds.us-east-1.amazonaws.com',
    'rds.us-gov-west-1.amazonaws.com',
    'rds.cn-north-1.amazonaws.com.cn',
  ]) {
    expect([host, viaService.some((p) => glob(p, host))]).toEqual([host, true]);
  }
});

test('nothing publicly accessible can be created, restored or modified into being', () => {
  const deny = policy.Statement.find((s) => s.Sid === 'NeverCreateAnythingPubliclyAccessible');
  expect(deny).toMatchObject({
    Effect: 'Deny',
    Resource: '*',
    Condition: { Bool: { 'rds:PubliclyAccessible': 'true' } },
  });
  for (const action of [
    'rds:CreateDBInstance',
    'rds:RestoreDBInstanceToPointInTime',
    'rds:RestoreDBInstanceFromDBSnapshot',
    'rds:ModifyDBInstance',
  ])
    expect(deny!.Action).toContain(action);
});
