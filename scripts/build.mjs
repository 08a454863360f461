// Bundles the three entry points with ncc into dist/ (committed): main and post for the action, cli for the bin
// (every command, fleet-index among them).
import { execFileSync } from 'node:child_process';
import { chmodSync, rmSync } from 'node:fs';

const entries = {
  main: 'src/entries/main.ts',
  post: 'src/entries/post.ts',
  cli: 'src/entries/cli.ts',
};
const flags = ['--external', 'pg-native', '--license', 'licenses.txt', '--quiet', '--target', 'es2022'];
rmSync('dist', { recursive: true, force: true });
for (const [name, entry] of Object.entries(entries)) {
  execFileSync('npx', ['ncc', 'build', entry, '-o', `dist/${name}`, ...flags], {
    stdio: 'inherit',
  });
}
chmodSync('dist/cli/index.js', 0o755);
