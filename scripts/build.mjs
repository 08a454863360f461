// Bundles the three entry points with ncc into dist/ (committed): main and post for the action, cli for the bin.
import { execFileSync } from 'node:child_process';
import { rmSync, chmodSync } from 'node:fs';

const entries = { main: 'src/main.ts', post: 'src/post.ts', cli: 'src/cli.ts' };
rmSync('dist', { recursive: true, force: true });
for (const [name, entry] of Object.entries(entries)) {
  execFileSync(
    'npx',
    [
      'ncc',
      'build',
      entry,
      '-o',
      `dist/${name}`,
      '--external',
      'pg-native',
      '--license',
      'licenses.txt',
      '--quiet',
      '--target',
      'es2022',
    ],
    { stdio: 'inherit' },
  );
}
chmodSync('dist/cli/index.js', 0o755);
