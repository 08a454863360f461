import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from './temp-dir.js';

export const fixtures = fileURLToPath(new URL('../fixtures/report/', import.meta.url));
export const testKey = readFileSync(join(fixtures, 'test-signing-key.pem'), 'utf8');
export const otherKey = readFileSync(join(fixtures, 'other-signing-key.pem'), 'utf8');

/** A fresh workspace with docs/tests inside, as the action sees the repository. */
export function workspace(): { root: string; dir: string } {
  const root = tempDir('report');
  return { root, dir: join(root, 'docs', 'tests') };
}
