// jest globalSetup of the e2e project: the built-bundle tests run a bundle of the current src/, never a stale
// one. Bundles main, post and cli with ncc (the flags of scripts/build.mjs) into
// node_modules/.cache/restore-proof-e2e/<entry>/index.js, only when the sources changed: the bundle is keyed
// by a hash of src/**, package-lock.json, tsconfig.json and this file. CI checks separately that the committed dist/
// matches a fresh build.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const E2E_DIST = join(ROOT, 'node_modules', '.cache', 'restore-proof-e2e');
const ENTRIES = { main: 'src/entries/main.ts', post: 'src/entries/post.ts', cli: 'src/entries/cli.ts' };
const FLAGS = ['--external', 'pg-native', '--license', 'licenses.txt', '--quiet', '--target', 'es2022'];
const NCC = join(ROOT, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');

function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/** What the bundle is built from. */
export function sourceHash() {
  const hash = createHash('sha256');
  const inputs = [
    ...files(join(ROOT, 'src')).sort(),
    join(ROOT, 'package-lock.json'),
    join(ROOT, 'tsconfig.json'),
    fileURLToPath(import.meta.url),
  ];
  for (const file of inputs) {
    hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

const built = (dir) => Object.keys(ENTRIES).every((name) => existsSync(join(dir, name, 'index.js')));

export default function bundleForE2e() {
  const hash = sourceHash();
  const stamp = join(E2E_DIST, 'source-hash');
  if (built(E2E_DIST) && existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) return;
  const started = Date.now();
  process.stderr.write('\ne2e: src/ changed since the last bundle; bundling main, post and cli with ncc\n');
  const staging = `${E2E_DIST}.${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  try {
    for (const [name, entry] of Object.entries(ENTRIES)) {
      execFileSync(process.execPath, [NCC, 'build', entry, '-o', join(staging, name), ...FLAGS], {
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'inherit'],
      });
    }
    writeFileSync(join(staging, 'source-hash'), hash);
    mkdirSync(dirname(E2E_DIST), { recursive: true });
    rmSync(E2E_DIST, { recursive: true, force: true });
    renameSync(staging, E2E_DIST);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  process.stderr.write(`e2e: bundled in ${Math.round((Date.now() - started) / 1000)}s\n`);
}
