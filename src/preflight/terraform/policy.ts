/**
 * Terraform backup policy without AWS credentials: every aws_rds_cluster and aws_rds_cluster_instance in a
 * plan (terraform show -json) or a directory of .tf files is held to the rules in rules.ts. Each rule on each
 * resource is one CheckResult in category posture; each violation is also an annotation on the file and line
 * that causes it (the HCL line when the directory is known, else the plan file's line for that resource).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { result } from '../../checks/result.js';
import type { CheckResult } from '../../model/types.js';
import {
  loadConfig,
  moduleDir,
  resolveAttribute,
  type Located,
  type TfConfig,
  type TfResource,
} from './config.js';
import { PlanFormatError, readPlan } from './plan-json.js';
import {
  POLICED_TYPES,
  rulesFor,
  type Observed,
  type PolicyOptions,
  type Rule,
  type Verdict,
} from './rules.js';

export { RULES } from './rules.js';

/** A GitHub annotation: the lead pipes these into core.error / core.warning with { file, startLine }. */
export interface Annotation {
  level: 'error' | 'warning';
  file: string;
  line: number;
  message: string;
}

export interface TerraformPolicyInput extends PolicyOptions {
  /** Path of the JSON written by terraform show -json <planfile> (or of a state). */
  planFile?: string;
  /** Directory of .tf files (searched recursively, .terraform skipped). */
  dir?: string;
  /** Paths in annotations are relative to this (the workspace); default process.cwd(). */
  cwd?: string;
}

export interface TerraformPolicyResult {
  checks: CheckResult[];
  annotations: Annotation[];
}

interface Finding extends Located {
  verdict: Verdict;
}

export function checkTerraform(input: TerraformPolicyInput): TerraformPolicyResult {
  const cwd = resolve(input.cwd ?? process.cwd());
  const display = (abs: string): string => {
    const rel = relative(cwd, abs);
    return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
  };
  const out: TerraformPolicyResult = { checks: [], annotations: [] };
  const started = Date.now();

  let config: TfConfig | undefined;
  if (input.dir) {
    const dir = resolve(cwd, input.dir);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      return broken(
        out,
        'posture:terraform:dir',
        display(dir),
        1,
        `terraform-dir ${input.dir} is not a directory`,
      );
    }
    config = loadConfig(dir, display);
    for (const e of config.errors) {
      out.checks.push(result(`posture:terraform:syntax:${e.file}`, 'posture', 'error', e.message, 0));
      out.annotations.push({
        level: 'error',
        file: e.file,
        line: e.line,
        message: `restore-proof: ${e.message}`,
      });
    }
  }

  let judged = 0;
  if (input.planFile) {
    const planPath = resolve(cwd, input.planFile);
    const planFile = display(planPath);
    if (!existsSync(planPath) || !statSync(planPath).isFile()) {
      return broken(
        out,
        'posture:terraform:plan',
        planFile,
        1,
        `terraform-plan ${input.planFile} is not a file`,
      );
    }
    let resources;
    try {
      resources = readPlan(readFileSync(planPath, 'utf8'));
    } catch (error) {
      if (!(error instanceof PlanFormatError)) throw error;
      return broken(
        out,
        'posture:terraform:plan',
        planFile,
        1,
        `terraform-plan ${input.planFile} ${error.message}`,
      );
    }
    for (const r of resources) {
      const hcl = config ? findInConfig(config, r.modulePath, r.type, r.name) : undefined;
      for (const rule of rulesFor(r.type)) {
        const attr = hcl?.block.attributes.get(rule.attribute);
        const where: Located = hcl
          ? { file: hcl.file, line: attr?.line ?? hcl.line }
          : { file: planFile, line: r.line };
        const finding = { ...where, verdict: rule.judge(r.observe(rule.attribute), input) };
        record(out, r.address, rule, [finding]);
      }
      judged++;
    }
  } else if (config) {
    const counts = new Map<string, number>();
    for (const r of config.resources)
      counts.set(`${r.type}.${r.name}`, (counts.get(`${r.type}.${r.name}`) ?? 0) + 1);
    for (const r of config.resources) {
      if (!POLICED_TYPES.includes(r.type)) continue;
      const rel = relative(config.root, r.dir);
      const address = `${rel ? `${rel.split('\\').join('/')}/` : ''}${r.type}.${r.name}`;
      for (const rule of rulesFor(r.type)) {
        const findings = resolveAttribute(config, r.dir, r.block, r.file, rule.attribute).map((resolved) => ({
          file: resolved.file,
          line: resolved.line,
          verdict: rule.judge(toObserved(resolved), input),
        }));
        record(out, address, rule, findings);
      }
      judged++;
    }
  }

  if (judged === 0 && (input.planFile || input.dir)) {
    const where = input.planFile ?? input.dir!;
    out.checks.push(
      result(
        'posture:terraform',
        'posture',
        'fail',
        `found no ${POLICED_TYPES.join(' or ')} in ${where}: point terraform-${input.planFile ? 'plan' : 'dir'} at the configuration that defines the database`,
        Date.now() - started,
      ),
    );
  }
  return out;
}

function toObserved(r: ReturnType<typeof resolveAttribute>[number]): Observed {
  switch (r.kind) {
    case 'absent':
      return { kind: 'absent' };
    case 'value':
      return { kind: 'value', value: r.value };
    case 'computed':
      return { kind: 'computed', via: r.via };
    default:
      return { kind: 'unknown', why: r.why };
  }
}

/** The HCL resource a plan address comes from: through local module sources, else by a unique type.name. */
function findInConfig(
  config: TfConfig,
  modulePath: string[],
  type: string,
  name: string,
): TfResource | undefined {
  const dir = moduleDir(config, modulePath);
  const inDir = dir
    ? config.resources.find((r) => r.dir === dir && r.type === type && r.name === name)
    : undefined;
  if (inDir) return inDir;
  const all = config.resources.filter((r) => r.type === type && r.name === name);
  return all.length === 1 ? all[0] : undefined;
}

/** One CheckResult for the rule on this resource: fail if any place fails, warn if any cannot tell. */
function record(out: TerraformPolicyResult, address: string, rule: Rule, findings: Finding[]): void {
  const failing = findings.filter((f) => f.verdict.ok === false);
  const unsure = findings.filter((f) => f.verdict.ok === null);
  const status = failing.length > 0 ? 'fail' : unsure.length > 0 ? 'warn' : 'pass';
  const shown = failing[0] ?? unsure[0] ?? findings[0]!;
  const more = findings.length > 1 ? ` (${failing.length} of ${findings.length} module calls fail)` : '';
  out.checks.push(
    result(
      `posture:terraform:${address}.${rule.attribute}`,
      'posture',
      status,
      `${address}: ${rule.attribute} ${shown.verdict.says}${more} (${shown.file}:${shown.line})`,
      0,
      { expected: rule.policy },
    ),
  );
  for (const f of [...failing, ...unsure]) {
    out.annotations.push({
      level: f.verdict.ok === false ? 'error' : 'warning',
      file: f.file,
      line: f.line,
      message: `restore-proof policy: ${address}: ${rule.attribute} ${f.verdict.says}`,
    });
  }
}

function broken(
  out: TerraformPolicyResult,
  id: string,
  file: string,
  line: number,
  message: string,
): TerraformPolicyResult {
  out.checks.push(result(id, 'posture', 'error', message, 0));
  out.annotations.push({ level: 'error', file, line, message: `restore-proof: ${message}` });
  return out;
}
