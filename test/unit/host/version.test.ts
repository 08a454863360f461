import { readFileSync } from 'node:fs';
import { TOOL_VERSION } from '../../../src/model/version.js';

test('the tool version is package.json version', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
  expect(TOOL_VERSION).toBe(pkg.version);
});
