import { generateKeyPairSync } from 'node:crypto';
import { helpText, parseCliArgs } from '../../../src/host/cli-args.js';
import { INPUT_NAMES } from '../../../src/inputs/names.js';
import { COMMANDS as ENGINE_COMMANDS } from '../../../src/model/types.js';

const COMMANDS = ['restore-test', 'preflight', 'janitor', 'verify-reports', 'fleet-index'];
const ALL_COMMANDS = [...ENGINE_COMMANDS, 'fleet-index'];
const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

test('--input value takes the next argument even when it starts with a dash (a PEM key)', () => {
  expect(parseCliArgs(['restore-test', '--signing-key', pem, '--cadence', 'weekly'], COMMANDS)).toEqual({
    kind: 'run',
    command: 'restore-test',
    inputs: { 'signing-key': pem, cadence: 'weekly' },
  });
  expect(parseCliArgs(['--signing-key=x'], COMMANDS)).toEqual({
    kind: 'run',
    inputs: { 'signing-key': 'x' },
  });
});

test('an unknown flag names its neighbour', () => {
  expect(parseCliArgs(['restore-test', '--source-cluser', 'prod'], COMMANDS)).toEqual({
    kind: 'usage-error',
    message: "unknown option '--source-cluser'; did you mean '--source-cluster'?",
  });
  expect(parseCliArgs(['--verison'], COMMANDS)).toMatchObject({
    message: "unknown option '--verison'; did you mean '--version'?",
  });
});

test('an unknown command names its neighbour', () => {
  expect(parseCliArgs(['restore-tset'], COMMANDS)).toMatchObject({
    kind: 'usage-error',
    message: expect.stringMatching(/^unknown command 'restore-tset'; did you mean 'restore-test'\?/),
  });
});

test('--version, --help, help and <command> --help', () => {
  expect(parseCliArgs(['--version'], COMMANDS)).toEqual({ kind: 'version' });
  expect(parseCliArgs(['--help'], COMMANDS)).toEqual({ kind: 'help' });
  expect(parseCliArgs(['help'], COMMANDS)).toEqual({ kind: 'help' });
  expect(parseCliArgs(['help', 'janitor'], COMMANDS)).toEqual({ kind: 'help', command: 'janitor' });
  expect(parseCliArgs(['preflight', '--help'], COMMANDS)).toEqual({ kind: 'help', command: 'preflight' });
});

test("a command's help lists its inputs only, with descriptions and defaults from action.yml", () => {
  const text = helpText(COMMANDS, 'verify-reports');
  expect(text).toContain('  --report-dir (default: docs/tests)');
  expect(text).toContain('Directory the signed reports and their index are written to.');
  expect(text).toContain('  --public-key');
  expect(text).not.toContain('--source-cluster');
  const drill = helpText(COMMANDS, 'restore-test');
  expect(drill).toContain('Or RESTORE_PROOF_SIGNING_KEY, or a file');
  expect(drill).not.toContain('--dry-run');
  expect(drill).not.toContain('--terraform-plan');
});

test('every input appears in some command help', () => {
  const all = ALL_COMMANDS.map((c) => helpText(ALL_COMMANDS, c)).join('\n');
  for (const name of INPUT_NAMES.filter((n) => n !== 'command')) expect(all).toContain(`--${name}`);
});

test('the general help gives the exit codes and the secret variables', () => {
  const text = helpText(COMMANDS);
  expect(text).toMatch(
    /0 pass, 1 the drill failed, 2 bad input or usage, 3 the drill could not complete, 130 cancelled/,
  );
  expect(text).toContain('RESTORE_PROOF_PRODUCTION_URL');
});
