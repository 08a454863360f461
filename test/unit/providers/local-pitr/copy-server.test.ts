/**
 * Deleting a copy: only the run's own restore-proof-<run> directory. Making one: a socket path too deep for
 * a Unix socket moves to a short directory of the run, in the temp dir when it fits there.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  deleteCopy,
  makeCopyDirs,
  shortSocketDir,
  SOCKET_PATH_MAX,
  socketFits,
} from '../../../../src/providers/local-pitr/copy-server.js';

const RUN = '2601310315-abcdef';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'restore-proof-unit-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('makeCopyDirs', () => {
  test('a copy whose socket fits keeps it in its own run directory and records only that', async () => {
    const recorded: string[] = [];
    const dirs = await makeCopyDirs(dir, RUN, async (r) => void recorded.push(r.id));
    expect(dirs.socketDir).toBe(dirs.runDir);
    expect(recorded).toEqual([join(dir, `restore-proof-${RUN}`)]);
  });

  test('a copy too deep for a socket gets a short socket directory in the temp dir, recorded first', async () => {
    const deep = join(dir, 'a'.repeat(60), 'b'.repeat(40));
    const recorded: string[] = [];
    const dirs = await makeCopyDirs(deep, RUN, async (r) => void recorded.push(r.id));
    try {
      expect(socketFits(dirs.runDir)).toBe(false);
      // The test run's temp dir is short (test/support/run-tmpdir.mjs): the socket goes there, not to /tmp.
      expect(dirs.socketDir).toBe(join(tmpdir(), `restore-proof-${RUN}-sock`));
      expect(existsSync(dirs.socketDir)).toBe(true);
      expect(recorded).toEqual([join(deep, `restore-proof-${RUN}`), dirs.socketDir]);
    } finally {
      rmSync(dirs.socketDir, { recursive: true, force: true });
    }
  });
});

describe('shortSocketDir', () => {
  test('the temp dir when the socket path fits there', () => {
    expect(shortSocketDir(RUN, '/var/tmp/runner')).toBe(`/var/tmp/runner/restore-proof-${RUN}-sock`);
  });

  test('/tmp when the temp dir is too deep for the socket path', () => {
    const deep = `/home/runner/${'w'.repeat(70)}`;
    expect(socketFits(join(deep, `restore-proof-${RUN}-sock`))).toBe(false);
    expect(shortSocketDir(RUN, deep)).toBe(`/tmp/restore-proof-${RUN}-sock`);
  });

  test('the limit is the socket path in bytes, 107 at most (sun_path less its NUL)', () => {
    const at = (n: number) => join('/', 'x'.repeat(n - '/.s.PGSQL.65535'.length - 1));
    expect(Buffer.byteLength(join(at(SOCKET_PATH_MAX), '.s.PGSQL.65535'))).toBe(SOCKET_PATH_MAX);
    expect(socketFits(at(SOCKET_PATH_MAX))).toBe(true);
    expect(socketFits(at(SOCKET_PATH_MAX + 1))).toBe(false);
    // Multi-byte names count in bytes, not characters.
    expect(socketFits(`/${'é'.repeat(46)}`)).toBe(false); // 62 characters, 108 bytes
  });
});

describe('deleteCopy', () => {
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
