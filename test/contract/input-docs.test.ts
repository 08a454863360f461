/** The CLI's bundled input help matches action.yml: regenerate with `node scripts/input-docs.mjs`. */
import { readFileSync } from 'node:fs';
// @ts-expect-error a plain .mjs script without types
import { render } from '../../scripts/input-docs.mjs';

test('src/inputs/input-docs.json is generated from action.yml', () => {
  expect(readFileSync('src/inputs/input-docs.json', 'utf8')).toBe(
    (render as (yaml: string) => string)(readFileSync('action.yml', 'utf8')),
  );
});
