/**
 * YAML text validated by a zod schema, with one error line naming the key path: the shape every
 * evidence file (restore-proof.yml, an exercise record) is read with. Pure: text in, value or error out.
 */
import { parse } from 'yaml';
import type { z } from 'zod';

/** `test-types[2].cadence`: the path of a zod issue as a reader writes it. */
export function keyPath(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('');
}

/** One line for the first issue: `<name>: <key path>: <what it accepts>`. */
export function issueLine(name: string, issue: z.core.$ZodIssue): string {
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') message = `unknown key ${issue.keys.join(', ')}`;
  return `${name}: ${keyPath(issue.path) || '(top level)'}: ${message}`;
}

/** Parses YAML text and validates it. Throws one line naming the file and the key path. */
export function parseValidatedYaml<S extends z.ZodType>(schema: S, text: string, name: string): z.output<S> {
  let raw: unknown;
  try {
    raw = parse(text) ?? {};
  } catch (error) {
    throw new Error(`${name}: not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  // A misspelt key explains a "missing" one better than the other way round.
  const issues = parsed.error.issues;
  throw new Error(issueLine(name, issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0]!));
}
