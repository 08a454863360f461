/**
 * The CLI's arguments: `--input value` and `--input=value` alike (a value may start with '-', as a PEM key
 * does), `--help`, `--version`, and one positional command. Unknown flags and commands are refused with the
 * nearest known name.
 */
import { parseArgs } from 'node:util';
import { commandInputs, inputDoc } from '../inputs/command-inputs.js';
import { INPUT_NAMES, type InputName, type RawInputs } from '../inputs/names.js';
import { secretEnvName } from '../inputs/secret-sources.js';
import { SECRET_INPUTS } from '../inputs/names.js';
import { didYouMean } from '../inputs/suggest.js';

export type CliArgs =
  | { kind: 'help'; command?: string }
  | { kind: 'version' }
  | { kind: 'run'; command?: string; inputs: RawInputs }
  | { kind: 'usage-error'; message: string };

const FLAGS = new Set<string>([...INPUT_NAMES, 'help', 'version']);

/** Parses argv; `commands` are the positional commands the CLI knows. */
export function parseCliArgs(argv: readonly string[], commands: readonly string[]): CliArgs {
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const name = /^--([^=]+)$/.exec(arg)?.[1];
    if (name !== undefined && !FLAGS.has(name)) {
      return {
        kind: 'usage-error',
        message: `unknown option '--${name}'${didYouMean(name, [...FLAGS], '--')}`,
      };
    }
    // A string input takes the next argument whatever it starts with: --signing-key "$(cat key.pem)".
    if (name !== undefined && (INPUT_NAMES as string[]).includes(name) && i + 1 < argv.length) {
      args.push(`--${name}=${argv[++i]}`);
    } else args.push(arg);
  }
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'V' },
        ...Object.fromEntries(INPUT_NAMES.map((n) => [n, { type: 'string' as const }])),
      },
    });
  } catch (error) {
    const message = (error as Error).message.split('\n')[0] ?? '';
    const unknown = /Unknown option '--?([^']+)'/.exec(message)?.[1];
    return {
      kind: 'usage-error',
      message: unknown ? `unknown option '--${unknown}'${didYouMean(unknown, [...FLAGS], '--')}` : message,
    };
  }
  const { values, positionals } = parsed;
  if (values.version) return { kind: 'version' };
  const command = positionals[0] === 'help' ? positionals[1] : positionals[0];
  if (values.help || positionals[0] === 'help') {
    if (command !== undefined && !commands.includes(command)) return unknownCommand(command, commands);
    return command === undefined ? { kind: 'help' } : { kind: 'help', command };
  }
  if (positionals.length > 1) {
    return { kind: 'usage-error', message: `one command at a time; got ${positionals.join(' ')}` };
  }
  if (command !== undefined && !commands.includes(command)) return unknownCommand(command, commands);
  const inputs: RawInputs = {};
  for (const name of INPUT_NAMES) {
    const value = (values as Record<string, unknown>)[name];
    if (typeof value === 'string') inputs[name] = value;
  }
  return command === undefined ? { kind: 'run', inputs } : { kind: 'run', command, inputs };
}

function unknownCommand(command: string, commands: readonly string[]): CliArgs {
  return {
    kind: 'usage-error',
    message: `unknown command '${command}'${didYouMean(command, commands)}; commands: ${commands.join(', ')}`,
  };
}

/** The general usage, or one command's inputs with their descriptions and defaults. */
export function helpText(commands: readonly string[], command?: string): string {
  if (command === undefined) {
    return [
      `usage: restore-proof <command> [--<input> value ...]`,
      `commands: ${commands.join(', ')} (default restore-test)`,
      `restore-proof <command> --help lists a command's inputs; restore-proof --version prints the version.`,
      'Outputs are printed as name=value lines on stdout; progress goes to stderr.',
      `Secrets: ${SECRET_INPUTS.map((n) => `--${n} or ${secretEnvName(n)}`).join(', ')}; each also takes the path of a file.`,
      'Exit codes: 0 pass, 1 the drill failed, 2 bad input or usage, 3 the drill could not complete, 130 cancelled.',
    ].join('\n');
  }
  const lines = [`usage: restore-proof ${command} [--<input> value ...]`, '', 'inputs:'];
  for (const name of commandInputs(command)) lines.push(...inputLines(name));
  return lines.join('\n');
}

function inputLines(name: InputName): string[] {
  const doc = inputDoc(name);
  const extra = SECRET_INPUTS.includes(name) ? ` Or ${secretEnvName(name)}, or a file's path.` : '';
  const fallback = doc.default ? ` (default: ${doc.default})` : '';
  return [`  --${name}${fallback}`, `      ${doc.description}${extra}`];
}
