/** Deleting a copy: only the run's own restore-proof-<run> directory. */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deleteCopy } from '../../../../src/providers/local-pitr/copy-server.js';

describe('deleteCopy', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'restore-proof-unit-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('refuses a directory without the restore-proof-<run> name', async () => {
    const other = join(dir, 'pgdata');
    mkdirSync(other);
    await expect(deleteCopy(other, '2601310315-abcdef')).rejects.toThrow(
      /refusing .*restore-proof-<run> pattern/,
    );
    expect(existsSync(other)).toBe(true);
  });

  test("refuses another run's directory", async () => {
    const other = join(dir, 'restore-proof-2601310315-abcdef');
    mkdirSync(other);
    await expect(deleteCopy(other, '2601310315-123456')).rejects.toThrow(
      /does not belong to run 2601310315-123456/,
    );
    expect(existsSync(other)).toBe(true);
  });

  test('deletes its own directory (no server running), and a missing one is not-found', async () => {
    const own = join(dir, 'restore-proof-2601310315-abcdef');
    mkdirSync(join(own, 'data'), { recursive: true });
    await expect(deleteCopy(own, '2601310315-abcdef')).resolves.toBe('deleted');
    expect(existsSync(own)).toBe(false);
    await expect(deleteCopy(own, '2601310315-abcdef')).resolves.toBe('not-found');
  });
});
