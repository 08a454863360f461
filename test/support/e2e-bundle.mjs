// jest globalSetup of the e2e project: the built-bundle tests run a bundle of the current src/, never a stale
// one. Bundles main, post and cli with scripts/bundle.mjs (as npm run build does) into
// node_modules/.cache/restore-proof-e2e/<entry>/index.js, only when the sources changed: the bundle is keyed
// by a hash of src/**, package-lock.json, tsconfig.json, scripts/bundle.mjs and this file. CI checks separately that the committed dist/
// matches a fresh build.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle, ENTRIES } from '../../scripts/bundle.mjs';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const E2E_DIST = join(ROOT, 'node_modules', '.cache', 'restore-proof-e2e');

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
    join(ROOT, 'scripts', 'bundle.mjs'),
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
    bundle(staging, 'ignore');
    writeFileSync(join(staging, 'source-hash'), hash);
    mkdirSync(dirname(E2E_DIST), { recursive: true });
    rmSync(E2E_DIST, { recursive: true, force: true });
    renameSync(staging, E2E_DIST);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  process.stderr.write(`e2e: bundled in ${Math.round((Date.now() - started) / 1000)}s\n`);
}
