// Writes src/inputs/input-docs.json (each input's description and default, for `restore-proof <command> --help`)
// from action.yml, so the CLI bundles them. test/contract/input-docs.test.ts fails when it is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';

export function inputDocs(actionYaml) {
  const action = parse(actionYaml);
  return Object.fromEntries(
    Object.entries(action.inputs).map(([name, spec]) => [
      name,
      { description: String(spec.description ?? '').trim(), default: String(spec.default ?? '') },
    ]),
  );
}

export const render = (actionYaml) => `${JSON.stringify(inputDocs(actionYaml), null, 2)}\n`;

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, '/'))) {
  writeFileSync('src/inputs/input-docs.json', render(readFileSync('action.yml', 'utf8')));
}
