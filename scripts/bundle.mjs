// The action's and the CLI's bundles: main and post for the action, cli for the bin (every command). One
// definition for `npm run build` (dist/, committed) and for the e2e tests (a cache of the current sources).
import { execFileSync } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const ENTRIES = {
  main: 'src/entries/main.ts',
  post: 'src/entries/post.ts',
  cli: 'src/entries/cli.ts',
};
const FLAGS = ['--external', 'pg-native', '--license', 'licenses.txt', '--quiet', '--target', 'es2022'];
const NCC = join(ROOT, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');

/** Bundles every entry with ncc into outDir/<entry>/index.js. */
export function bundle(outDir, stdio = 'inherit') {
  for (const [name, entry] of Object.entries(ENTRIES)) {
    execFileSync(process.execPath, [NCC, 'build', entry, '-o', join(outDir, name), ...FLAGS], {
      cwd: ROOT,
      stdio: ['ignore', stdio === 'inherit' ? 'inherit' : 'ignore', 'inherit'],
    });
  }
  chmodSync(join(outDir, 'cli', 'index.js'), 0o755);
}
