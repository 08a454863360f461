/**
 * The RDS resources in `terraform show -json` output: a saved plan (resource_changes, with each attribute's
 * value after apply, and configuration telling which attributes the code sets) or, failing that, a state
 * (values.root_module). Every resource keeps the line of its address in the file for annotations.
 */
import type { Observed } from './rules.js';
import { POLICED_TYPES } from './rules.js';

export interface PlannedResource {
  address: string;
  type: string;
  name: string;
  /** Module names from the root, indexes dropped: module.a["x"].module.b -> [a, b]. */
  modulePath: string[];
  /** Line of the resource's address in the plan file (1 for single-line JSON). */
  line: number;
  observe(attribute: string): Observed;
}

export class PlanFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanFormatError';
  }
}

interface ConfigModule {
  resources?: { address?: string; mode?: string; expressions?: Record<string, unknown> }[];
  module_calls?: Record<string, { module?: ConfigModule }>;
}

interface ValuesModule {
  address?: string;
  resources?: {
    address?: string;
    mode?: string;
    type?: string;
    name?: string;
    values?: Record<string, unknown>;
  }[];
  child_modules?: ValuesModule[];
}

interface ResourceChange {
  address?: string;
  module_address?: string;
  mode?: string;
  type?: string;
  name?: string;
  change?: {
    actions?: string[];
    after?: Record<string, unknown> | null;
    after_unknown?: Record<string, unknown>;
  };
}

export function modulePathOf(moduleAddress: string | undefined): string[] {
  if (!moduleAddress) return [];
  return [...moduleAddress.matchAll(/module\.([A-Za-z0-9_-]+)(\[[^\]]*\])?/g)].map((m) => m[1]!);
}

function lineOf(text: string, address: string, from: number): number {
  const re = new RegExp(
    `"address"\\s*:\\s*${JSON.stringify(address).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`,
  );
  const rest = text.slice(from);
  const m = re.exec(rest);
  const at = m ? from + m.index : from;
  let line = 1;
  for (let k = 0; k < at; k++) if (text.charCodeAt(k) === 10) line++;
  return line;
}

function configFor(root: ConfigModule | undefined, path: string[], type: string, name: string) {
  let mod = root;
  for (const step of path) mod = mod?.module_calls?.[step]?.module;
  return mod?.resources?.find((r) => r.mode !== 'data' && r.address === `${type}.${name}`);
}

function observe(
  after: Record<string, unknown>,
  unknown: Record<string, unknown>,
  configured: Record<string, unknown> | undefined,
  attribute: string,
): Observed {
  // Optional+computed attributes (kms_key_id, preferred_backup_window) get a value from AWS when the code
  // leaves them out, so "set" means set in configuration when the plan carries it.
  if (configured && !(attribute in configured)) return { kind: 'absent' };
  if (unknown[attribute] === true) return { kind: 'computed', via: 'another resource' };
  const value = after[attribute];
  if (value === undefined) return { kind: 'absent' };
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) {
    return { kind: 'value', value: value as string | number | boolean | null };
  }
  return { kind: 'unknown', why: `a ${typeof value} value` };
}

/** Parses plan (or state) JSON text. Throws PlanFormatError when it is not `terraform show -json` output. */
export function readPlan(text: string): PlannedResource[] {
  let doc: {
    format_version?: string;
    resource_changes?: ResourceChange[];
    configuration?: { root_module?: ConfigModule };
    values?: { root_module?: ValuesModule };
    planned_values?: { root_module?: ValuesModule };
  };
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new PlanFormatError(
      `is not JSON (${(error as Error).message}); pass the output of terraform show -json`,
    );
  }
  if (!doc || typeof doc !== 'object' || !doc.format_version) {
    throw new PlanFormatError('is not terraform show -json output (no format_version)');
  }
  const config = doc.configuration?.root_module;
  const out: PlannedResource[] = [];

  if (Array.isArray(doc.resource_changes)) {
    const from = Math.max(0, text.indexOf('"resource_changes"'));
    for (const rc of doc.resource_changes) {
      if (rc.mode !== 'managed' || !rc.type || !POLICED_TYPES.includes(rc.type) || !rc.address || !rc.name)
        continue;
      const actions = rc.change?.actions ?? [];
      if (actions.length === 1 && actions[0] === 'delete') continue;
      const modulePath = modulePathOf(rc.module_address);
      const after = rc.change?.after ?? {};
      const unknown = rc.change?.after_unknown ?? {};
      const configured = config ? configFor(config, modulePath, rc.type, rc.name)?.expressions : undefined;
      out.push({
        address: rc.address,
        type: rc.type,
        name: rc.name,
        modulePath,
        line: lineOf(text, rc.address, from),
        observe: (attribute) => observe(after, unknown, configured, attribute),
      });
    }
    return out;
  }

  const walk = (mod: ValuesModule | undefined): void => {
    if (!mod) return;
    for (const r of mod.resources ?? []) {
      if (r.mode !== 'managed' || !r.type || !POLICED_TYPES.includes(r.type) || !r.address || !r.name)
        continue;
      const values = r.values ?? {};
      out.push({
        address: r.address,
        type: r.type,
        name: r.name,
        modulePath: modulePathOf(mod.address),
        line: lineOf(text, r.address, 0),
        observe: (attribute) => observe(values, {}, undefined, attribute),
      });
    }
    for (const child of mod.child_modules ?? []) walk(child);
  };
  walk(doc.values?.root_module ?? doc.planned_values?.root_module);
  return out;
}
