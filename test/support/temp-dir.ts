/**
 * Temporary directories that a test file removes when it ends. tempDir() creates restore-proof-<prefix>-XXXX
 * in the OS temp dir and removes it (recursively) in the file's afterAll; the run's globalTeardown
 * (temp-check.ts) fails the run when one is left behind anyway.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const created: string[] = [];

/** Removes every directory tempDir() created so far in this test file. */
export function removeTempDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

// Jest gives each test file its own module registry: this hook runs once, at the end of the importing file.
if (typeof afterAll === 'function') afterAll(removeTempDirs);

/** A fresh directory restore-proof-<prefix>-XXXXXX, removed when the test file ends. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `restore-proof-${prefix}-`));
  created.push(dir);
  return dir;
}
