/** Schema: every object kind of the copy equals production's; a difference names the object. */
import type { SchemaKind } from '../db/catalog.js';
import type { CheckResult } from '../model/types.js';
import { listSome, result } from './result.js';

const SINGULAR: Record<SchemaKind, string> = {
  tables: 'table',
  columns: 'column',
  indexes: 'index',
  constraints: 'constraint',
  sequences: 'sequence',
  views: 'view',
  functions: 'function',
  extensions: 'extension',
};

/** Kinds whose definitions are short and hold no data, so a difference may show both sides. */
const SHOW_DEFINITION = new Set<SchemaKind>(['columns', 'extensions', 'sequences', 'tables']);

export function compareSchemaKind(
  kind: SchemaKind,
  production: Map<string, string>,
  copy: Map<string, string>,
  ms: number,
  ignore: (name: string) => boolean = () => false,
): CheckResult {
  const missing: string[] = [];
  const extra: string[] = [];
  const changed: string[] = [];
  for (const [name, def] of production) {
    if (ignore(name)) continue;
    const c = copy.get(name);
    if (c === undefined) missing.push(name);
    else if (c !== def)
      changed.push(SHOW_DEFINITION.has(kind) ? `${name} (${def} on production, ${c} on copy)` : name);
  }
  for (const name of copy.keys()) if (!production.has(name) && !ignore(name)) extra.push(name);
  const n = missing.length + extra.length + changed.length;
  const parts: string[] = [];
  if (missing.length) parts.push(`missing on copy: ${listSome(missing.sort())}`);
  if (changed.length) parts.push(`differs: ${listSome(changed.sort(), 3)}`);
  if (extra.length) parts.push(`only on copy: ${listSome(extra.sort())}`);
  return result(
    `schema:${kind}`,
    'schema',
    n ? 'fail' : 'pass',
    n
      ? `${n} ${SINGULAR[kind]} difference${n === 1 ? '' : 's'}; ${parts.join('; ')}`
      : `${production.size} ${production.size === 1 ? SINGULAR[kind] : kind} equal production`,
    ms,
    { measured: copy.size, expected: production.size },
  );
}
