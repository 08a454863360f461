import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkTerraform, type Annotation } from '../../../../src/preflight/terraform/policy.js';
import { classify, parseHcl, HclSyntaxError } from '../../../../src/preflight/terraform/hcl.js';
import type { CheckResult } from '../../../../src/model/types.js';
import { tempDir } from '../../../support/temp-dir.js';

const FIXTURES = resolve(import.meta.dirname ?? '.', '../../../fixtures/terraform');
const fixture = (p: string): string => join(FIXTURES, p);
const policy = { minRetentionDays: 35, cwd: FIXTURES };

/** Lines of `file` carrying `# <marker>: <attribute>`, as attribute -> line. */
function expectedLines(file: string, marker = 'expect'): Map<string, number> {
  const out = new Map<string, number>();
  readFileSync(fixture(file), 'utf8')
    .split('\n')
    .forEach((text, i) => {
      const m = new RegExp(`# ${marker}: ([a-z_]+)`).exec(text);
      if (m) out.set(m[1]!, i + 1);
    });
  return out;
}

const failing = (checks: CheckResult[]): CheckResult[] =>
  checks.filter((c) => c.status === 'fail' || c.status === 'error');
const errors = (annotations: Annotation[]): Annotation[] => annotations.filter((a) => a.level === 'error');

describe('HCL scanner', () => {
  test('blocks, labels, attributes and their lines; expressions skipped whole', () => {
    const body = parseHcl(readFileSync(fixture('compliant/main.tf'), 'utf8'), 'main.tf');
    const cluster = body.blocks.find((b) => b.labels[1] === 'main')!;
    expect(cluster).toMatchObject({ type: 'resource', labels: ['aws_rds_cluster', 'main'], line: 7 });
    expect(cluster.attributes.get('backup_retention_period')).toMatchObject({
      line: 13,
      value: { kind: 'literal', value: 35 },
    });
    expect(cluster.attributes.get('kms_key_id')!.value).toEqual({
      kind: 'reference',
      path: 'aws_kms_key.aurora.arn',
    });
    expect(cluster.attributes.get('final_snapshot_identifier')!.value).toEqual({ kind: 'expression' });
    expect(cluster.attributes.get('copy_tags_to_snapshot')!.line).toBe(20);
    expect(cluster.blocks.map((b) => b.type)).toEqual(['lifecycle']);
    expect(body.blocks.map((b) => b.labels.join('.'))).toEqual([
      'aws_kms_key.aurora',
      'aws_rds_cluster.main',
      'aws_rds_cluster_instance.writer',
      'aws_security_group.db',
    ]);
  });

  test('heredocs, multi-line lists and comments do not end a block early', () => {
    const body = parseHcl(readFileSync(fixture('compliant/variables.tf'), 'utf8'), 'variables.tf');
    expect(body.blocks[0]!.attributes.get('default')).toMatchObject({
      line: 7,
      value: { kind: 'literal', value: true },
    });
    const text = 'a = [\n  1, # one\n  2, /* two */\n]\nb = "x" // c\nc = { d = "}" }\n';
    const parsed = parseHcl(text, 't.tf');
    expect([...parsed.attributes.keys()]).toEqual(['a', 'b', 'c']);
    expect(parsed.attributes.get('b')).toMatchObject({ line: 5, value: { kind: 'literal', value: 'x' } });
  });

  test('literals and references', () => {
    expect(classify('"03:00-04:00"')).toEqual({ kind: 'literal', value: '03:00-04:00' });
    expect(classify('"key-${var.env}"')).toEqual({ kind: 'expression' });
    expect(classify('false')).toEqual({ kind: 'literal', value: false });
    expect(classify('var.x')).toEqual({ kind: 'reference', path: 'var.x' });
    expect(classify('var.env == "prod"')).toEqual({ kind: 'expression' });
  });

  test('a syntax error names its file and line', () => {
    expect(() => parseHcl(readFileSync(fixture('broken/main.tf'), 'utf8'), 'broken/main.tf')).toThrow(
      HclSyntaxError,
    );
    try {
      parseHcl(readFileSync(fixture('broken/main.tf'), 'utf8'), 'broken/main.tf');
    } catch (error) {
      expect(error).toMatchObject({ file: 'broken/main.tf', line: 4 });
    }
  });
});

describe('Terraform policy on HCL (terraform-dir)', () => {
  test('a compliant configuration passes every rule, with no annotation', () => {
    const { checks, annotations } = checkTerraform({ ...policy, dir: 'compliant' });
    expect(failing(checks)).toEqual([]);
    expect(annotations).toEqual([]);
    expect(checks.map((c) => c.id)).toEqual(
      expect.arrayContaining([
        'posture:terraform:aws_rds_cluster.main.backup_retention_period',
        'posture:terraform:aws_rds_cluster.main.deletion_protection',
        'posture:terraform:aws_rds_cluster_instance.writer.copy_tags_to_snapshot',
      ]),
    );
    expect(checks.every((c) => c.category === 'posture')).toBe(true);
    expect(checks.find((c) => c.id.endsWith('main.deletion_protection'))!.summary).toMatch(/is true/);
  });

  test('each violation is a failing check and an error annotation on the line that causes it', () => {
    const { checks, annotations } = checkTerraform({ ...policy, dir: 'violations' });
    const expected = expectedLines('violations/main.tf');
    expect(expected.size).toBe(8);
    const got = new Map(errors(annotations).map((a) => [a.message.split(': ')[2]!.split(' ')[0]!, a]));
    for (const [attribute, line] of expected) {
      expect([attribute, got.get(attribute)?.file, got.get(attribute)?.line]).toEqual([
        attribute,
        'violations/main.tf',
        line,
      ]);
    }
    expect(errors(annotations)).toHaveLength(8);
    expect(
      failing(checks)
        .map((c) => c.id)
        .sort(),
    ).toEqual(
      [
        'posture:terraform:aws_rds_cluster.aws_managed_key.kms_key_id',
        'posture:terraform:aws_rds_cluster.no_tag_copy.copy_tags_to_snapshot',
        'posture:terraform:aws_rds_cluster.no_window.preferred_backup_window',
        'posture:terraform:aws_rds_cluster.short_retention.backup_retention_period',
        'posture:terraform:aws_rds_cluster.skips_final_snapshot.skip_final_snapshot',
        'posture:terraform:aws_rds_cluster.unencrypted.storage_encrypted',
        'posture:terraform:aws_rds_cluster.unprotected.deletion_protection',
        'posture:terraform:aws_rds_cluster_instance.public.publicly_accessible',
      ].sort(),
    );
    const retention = checks.find((c) => c.id.endsWith('short_retention.backup_retention_period'))!;
    expect(retention.summary).toBe(
      `aws_rds_cluster.short_retention: backup_retention_period is 7 days; must be at least 35 (violations/main.tf:${expected.get('backup_retention_period')})`,
    );
  });

  test('min-retention-days moves the retention rule', () => {
    const { checks } = checkTerraform({ ...policy, minRetentionDays: 7, dir: 'violations' });
    expect(checks.find((c) => c.id.endsWith('short_retention.backup_retention_period'))!.status).toBe('pass');
  });

  test('a value passed through a module call is judged, and annotated, where the caller sets it', () => {
    const { checks, annotations } = checkTerraform({ ...policy, dir: 'module-call' });
    const line = expectedLines('module-call/main.tf').get('deletion_protection');
    expect(errors(annotations)).toEqual([
      {
        level: 'error',
        file: 'module-call/main.tf',
        line,
        message:
          'restore-proof policy: modules/aurora/aws_rds_cluster.main: deletion_protection is false; must be true: one API call could delete production and its automated backups',
      },
    ]);
    const byAttr = (a: string) =>
      checks.find((c) => c.id === `posture:terraform:modules/aurora/aws_rds_cluster.main.${a}`)!;
    expect(byAttr('backup_retention_period').status).toBe('pass');
    expect(byAttr('preferred_backup_window').status).toBe('pass');
    expect(byAttr('kms_key_id').status).toBe('pass');
    // var.copy_tags has no default and nobody sets it: a warning, not a pass and not a failure.
    expect(byAttr('copy_tags_to_snapshot').status).toBe('warn');
    const warnLine = expectedLines('module-call/modules/aurora/main.tf', 'expect-warn').get(
      'copy_tags_to_snapshot',
    );
    expect(annotations.filter((a) => a.level === 'warning')).toEqual([
      expect.objectContaining({ file: 'module-call/modules/aurora/main.tf', line: warnLine }),
    ]);
  });

  test('a syntax error is an error check and an annotation; a directory without RDS fails', () => {
    const broken = checkTerraform({ ...policy, dir: 'broken' });
    expect(broken.checks.map((c) => [c.id, c.status])).toEqual([
      ['posture:terraform:syntax:broken/main.tf', 'error'],
      ['posture:terraform', 'fail'],
    ]);
    expect(broken.annotations[0]).toMatchObject({ file: 'broken/main.tf', line: 4, level: 'error' });

    const empty = tempDir('tf');
    writeFileSync(join(empty, 'main.tf'), 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n');
    const none = checkTerraform({ minRetentionDays: 35, dir: empty });
    expect(none.checks).toEqual([expect.objectContaining({ id: 'posture:terraform', status: 'fail' })]);
  });
});

describe('Terraform policy on a plan (terraform-plan)', () => {
  test('a compliant plan passes; deleted resources are not judged', () => {
    const { checks, annotations } = checkTerraform({ ...policy, planFile: 'plan/compliant.json' });
    expect(failing(checks)).toEqual([]);
    expect(annotations).toEqual([]);
    expect(checks.some((c) => c.id.includes('retired'))).toBe(false);
    expect(checks.find((c) => c.id.endsWith('aws_rds_cluster.main.kms_key_id'))!.summary).toMatch(
      /is set from another resource/,
    );
  });

  test('each violation in a plan is annotated at its resource in the plan file', () => {
    const { checks, annotations } = checkTerraform({ ...policy, planFile: 'plan/violations.json' });
    const text = readFileSync(fixture('plan/violations.json'), 'utf8').split('\n');
    const lineOf = (address: string) => text.findIndex((l) => l.includes(`"address": "${address}"`)) + 1;
    const cluster = lineOf('module.aurora.aws_rds_cluster.main');
    const instance = lineOf('module.aurora.aws_rds_cluster_instance.writer[0]');
    expect(
      errors(annotations)
        .map((a) => `${a.file}:${a.line} ${a.message.split(': ')[2]!.split(' ')[0]}`)
        .sort(),
    ).toEqual(
      [
        `plan/violations.json:${cluster} backup_retention_period`,
        `plan/violations.json:${cluster} deletion_protection`,
        `plan/violations.json:${cluster} kms_key_id`,
        `plan/violations.json:${cluster} preferred_backup_window`,
        `plan/violations.json:${cluster} skip_final_snapshot`,
        `plan/violations.json:${instance} publicly_accessible`,
      ].sort(),
    );
    expect(failing(checks)).toHaveLength(6);
    expect(
      checks.find((c) => c.id === 'posture:terraform:module.aurora.aws_rds_cluster.main.kms_key_id')!.summary,
    ).toMatch(/not set: storage would use the AWS-managed aws\/rds key/);
  });

  test('with terraform-dir as well, plan violations land on the HCL lines through the module source', () => {
    const { annotations } = checkTerraform({
      ...policy,
      planFile: 'plan/violations.json',
      dir: 'module-call',
    });
    const hcl = readFileSync(fixture('module-call/modules/aurora/main.tf'), 'utf8').split('\n');
    const lineOf = (s: string) => hcl.findIndex((l) => l.includes(s)) + 1;
    const cluster = errors(annotations).filter((a) => a.message.includes('aws_rds_cluster.main'));
    expect(cluster.map((a) => `${a.file}:${a.line}`).sort()).toEqual(
      [
        `module-call/modules/aurora/main.tf:${lineOf('backup_retention_period')}`,
        `module-call/modules/aurora/main.tf:${lineOf('deletion_protection')}`,
        // kms_key_id is set in this HCL but not in the planned configuration: the plan is the truth, and
        // the annotation falls on the attribute; skip_final_snapshot likewise.
        `module-call/modules/aurora/main.tf:${lineOf('kms_key_id')}`,
        `module-call/modules/aurora/main.tf:${lineOf('preferred_backup_window')}`,
        `module-call/modules/aurora/main.tf:${lineOf('skip_final_snapshot')}`,
      ].sort(),
    );
  });

  test('single-line plan JSON (as terraform writes it) annotates line 1', () => {
    const dir = tempDir('plan');
    const file = join(dir, 'plan.json');
    writeFileSync(file, JSON.stringify(JSON.parse(readFileSync(fixture('plan/violations.json'), 'utf8'))));
    const { annotations } = checkTerraform({ minRetentionDays: 35, planFile: file, cwd: dir });
    expect(errors(annotations).length).toBe(6);
    expect(new Set(annotations.map((a) => `${a.file}:${a.line}`))).toEqual(new Set(['plan.json:1']));
  });

  test('a file that is not terraform show -json output is an error naming the input', () => {
    const { checks, annotations } = checkTerraform({ ...policy, planFile: 'compliant/main.tf' });
    expect(checks).toEqual([
      expect.objectContaining({
        id: 'posture:terraform:plan',
        status: 'error',
        summary: expect.stringMatching(/^terraform-plan compliant\/main.tf is not JSON/),
      }),
    ]);
    expect(annotations[0]).toMatchObject({ file: 'compliant/main.tf', line: 1 });
    expect(checkTerraform({ ...policy, planFile: 'nope.json' }).checks[0]!.summary).toBe(
      'terraform-plan nope.json is not a file',
    );
  });
});
