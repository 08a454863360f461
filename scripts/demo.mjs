// `npm run demo`: transpiles the demo's part of src/ (no type check) into node_modules/.cache/restore-proof-demo, once per
// change of the sources, and runs src/demo/main.ts from there. Needs nothing but `npm ci`: no build, no dist.
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'node_modules', '.cache', 'restore-proof-demo');

/** src/demo/main.ts and every file it imports (relative imports only), so only those are transpiled. */
function reachable(entry) {
  const seen = new Set();
  const stack = [entry];
  while (stack.length) {
    const file = stack.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)\.js'/g)) {
      stack.push(join(dirname(file), `${m[1]}.ts`));
    }
  }
  return [...seen].sort();
}

const files = reachable(join(root, 'src', 'demo', 'main.ts'));
const stamp = [fileURLToPath(import.meta.url), ...files]
  .map((f) => `${relative(root, f)}:${statSync(f).mtimeMs}`)
  .join('\n');
const stampFile = join(out, '.sources');
if (!existsSync(stampFile) || readFileSync(stampFile, 'utf8') !== stamp) {
  const { default: ts } = await import('typescript');
  rmSync(out, { recursive: true, force: true });
  for (const file of files) {
    const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
      fileName: file,
      compilerOptions: {
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.ES2022,
        esModuleInterop: true,
        isolatedModules: true,
      },
    });
    const target = join(out, relative(root, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, outputText);
  }
  writeFileSync(join(out, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(stampFile, stamp);
}

const { main } = await import(pathToFileURL(join(out, 'src', 'demo', 'main.js')).href);
process.exitCode = await main(process.argv.slice(2));
