/**
 * The checks file, read and validated while planning, so a bad file stops the drill before any AWS call.
 * Its errors are InputErrors naming checks-file, one line each with the key path and what it accepts.
 */
import { readFileSync } from 'node:fs';
import { parseChecksFile, type ChecksFile } from './checks-file-schema.js';
import { InputError } from './input-error.js';
import type { InputReader } from './raw-inputs.js';
import { existingFile } from './values.js';

export interface PlannedChecksFile {
  /** The path, as given. */
  path?: string;
  /** The parsed file; no checks when none was given. */
  checks: ChecksFile;
}

export function planChecksFile(inputs: InputReader): PlannedChecksFile {
  const path = inputs.parse('checks-file', (v) => existingFile('checks-file', v));
  if (path === undefined) return { checks: { checks: [] } };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InputError(
      'checks-file',
      `accepts a readable file; ${path}: ${(error as NodeJS.ErrnoException).code ?? 'cannot read it'}`,
    );
  }
  try {
    return { path, checks: parseChecksFile(text, path) };
  } catch (error) {
    throw new InputError(
      'checks-file',
      `accepts a YAML file of custom SQL checks; ${(error as Error).message}`,
    );
  }
}
