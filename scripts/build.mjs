// Bundles the entry points with ncc into dist/ (committed): see bundle.mjs.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { bundle, ROOT } from './bundle.mjs';

const dist = join(ROOT, 'dist');
rmSync(dist, { recursive: true, force: true });
bundle(dist);
