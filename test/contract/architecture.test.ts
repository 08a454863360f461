/**
 * The house rules docs/architecture.md states, checked on the source itself: every file in a room of a known
 * layer, imports only sideways or down, no import cycle, no file over 400 lines, every declared dependency
 * imported somewhere in src/.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname ?? '.', '../..');
const SRC = join(ROOT, 'src');

/** Rooms by layer, lowest first; the longest matching prefix decides. */
const LAYERS: [string, number][] = [
  ['model/', 0],
  ['log/', 0],
  ['time/', 0],
  ['host/io.ts', 1],
  ['aws/', 1],
  ['db/', 1],
  ['inputs/', 1],
  ['providers/', 2],
  ['checks/', 2],
  ['report/', 2],
  ['drill/', 3],
  ['sinks/', 4],
  ['preflight/', 4],
  ['janitor/', 4],
  ['engine/', 5],
  ['host/', 6],
  ['entries/', 7],
  ['demo/', 8],
];

function layerOf(file: string): number | undefined {
  const match = LAYERS.filter(([prefix]) => file === prefix || file.startsWith(prefix)).sort(
    (a, b) => b[0].length - a[0].length,
  )[0];
  return match?.[1];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [relative(SRC, path)] : [];
  });
}

const files = sourceFiles(SRC).sort();
const texts = new Map(files.map((f) => [f, readFileSync(join(SRC, f), 'utf8')]));

/**
 * Relative imports of a file (static, dynamic and re-exports), as paths relative to src/. JSON is data bundled
 * at build time (package.json's version, action.yml's input docs), not a room: it is left out.
 */
function importsOf(file: string): string[] {
  const text = texts.get(file)!;
  const specs = [...text.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)]
    .map((m) => m[1]!)
    .filter((spec) => !spec.endsWith('.json'));
  return specs.map((spec) => normalize(join(dirname(file), spec)).replace(/\.js$/, '.ts'));
}

test('every source file sits in a room of a known layer', () => {
  expect(files.filter((f) => layerOf(f) === undefined)).toEqual([]);
});

test('imports go sideways or down, never up a layer', () => {
  const upward = files.flatMap((file) =>
    importsOf(file)
      .filter((target) => (layerOf(target) ?? 99) > layerOf(file)!)
      .map((target) => `${file} -> ${target}`),
  );
  expect(upward).toEqual([]);
});

test('imports resolve to source files and form no cycle', () => {
  const graph = new Map(files.map((f) => [f, importsOf(f)]));
  const missing = [...graph].flatMap(([f, targets]) =>
    targets.filter((t) => !graph.has(t)).map((t) => `${f} -> ${t}`),
  );
  expect(missing).toEqual([]);
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[] = [];
  const visit = (file: string, path: string[]): void => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'open') {
      cycles.push([...path.slice(path.indexOf(file)), file].join(' -> '));
      return;
    }
    state.set(file, 'open');
    for (const target of graph.get(file) ?? []) visit(target, [...path, file]);
    state.set(file, 'done');
  };
  for (const file of files) visit(file, []);
  expect(cycles).toEqual([]);
});

test('no source file is over 400 lines', () => {
  const long = files
    .map((f) => [f, texts.get(f)!.split('\n').length] as const)
    .filter(([, lines]) => lines > 400)
    .map(([f, lines]) => `${f}: ${lines} lines`);
  expect(long).toEqual([]);
});

test('every declared dependency is imported by the source', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  const all = [...texts.values()].join('\n');
  const unused = Object.keys(pkg.dependencies).filter(
    (name) => !new RegExp(`from '${name.replace(/[/.]/g, '\\$&')}(/[^']*)?'`).test(all),
  );
  expect(unused).toEqual([]);
});
