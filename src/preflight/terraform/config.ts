/**
 * A directory tree of Terraform files, read without Terraform and without credentials: the resources, the
 * module calls with local sources, the variables and locals, each with its file and line. Values are
 * followed through var.* (module call arguments, then variable defaults) and local.*, one literal at a time,
 * so `deletion_protection = var.enable_deletion_protection` is judged by what its callers pass and the
 * annotation lands on the line that passes it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { HclSyntaxError, parseHcl, type HclAttribute, type HclBlock } from './hcl.js';

export interface Located {
  file: string;
  line: number;
}

export interface TfResource extends Located {
  type: string;
  name: string;
  dir: string;
  block: HclBlock;
}

export interface TfModuleCall extends Located {
  name: string;
  dir: string;
  /** The directory a local source (./ or ../) points at; absent for registry or git sources. */
  sourceDir?: string;
  block: HclBlock;
}

export interface TfConfig {
  root: string;
  resources: TfResource[];
  moduleCalls: TfModuleCall[];
  variables: Map<string, { dir: string; block: HclBlock; file: string }>;
  locals: Map<string, { attr: HclAttribute; file: string }>;
  errors: (Located & { message: string })[];
}

/** What an attribute resolves to at one place (several when a module is called more than once). */
export type Resolved =
  | ({ kind: 'absent' } & Located)
  | ({ kind: 'value'; value: string | number | boolean | null; via?: string } & Located)
  /** Set from another resource or data source (aws_kms_key.k.arn): present, value known after apply. */
  | ({ kind: 'computed'; via: string } & Located)
  | ({ kind: 'unknown'; why: string } & Located);

const SKIP_DIRS = new Set(['.terraform', 'node_modules', '.git']);

function tfFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      if (!SKIP_DIRS.has(entry) && !entry.startsWith('.')) out.push(...tfFiles(path));
    } else if (entry.endsWith('.tf')) out.push(path);
  }
  return out;
}

/** Reads every .tf file under `root`. `display` turns absolute paths into the ones annotations use. */
export function loadConfig(root: string, display: (abs: string) => string = (p) => p): TfConfig {
  const config: TfConfig = {
    root: resolve(root),
    resources: [],
    moduleCalls: [],
    variables: new Map(),
    locals: new Map(),
    errors: [],
  };
  for (const abs of tfFiles(config.root)) {
    const file = display(abs);
    const dir = dirname(abs);
    let body: HclBlock;
    try {
      body = parseHcl(readFileSync(abs, 'utf8'), file);
    } catch (error) {
      if (!(error instanceof HclSyntaxError)) throw error;
      config.errors.push({ file, line: error.line, message: error.message });
      continue;
    }
    for (const block of body.blocks) {
      const [a, b] = block.labels;
      if (block.type === 'resource' && a && b) {
        config.resources.push({ type: a, name: b, dir, file, line: block.line, block });
      } else if (block.type === 'module' && a) {
        const source = block.attributes.get('source')?.value;
        const local =
          source?.kind === 'literal' && typeof source.value === 'string' && /^\.\.?\//.test(source.value)
            ? resolve(dir, source.value)
            : undefined;
        config.moduleCalls.push({ name: a, dir, sourceDir: local, file, line: block.line, block });
      } else if (block.type === 'variable' && a) {
        config.variables.set(`${dir}\0${a}`, { dir, block, file });
      } else if (block.type === 'locals') {
        for (const attr of block.attributes.values())
          config.locals.set(`${dir}\0${attr.name}`, { attr, file });
      }
    }
  }
  return config;
}

/** The directory of the module at `path` (module names from the root), following local sources. */
export function moduleDir(config: TfConfig, path: string[]): string | undefined {
  let dir = config.root;
  for (const name of path) {
    const call = config.moduleCalls.find((m) => m.dir === dir && m.name === name);
    if (!call?.sourceDir) return undefined;
    dir = call.sourceDir;
  }
  return dir;
}

/** Resolves attribute `name` of `block` (in `dir`) to each value it can take, with where that value is set. */
export function resolveAttribute(
  config: TfConfig,
  dir: string,
  block: HclBlock,
  file: string,
  name: string,
): Resolved[] {
  const attr = block.attributes.get(name);
  if (!attr) return [{ kind: 'absent', file, line: block.line }];
  return resolveValue(config, dir, attr, file, 0);
}

function resolveValue(
  config: TfConfig,
  dir: string,
  attr: HclAttribute,
  file: string,
  depth: number,
): Resolved[] {
  const at = { file, line: attr.line };
  const v = attr.value;
  if (v.kind === 'literal') return [{ kind: 'value', value: v.value, ...at }];
  if (v.kind === 'expression') return [{ kind: 'unknown', why: `an expression (${short(attr.raw)})`, ...at }];
  if (depth > 8) return [{ kind: 'unknown', why: `too deep a chain of references (${attr.raw})`, ...at }];

  const [head, key] = v.path.split('.');
  if (head === 'var' && key) return resolveVariable(config, dir, key, at, depth);
  if (head === 'local' && key) {
    const local = config.locals.get(`${dir}\0${key}`);
    if (!local) return [{ kind: 'unknown', why: `local.${key} is not defined in this module`, ...at }];
    return resolveValue(config, dir, local.attr, local.file, depth + 1).map((r) => withVia(r, attr.raw));
  }
  return [{ kind: 'computed', via: v.path, ...at }];
}

function resolveVariable(
  config: TfConfig,
  dir: string,
  name: string,
  at: Located,
  depth: number,
): Resolved[] {
  const callers = config.moduleCalls.filter((m) => m.sourceDir === dir);
  const out: Resolved[] = [];
  const variable = config.variables.get(`${dir}\0${name}`);
  const fallback = (): Resolved[] => {
    const def = variable?.block.attributes.get('default');
    if (def)
      return resolveValue(config, dir, def, variable!.file, depth + 1).map((r) => withVia(r, `var.${name}`));
    const root = relative(config.root, dir) === '';
    return [
      {
        kind: 'unknown',
        why: `var.${name} has no default${root ? ' (its value comes from tfvars or the command line)' : ' and no caller sets it'}`,
        ...at,
      },
    ];
  };
  if (callers.length === 0) return fallback();
  for (const call of callers) {
    const arg = call.block.attributes.get(name);
    if (arg) {
      out.push(
        ...resolveValue(config, call.dir, arg, call.file, depth + 1).map((r) => withVia(r, `var.${name}`)),
      );
    } else out.push(...fallback());
  }
  return out;
}

function withVia(r: Resolved, via: string): Resolved {
  if (r.kind === 'value') return { ...r, via: r.via ?? via };
  return r;
}

const short = (raw: string): string => {
  const line = raw.replace(/\s+/g, ' ');
  return line.length > 60 ? `${line.slice(0, 57)}...` : line;
};
