/** README's CLI examples keep secrets off the command line, and its exit-code table is the engine's. */
import { readFileSync } from 'node:fs';
import { EXIT } from '../../src/engine/exit-codes.js';
import { SECRET_INPUTS } from '../../src/inputs/names.js';
import { secretEnvName } from '../../src/inputs/secret-sources.js';

const readme = readFileSync('README.md', 'utf8');
const shell = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!).join('\n');

test('no CLI example passes a secret value on the command line', () => {
  for (const name of SECRET_INPUTS)
    expect(shell).not.toMatch(new RegExp(`--${name}[ =]["']?(\\$|postgres|-----)`));
});

test('README names the environment variable of every secret input', () => {
  for (const name of SECRET_INPUTS) expect(readme).toContain(`\`${secretEnvName(name)}\``);
});

test("README's exit-code table is the engine's", () => {
  const rows = [...readme.matchAll(/^\| (\d+) \| `(\w+)` \|/gm)].map((m) => [Number(m[1]), m[2]]);
  expect(rows).toEqual([
    [EXIT.pass, 'pass'],
    [EXIT.fail, 'fail'],
    [EXIT.input, 'error'],
    [EXIT.error, 'error'],
    [EXIT.cancelled, 'cancelled'],
  ]);
});

test("action.yml's result output lists every result", () => {
  const action = readFileSync('action.yml', 'utf8');
  const result = /\n {2}result:\n {4}description: '([^']*)'/.exec(action)?.[1] ?? '';
  for (const word of ['pass', 'fail', 'error', 'cancelled']) expect(result).toContain(word);
});

test('docs/workflows.md no longer says cross-region failover is missing', () => {
  expect(readFileSync('docs/workflows.md', 'utf8')).not.toMatch(/cross-region failover is not/);
});

test('README covers a first real run: private network, pinning, installing, cost, IAM', () => {
  for (const phrase of [
    'tunnel-command',
    'self-hosted runner',
    'commit SHA',
    'npm install',
    '$0.17',
    '$4.15',
    'iam-policy.json',
  ])
    expect(readme).toContain(phrase);
});
